import * as pulumi from "@pulumi/pulumi";
import type * as web from "@pulumi/azure-native/web/index.js";
import type { Hosting } from "./hosting.ts";
import { hardenedSite } from "./site.ts";
import { managedIdentityPrincipal, type PrincipalRef } from "./principal.ts";

/** Where a callee lives and which token audience it expects. */
export interface CalleeEndpoint {
  /** The callee's name in config. */
  name: string;
  /** `https://<host>` of the callee. */
  url: pulumi.Input<string>;
  /** The callee's Application ID URI; the caller asks for a token for `<resourceId>/.default`. */
  resourceId: pulumi.Input<string>;
}

export interface CallerAppArgs {
  /** The resource group and plan the site runs in. */
  hosting: Hosting;
  /** The callees this app calls; each becomes a pair of app settings. */
  callees: CalleeEndpoint[];
}

/**
 * The app settings that tell a caller's code where a callee is:
 * `S2S_<CALLEE>_URL` and `S2S_<CALLEE>_RESOURCE` (`the-callee` → `S2S_THE_CALLEE_URL`).
 */
export function calleeAppSettings(callee: CalleeEndpoint): { name: string; value: pulumi.Input<string> }[] {
  const key = callee.name.toUpperCase().replace(/-/g, "_");
  return [
    { name: `S2S_${key}_URL`, value: callee.url },
    { name: `S2S_${key}_RESOURCE`, value: callee.resourceId },
  ];
}

/** A calling service: a hardened App Service whose system-assigned identity is its only credential. */
export class CallerApp extends pulumi.ComponentResource {
  readonly site: web.WebApp;
  /** Object id of the site's managed identity, as Azure reports it. */
  readonly principalId: pulumi.Output<string>;
  /** The identity once Entra ID serves it (see {@link managedIdentityPrincipal}). */
  readonly identity: pulumi.Output<PrincipalRef>;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: CallerAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("s2s-auth:app:CallerApp", name, {}, opts);
    this.site = hardenedSite(`${name}-site`, { hosting: args.hosting, appSettings: args.callees.flatMap(calleeAppSettings) }, this);
    this.principalId = this.site.identity.apply((identity) => {
      if (!identity?.principalId) throw new pulumi.ResourceError("the site reports no system-assigned identity", this);
      return identity.principalId;
    });
    this.identity = managedIdentityPrincipal(this.principalId, this);
    this.url = pulumi.interpolate`https://${this.site.defaultHostName}`;
    this.registerOutputs({ principalId: this.principalId, url: this.url });
  }
}
