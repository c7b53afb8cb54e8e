// One pipeline identity: an app registration, its service principal, federated credentials
// (GitHub Actions OIDC, no secrets) and its grants, all under one component so the identity
// policy rules see what it may do next to who may sign in as it.
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "../components/azuread.ts";
import { githubCredentials } from "../components/access/ciPrincipal.ts";
import { appRegistration } from "../components/appRegistration.ts";
import { authorization } from "../components/azureNative.ts";
import { DEPLOYS_TAG, RESOURCE_TYPE } from "../model/index.ts";
import type { Environment } from "./permissions.ts";

export interface AzureGrant {
  roleId: string;
  roleName: string;
  scope: string;
  condition?: string;
}

export interface PipelineIdentityArgs {
  displayName: string;
  repository: string;
  /** OIDC subjects after `repo:<repository>:`. */
  subjects: string[];
  /** The environment it deploys, if any: recorded as a tag for the policy rules. */
  deploys?: Environment;
  azure: AzureGrant[];
  /** Microsoft Graph app role ids. */
  graph: { id: string; name: string }[];
  graphServicePrincipalObjectId: pulumi.Input<string>;
}

/** The subscription an ARM id lives in, for the role definition id. */
function subscriptionOf(scope: string): string {
  return scope.split("/")[2]!;
}

/** One pipeline identity: app registration, service principal, federated credentials, its grants. */
export class PipelineIdentity extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;

  constructor(name: string, args: PipelineIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPE.pipelineIdentity, name, {}, opts);
    // No owners listed: an administrator runs this stack, not a deployer limited to what it owns.
    const { application: app, servicePrincipal: sp } = appRegistration(
      name,
      {
        displayName: args.displayName,
        application: {
          notes: `GitHub Actions of ${args.repository} (OIDC, no secrets). Managed by the s2s-auth bootstrap stack.`,
          // The policy rules read it: an identity that deploys prod may trust only environment:prod.
          tags: args.deploys ? [`${DEPLOYS_TAG}${args.deploys}`] : [],
        },
      },
      this,
    );
    this.clientId = app.clientId;
    githubCredentials(name, { applicationId: app.id, repository: args.repository, subjects: args.subjects }, this);
    for (const grant of args.azure) {
      new authorization.RoleAssignment(
        `${name}-${slug(grant.roleName)}-${slug(grant.scope.split("/").pop()!)}`,
        {
          principalId: sp.objectId,
          principalType: "ServicePrincipal",
          roleDefinitionId:
            `/subscriptions/${subscriptionOf(grant.scope)}` +
            `/providers/Microsoft.Authorization/roleDefinitions/${grant.roleId}`,
          scope: grant.scope,
          ...(grant.condition ? { condition: grant.condition, conditionVersion: "2.0" } : {}),
          description: `${args.displayName}: ${grant.roleName}`,
        },
        { parent: this },
      );
    }
    for (const permission of args.graph) {
      new azuread.AppRoleAssignment(
        `${name}-graph-${permission.name}`,
        {
          principalObjectId: sp.objectId,
          resourceObjectId: args.graphServicePrincipalObjectId,
          appRoleId: permission.id,
        },
        { parent: this },
      );
    }
    this.registerOutputs({ clientId: this.clientId });
  }
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
