// A caller whose identity exists outside the stack (VM, container instance, AKS workload,
// user-assigned identity): the program only grants it.
import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_TYPE } from "../../model/index.ts";
import { managedIdentityPrincipal, type Grantee, type PrincipalRef } from "../principal.ts";

export interface ExternalCallerArgs {
  /** Object id of the existing identity's service principal (VM, container instance, AKS workload, user-assigned). */
  principalId: string;
}

/**
 * A caller whose identity exists outside this stack: the program only grants it. Declared as a
 * component so that plans and previews show who it is.
 */
export class ExternalCaller extends pulumi.ComponentResource implements Grantee {
  readonly name: string;
  readonly principalId: pulumi.Output<string>;
  readonly identity: pulumi.Output<PrincipalRef>;

  constructor(name: string, args: ExternalCallerArgs, opts?: pulumi.ComponentResourceOptions) {
    // The principal id is the component's input so that plans and previews show it.
    super(RESOURCE_TYPE.externalCaller, name, { principalId: args.principalId }, opts);
    this.name = name;
    this.principalId = pulumi.output(args.principalId);
    this.identity = managedIdentityPrincipal(this.principalId, this);
    this.registerOutputs({ principalId: this.principalId });
  }
}
