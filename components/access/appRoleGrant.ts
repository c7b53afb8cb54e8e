// One app role assignment, the grant that lets a principal obtain a token for a callee.
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "../azuread.ts";
import { RESOURCE_TYPE } from "../../model/index.ts";

export interface AppRoleGrantArgs {
  /** Object id of who is granted: a managed identity's or app's service principal, a user or a group. */
  principalObjectId: pulumi.Input<string>;
  /** Object id of the callee's service principal (the resource). */
  resourceObjectId: pulumi.Input<string>;
  /** Id of the app role granted, one of the callee's. */
  appRoleId: pulumi.Input<string>;
}

/**
 * One app role assignment: with "assignment required" on the callee's service principal,
 * Entra ID issues a token for the callee only to principals holding such a grant.
 */
export class AppRoleGrant extends pulumi.ComponentResource {
  readonly assignment: azuread.AppRoleAssignment;

  constructor(name: string, args: AppRoleGrantArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPE.appRoleGrant, name, {}, opts);
    this.assignment = new azuread.AppRoleAssignment(
      `${name}-assignment`,
      { principalObjectId: args.principalObjectId, resourceObjectId: args.resourceObjectId, appRoleId: args.appRoleId },
      { parent: this },
    );
    this.registerOutputs({ assignmentId: this.assignment.id });
  }
}
