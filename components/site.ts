import * as pulumi from "@pulumi/pulumi";
import * as web from "@pulumi/azure-native/web/index.js";
import type { Hosting } from "./hosting.ts";

/** The runtime every site is created with; the app's own deployment may change it. */
export const SITE_RUNTIME = "NODE|22-lts";

export interface HardenedSiteArgs {
  /** The resource group and plan the site runs in. */
  hosting: Hosting;
  /** Settings the app's code reads, e.g. where its callees live. */
  appSettings?: { name: string; value: pulumi.Input<string> }[];
}

/**
 * A Linux web app hardened the way Azure's built-in App Service policies expect: HTTPS only,
 * TLS 1.2 minimum (site and SCM), FTPS and remote debugging off, basic-auth publishing off
 * (FTP and SCM), no CORS origins, and a system-assigned managed identity.
 */
export function hardenedSite(name: string, args: HardenedSiteArgs, parent: pulumi.Resource): web.WebApp {
  const site = new web.WebApp(
    name,
    {
      resourceGroupName: args.hosting.resourceGroupName,
      location: args.hosting.location,
      serverFarmId: args.hosting.planId,
      kind: "app,linux",
      httpsOnly: true,
      identity: { type: "SystemAssigned" },
      siteConfig: {
        linuxFxVersion: SITE_RUNTIME,
        minTlsVersion: "1.2",
        scmMinTlsVersion: "1.2",
        ftpsState: "Disabled",
        remoteDebuggingEnabled: false,
        http20Enabled: true,
        cors: { allowedOrigins: [] },
        appSettings: args.appSettings ?? [],
      },
    },
    { parent },
  );
  // Publishing with a username and password would bypass Entra ID entirely.
  new web.WebAppFtpAllowed(`${name}-ftp`, { resourceGroupName: args.hosting.resourceGroupName, name: site.name, allow: false }, { parent });
  new web.WebAppScmAllowed(`${name}-scm`, { resourceGroupName: args.hosting.resourceGroupName, name: site.name, allow: false }, { parent });
  return site;
}
