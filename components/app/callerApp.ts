// A calling service on one of the hosts: its system-assigned identity is its only credential.
import * as pulumi from "@pulumi/pulumi";
import { calleeAppSettings, type CalleeEndpoint } from "../api/calleeEndpoint.ts";
import type { Hosting } from "../hosting/hosting.ts";
import { hostedApp } from "../hosting/hosts.ts";
import { type Host, RESOURCE_TYPE } from "../../model/index.ts";
import { managedIdentityPrincipal, type Grantee, type PrincipalRef } from "../principal.ts";

export interface CallerAppArgs {
  /** The resource group, plan and environment the app runs in. */
  hosting: Hosting;
  /** App Service, Function App or Container App. */
  host: Host;
  /** The callees this app calls; each becomes a pair of app settings. */
  callees: readonly CalleeEndpoint[];
}

/** A calling service whose system-assigned identity is its only credential. */
export class CallerApp extends pulumi.ComponentResource implements Grantee {
  readonly name: string;
  /** Object id of the app's managed identity, as Azure reports it. */
  readonly principalId: pulumi.Output<string>;
  /** The identity once Entra ID serves it (see {@link managedIdentityPrincipal}). */
  readonly identity: pulumi.Output<PrincipalRef>;
  readonly url: pulumi.Output<string>;
  /** The site's (or container app's) name: where its code is deployed to (`az webapp deploy --name`). */
  readonly appName: pulumi.Output<string>;

  constructor(name: string, args: CallerAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPE.callerApp, name, {}, opts);
    this.name = name;
    const app = hostedApp(
      args.host,
      name,
      { hosting: args.hosting, appSettings: calleeAppSettings(args.callees) },
      this,
    );
    this.principalId = app.principalId;
    this.identity = managedIdentityPrincipal(this.principalId, this);
    this.url = app.url;
    this.appName = app.name;
    this.registerOutputs({ principalId: this.principalId, url: this.url });
  }
}
