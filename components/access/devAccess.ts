// Developer access to a dev callee from a devbox: pre-authorized tools, assigned people.
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "../azuread.ts";
import { type DeveloperAccess, RESOURCE_TYPE, WELL_KNOWN_CLIENTS } from "../../model/index.ts";
import { AppRoleGrant } from "./appRoleGrant.ts";

export interface DevAccessArgs {
  /** Who gets in: client applications, users and groups (dev stacks only). */
  access: DeveloperAccess;
  /** The callee's app registration id, `/applications/{objectId}`. */
  applicationId: pulumi.Input<string>;
  /** Object id of the callee's service principal. */
  servicePrincipalObjectId: pulumi.Input<string>;
  /** Id of the delegated scope the authorized clients are pre-authorized for. */
  scopeId: pulumi.Input<string>;
  /** Id of the app role users and groups are assigned; it must allow `User` members. */
  appRoleId: pulumi.Input<string>;
}

function clientLabel(clientId: string): string {
  return Object.entries(WELL_KNOWN_CLIENTS).find(([, id]) => id === clientId)?.[0] ?? clientId;
}

/**
 * Developer access to a dev callee from a devbox: the listed client applications (e.g. the
 * Azure CLI) are pre-authorized for the delegated scope, so they get tokens without a consent
 * prompt, and the listed users and groups are assigned an app role, because the callee's
 * service principal requires an assignment of everyone. A group assignment needs Microsoft
 * Entra ID P1 or P2 and reaches direct members only, not nested groups (Microsoft Learn,
 * "Manage users and groups assignment to an application").
 */
export class DevAccess extends pulumi.ComponentResource {
  readonly preAuthorizations: azuread.ApplicationPreAuthorized[];
  readonly grants: AppRoleGrant[];

  constructor(name: string, args: DevAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPE.devAccess, name, {}, opts);
    const { access } = args;
    this.preAuthorizations = access.authorizedClients.map(
      (clientId) =>
        new azuread.ApplicationPreAuthorized(
          `${name}-client-${clientLabel(clientId)}`,
          { applicationId: args.applicationId, authorizedClientId: clientId, permissionIds: [args.scopeId] },
          { parent: this },
        ),
    );
    const grant = (suffix: string, principalObjectId: pulumi.Input<string>) =>
      new AppRoleGrant(
        `${name}-${suffix}`,
        { principalObjectId, resourceObjectId: args.servicePrincipalObjectId, appRoleId: args.appRoleId },
        { parent: this },
      );
    this.grants = [
      ...access.userPrincipalNames.map((upn) =>
        grant(`user-${upn}`, azuread.getUserOutput({ userPrincipalName: upn }, { parent: this }).objectId),
      ),
      ...access.userObjectIds.map((id) => grant(`user-${id}`, id)),
      ...access.groupObjectIds.map((id) => grant(`group-${id}`, id)),
    ];
    this.registerOutputs({});
  }
}
