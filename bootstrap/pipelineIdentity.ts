// One pipeline identity: an app registration, its service principal, federated credentials
// (GitHub Actions OIDC, no secrets) and its grants, all under one component so the identity
// policy rules see what it may do next to who may sign in as it. The grants come after every
// identity of the stack exists (`grant`), because the role-assignment condition of each deployer
// names all of them.
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "../components/azuread.ts";
import { githubCredentials } from "../components/access/ciPrincipal.ts";
import { appRegistration } from "../components/appRegistration.ts";
import { authorization } from "../components/azureNative.ts";
import { DEPLOYS_TAG, READS_TAG, RESOURCE_TYPE, SHARED_TENANT_TAG } from "../model/index.ts";
import type { PipelineEnvironment } from "./config.ts";

export interface AzureGrant {
  /** The full role definition id (`/subscriptions/<s>/providers/Microsoft.Authorization/roleDefinitions/<guid>`). */
  roleDefinitionId: string;
  roleName: string;
  scope: string;
  condition?: pulumi.Input<string>;
  /** What must exist first (a custom role's definition). */
  dependsOn?: pulumi.Resource[];
}

export interface PipelineIdentityArgs {
  displayName: string;
  repository: string;
  /** OIDC subjects after `repo:<repository>:`. */
  subjects: readonly string[];
  /** The environment it deploys, or only reads: recorded as a tag for the policy rules. */
  serves: { environment: PipelineEnvironment; role: "deploy" | "preview" };
  /** The stack's config acknowledges that this tenant is prod's and others' (s2s-auth-bootstrap:sharedTenant). */
  sharedTenantAcknowledged: boolean;
}

export interface Grants {
  azure: AzureGrant[];
  /** Microsoft Graph app role ids. */
  graph: { id: string; name: string }[];
  graphServicePrincipalObjectId: pulumi.Input<string>;
}

/** One pipeline identity: app registration, service principal, federated credentials; its grants by {@link grant}. */
export class PipelineIdentity extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;
  /** Its service principal's object id: what role assignments and conditions name. */
  readonly principalId: pulumi.Output<string>;
  private readonly resourceName: string;
  private readonly displayName: string;

  constructor(name: string, args: PipelineIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPE.pipelineIdentity, name, {}, opts);
    this.resourceName = name;
    this.displayName = args.displayName;
    const tags = [
      `${args.serves.role === "deploy" ? DEPLOYS_TAG : READS_TAG}${args.serves.environment}`,
      ...(args.sharedTenantAcknowledged ? [SHARED_TENANT_TAG] : []),
    ];
    // No owners listed: an administrator runs this stack, not a deployer limited to what it owns.
    const { application: app, servicePrincipal: sp } = appRegistration(
      name,
      {
        displayName: args.displayName,
        application: {
          notes: `GitHub Actions of ${args.repository} (OIDC, no secrets). Managed by the s2s-auth bootstrap stack.`,
          // The policy rules read them: what it serves, and an acknowledged shared tenant.
          tags,
        },
      },
      this,
    );
    this.clientId = app.clientId;
    this.principalId = sp.objectId;
    githubCredentials(name, { applicationId: app.id, repository: args.repository, subjects: [...args.subjects] }, this);
  }

  /** Declares its role assignments and Graph permissions, under it. Called once. */
  grant(grants: Grants): void {
    const name = this.resourceName;
    for (const grant of grants.azure) {
      new authorization.RoleAssignment(
        `${name}-${slug(grant.roleName)}-${slug(grant.scope.split("/").pop()!)}`,
        {
          principalId: this.principalId,
          principalType: "ServicePrincipal",
          roleDefinitionId: grant.roleDefinitionId,
          scope: grant.scope,
          ...(grant.condition ? { condition: grant.condition, conditionVersion: "2.0" } : {}),
          description: `${this.displayName}: ${grant.roleName}`,
        },
        { parent: this, ...(grant.dependsOn ? { dependsOn: grant.dependsOn } : {}) },
      );
    }
    for (const permission of grants.graph) {
      new azuread.AppRoleAssignment(
        `${name}-graph-${permission.name}`,
        {
          principalObjectId: this.principalId,
          resourceObjectId: grants.graphServicePrincipalObjectId,
          appRoleId: permission.id,
        },
        { parent: this },
      );
    }
    this.registerOutputs({ clientId: this.clientId });
  }
}

export const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
