import * as pulumi from "@pulumi/pulumi";
import type { Host } from "../config.ts";
import type { Hosting } from "./hosting.ts";
import { hostedApp, type AppSetting } from "./hosts/index.ts";
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

/**
 * The app settings that tell a caller's code where a callee is:
 * `S2S_<CALLEE>_URL` and `S2S_<CALLEE>_RESOURCE` (`the-callee` → `S2S_THE_CALLEE_URL`).
 */
export function calleeAppSettings(callees: CalleeEndpoint[]): AppSetting[] {
  return callees.flatMap((callee) => {
    const key = callee.name.toUpperCase().replace(/-/g, "_");
    return [
      { name: `S2S_${key}_URL`, value: callee.url },
      { name: `S2S_${key}_RESOURCE`, value: callee.resourceId },
    ];
  });
}

export interface CallerAppArgs {
  /** The resource group, plan and environment the app runs in. */
  hosting: Hosting;
  /** App Service, Function App or Container App. */
  host: Host;
  /** The callees this app calls; each becomes a pair of app settings. */
  callees: CalleeEndpoint[];
}

/** A calling service whose system-assigned identity is its only credential. */
export class CallerApp extends pulumi.ComponentResource {
  /** Object id of the app's managed identity, as Azure reports it. */
  readonly principalId: pulumi.Output<string>;
  /** The identity once Entra ID serves it (see {@link managedIdentityPrincipal}). */
  readonly identity: pulumi.Output<PrincipalRef>;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: CallerAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("s2s-auth:app:CallerApp", name, {}, opts);
    const app = hostedApp(
      args.host,
      name,
      { hosting: args.hosting, appSettings: calleeAppSettings(args.callees) },
      this,
    );
    this.principalId = app.principalId;
    this.identity = managedIdentityPrincipal(this.principalId, this);
    this.url = app.url;
    this.registerOutputs({ principalId: this.principalId, url: this.url });
  }
}

export interface ExternalCallerArgs {
  /** Object id of the existing identity's service principal (VM, container instance, AKS workload, user-assigned). */
  principalId: string;
}

/**
 * A caller whose identity exists outside this stack: the program only grants it. Declared as a
 * component so that plans and previews show who it is.
 */
export class ExternalCaller extends pulumi.ComponentResource {
  readonly principalId: pulumi.Output<string>;
  readonly identity: pulumi.Output<PrincipalRef>;

  constructor(name: string, args: ExternalCallerArgs, opts?: pulumi.ComponentResourceOptions) {
    // The principal id is the component's input so that plans and previews show it.
    super("s2s-auth:app:ExternalCaller", name, { principalId: args.principalId }, opts);
    this.principalId = pulumi.output(args.principalId);
    this.identity = managedIdentityPrincipal(this.principalId, this);
    this.registerOutputs({ principalId: this.principalId });
  }
}
