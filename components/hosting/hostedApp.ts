// What every host offers a service: its identity, its address and built-in authentication.
import * as pulumi from "@pulumi/pulumi";
import type { Hosting } from "./hosting.ts";
import type { Host } from "../../model/index.ts";

export interface AppSetting {
  name: string;
  value: pulumi.Input<string>;
}

export interface HostedAppArgs {
  /** The stack's resource group, plan and (when needed) Container Apps environment. */
  hosting: Hosting;
  /** Settings the app's code reads, e.g. where its callees live. */
  appSettings: AppSetting[];
}

/** What a callee's built-in authentication must enforce; the same on every host. */
export interface ApiAuth {
  /** Client id of the callee's app registration. */
  clientId: pulumi.Input<string>;
  /** `https://login.microsoftonline.com/<tenant>/v2.0`. */
  openIdIssuer: pulumi.Input<string>;
  /** The identifier URI and the client id. */
  allowedAudiences: pulumi.Input<string>[];
  /**
   * Client ids of the callers allowed in: a second check behind the app role assignments where the
   * host enforces it (App Service, Functions); Container Apps documents no such check.
   */
  allowedApplications: pulumi.Input<string[]>;
}

/**
 * The Entra ID provider block of a host's built-in authentication; App Service and Container
 * Apps share its shape. No client secret: the app only validates bearer tokens and never signs
 * anyone in.
 */
export function entraProvider(auth: ApiAuth) {
  return {
    enabled: true,
    registration: { clientId: auth.clientId, openIdIssuer: auth.openIdIssuer },
    validation: {
      allowedAudiences: auth.allowedAudiences,
      defaultAuthorizationPolicy: { allowedApplications: auth.allowedApplications },
    },
  };
}

/** A service on one of the hosts, with a system-assigned identity. */
export interface HostedApp {
  host: Host;
  /** Object id of the system-assigned identity's service principal. */
  principalId: pulumi.Output<string>;
  /** `https://<host name>`. */
  url: pulumi.Output<string>;
  /**
   * The site's or container app's name in its resource group: what `az webapp deploy`,
   * `az functionapp deploy` and `az containerapp update` take with `--name` to ship code to it.
   */
  name: pulumi.Output<string>;
  /** Puts the host's built-in authentication (EasyAuth v2 / Container Apps auth) in front of the app. */
  requireAuthentication(name: string, auth: ApiAuth): pulumi.CustomResource;
}

/** The system-assigned identity's object id, failing loudly if the host reports none. */
export function principalIdOf(
  identity: pulumi.Output<{ principalId: string } | undefined>,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  return identity.apply((i) => {
    if (!i?.principalId) throw new pulumi.ResourceError("the host reports no system-assigned identity", parent);
    return i.principalId;
  });
}
