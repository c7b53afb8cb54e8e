// Services on App Service: the hardened Linux site (shared with function apps) and EasyAuth v2.
import * as pulumi from "@pulumi/pulumi";
import type { WebApp, WebAppAuthSettingsV2 } from "@pulumi/azure-native/web/index.js";
import { web } from "../azureNative.ts";
import type { Hosting } from "./hosting.ts";
import {
  entraProvider,
  principalIdOf,
  type ApiAuth,
  type AppSetting,
  type HostedApp,
  type HostedAppArgs,
} from "./hostedApp.ts";

/** The runtime every site is created with; the app's own deployment may change it. */
export const SITE_RUNTIME = "NODE|22-lts";

export interface HardenedWebAppArgs {
  hosting: Hosting;
  /** `app,linux` or `functionapp,linux`. */
  kind: string;
  linuxFxVersion: string;
  appSettings: AppSetting[];
  /** Keep the app loaded when idle; left to Azure's default when undefined. */
  alwaysOn?: boolean;
}

/**
 * A Linux site (web app or function app) hardened the way Azure's built-in App Service
 * policies expect: HTTPS only, TLS 1.2 minimum (site and SCM), FTPS and remote debugging off,
 * basic-auth publishing off (FTP and SCM), no CORS origins, and a system-assigned identity.
 */
export function hardenedWebApp(name: string, args: HardenedWebAppArgs, parent: pulumi.Resource): WebApp {
  const site = new web.WebApp(
    name,
    {
      resourceGroupName: args.hosting.resourceGroupName,
      location: args.hosting.location,
      serverFarmId: args.hosting.planId,
      kind: args.kind,
      httpsOnly: true,
      identity: { type: "SystemAssigned" },
      siteConfig: {
        linuxFxVersion: args.linuxFxVersion,
        ...(args.alwaysOn === undefined ? {} : { alwaysOn: args.alwaysOn }),
        minTlsVersion: "1.2",
        scmMinTlsVersion: "1.2",
        ftpsState: "Disabled",
        remoteDebuggingEnabled: false,
        http20Enabled: true,
        cors: { allowedOrigins: [] },
        appSettings: args.appSettings,
      },
    },
    { parent },
  );
  // Publishing with a username and password would bypass Entra ID entirely.
  new web.WebAppFtpAllowed(
    `${name}-ftp`,
    { resourceGroupName: args.hosting.resourceGroupName, name: site.name, allow: false },
    { parent },
  );
  new web.WebAppScmAllowed(
    `${name}-scm`,
    { resourceGroupName: args.hosting.resourceGroupName, name: site.name, allow: false },
    { parent },
  );
  return site;
}

/**
 * App Service Authentication (EasyAuth v2) for a web or function app: every request without a
 * valid token for the API gets 401, no redirect; no client secret, since the site only
 * validates bearer tokens and never signs anyone in.
 */
export function webAppAuth(
  name: string,
  site: WebApp,
  hosting: Hosting,
  auth: ApiAuth,
  parent: pulumi.Resource,
): WebAppAuthSettingsV2 {
  return new web.WebAppAuthSettingsV2(
    name,
    {
      name: site.name,
      resourceGroupName: hosting.resourceGroupName,
      platform: { enabled: true },
      globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "Return401" },
      httpSettings: { requireHttps: true },
      login: { tokenStore: { enabled: false } },
      identityProviders: { azureActiveDirectory: entraProvider(auth) },
    },
    { parent },
  );
}

/** A service on App Service (Linux, the stack's shared plan). */
export function appService(name: string, args: HostedAppArgs, parent: pulumi.Resource): HostedApp {
  const site = hardenedWebApp(
    `${name}-site`,
    { hosting: args.hosting, kind: "app,linux", linuxFxVersion: SITE_RUNTIME, appSettings: args.appSettings },
    parent,
  );
  return {
    host: "appService",
    principalId: principalIdOf(site.identity, parent),
    name: site.name,
    url: pulumi.interpolate`https://${site.defaultHostName}`,
    requireAuthentication: (authName, auth) => webAppAuth(authName, site, args.hosting, auth, parent),
  };
}
