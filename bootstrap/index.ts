// The pipeline's own identities in one Entra tenant, run once per tenant by an admin (`pulumi up`
// in bootstrap/): for each environment the stack holds (review, dev, prod), its deploy identity,
// trusted only by its GitHub environments, and for dev and prod a preview identity that only
// reads (pull requests preview dev; prod is previewed from main). Federated credentials only, no
// secrets. The GitHub environments those identities trust, their protection rules and the
// variables the workflows read are declared here too (bootstrap/github.ts). The outputs repeat
// the variables.
//
// The entry point exports only its default function: @pulumi/pulumi's run script refuses a
// module with both a default export and named exports.
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "../components/azuread.ts";
import { stableGuid } from "../components/stableId.ts";
import { authorization } from "../components/azureNative.ts";
import { ConfigError } from "../config.ts";
import { BOOTSTRAP_PROJECT } from "../model/index.ts";
import { MICROSOFT_GRAPH_CLIENT_ID } from "../model/roles.ts";
import {
  backendUrl,
  type BootstrapConfig,
  type EnvironmentConfig,
  environmentsOf,
  loadBootstrapConfig,
  resourceGroupOf,
  secretsProviderUrl,
} from "./config.ts";
import { DeploymentEnvironment, github } from "./github.ts";
import {
  ASSIGNED_ROLE_IDS,
  constrainRolesCondition,
  type CustomRole,
  GITHUB_ENVIRONMENTS,
  type Grant,
  identitiesFor,
  type IdentitySpec,
} from "./permissions.ts";
import { type AzureGrant, PipelineIdentity, slug } from "./pipelineIdentity.ts";

/** The ARM ids a grant applies to, in its environment. */
function scopeOf(grant: Grant, env: EnvironmentConfig): string {
  if (grant.scope === "state container") return env.stateContainerId;
  if (grant.scope === "secrets key") return env.secretsKeyId;
  return `/subscriptions/${env.subscriptionId}`;
}

const roleDefinitionIdAt = (scope: string, guid: string) =>
  `/subscriptions/${scope.split("/")[2]!}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

/**
 * The custom roles the stack's grants use, each declared once in this tenant (a role name is
 * unique in its directory), assignable where the keys are.
 */
function customRoles(
  cfg: BootstrapConfig,
  specs: IdentitySpec[],
  opts: pulumi.CustomResourceOptions,
): Map<CustomRole, { guid: string; resource: pulumi.Resource }> {
  const keyGroups = [
    ...new Set(environmentsOf(cfg).map((e) => resourceGroupOf(cfg.environments[e]!.secretsKeyId))),
  ].sort();
  const roles = new Map<CustomRole, { guid: string; resource: pulumi.Resource }>();
  for (const grant of specs.flatMap((s) => s.grants)) {
    const role = grant.permission;
    if (!("custom" in role) || roles.has(role)) continue;
    const guid = stableGuid(cfg.tenantId, cfg.repository, role.name);
    const resource = new authorization.RoleDefinition(
      `role-${slug(role.name)}`,
      {
        roleDefinitionId: guid,
        roleName: `${role.name} (${cfg.repository})`,
        description: role.description,
        roleType: "CustomRole",
        permissions: [
          {
            actions: [...role.permissions.actions],
            notActions: [...role.permissions.notActions],
            dataActions: [...role.permissions.dataActions],
            notDataActions: [...role.permissions.notDataActions],
          },
        ],
        scope: `/subscriptions/${keyGroups[0]!.split("/")[2]!}`,
        assignableScopes: keyGroups,
      },
      opts,
    );
    roles.set(role, { guid, resource });
  }
  return roles;
}

function azureGrants(
  spec: IdentitySpec,
  env: EnvironmentConfig,
  roles: Map<CustomRole, { guid: string; resource: pulumi.Resource }>,
  excludedPrincipals: pulumi.Output<string>[],
): AzureGrant[] {
  return spec.grants
    .filter((g) => g.kind === "azure")
    .map((g) => {
      const scope = scopeOf(g, env);
      const custom = "custom" in g.permission ? roles.get(g.permission)! : undefined;
      const guid = "id" in g.permission ? g.permission.id : custom!.guid;
      return {
        roleDefinitionId: roleDefinitionIdAt(scope, guid),
        roleName: g.permission.name,
        scope,
        ...(g.constrained
          ? {
              condition: pulumi.all(excludedPrincipals).apply((ids) => constrainRolesCondition(ASSIGNED_ROLE_IDS, ids)),
            }
          : {}),
        ...(custom ? { dependsOn: [custom.resource] } : {}),
      };
    });
}

export default function main() {
  const cfg = loadBootstrapConfig();
  // The pipeline's identities are what every later deployment stands on: never destroyed by accident.
  const opts = { protect: true };
  const client = azuread.getClientConfigOutput();
  // An update signed in to another tenant would put this tenant's identities there.
  if (!pulumi.runtime.isDryRun())
    client.tenantId.apply((tenant) => {
      if (tenant.toLowerCase() !== cfg.tenantId.toLowerCase())
        throw new ConfigError(
          pulumi.getStack(),
          `${BOOTSTRAP_PROJECT}:tenantId`,
          `is ${cfg.tenantId}, but pulumi is signed in to tenant ${tenant}: run each bootstrap stack in its own tenant`,
        );
    });
  const graph = azuread.getServicePrincipalOutput({ clientId: MICROSOFT_GRAPH_CLIENT_ID });

  const specs = environmentsOf(cfg).flatMap(identitiesFor);
  const identities = specs.map(
    (spec) =>
      [
        spec,
        new PipelineIdentity(
          spec.name,
          {
            displayName: `s2s-auth-${spec.name} (${cfg.repository})`,
            repository: cfg.repository,
            subjects: spec.subjects,
            serves: { environment: spec.environment, role: spec.role },
            sharedTenantAcknowledged: cfg.sharedTenant !== undefined,
          },
          opts,
        ),
      ] as const,
  );
  const roles = customRoles(cfg, specs, opts);
  // Every deployer's role-assignment rights exclude all of the stack's identities.
  const excluded = identities.map(([, identity]) => identity.principalId);
  for (const [spec, identity] of identities)
    identity.grant({
      azure: azureGrants(spec, cfg.environments[spec.environment]!, roles, excluded),
      graph: spec.grants.flatMap((g) =>
        g.kind === "graph" && "id" in g.permission ? [{ id: g.permission.id, name: g.permission.name }] : [],
      ),
      graphServicePrincipalObjectId: graph.objectId,
    });

  // The GitHub side: each environment's GitHub environments and their variables.
  const [owner, repository] = cfg.repository.split("/") as [string, string];
  const provider = new github.Provider("github", { owner }, opts);
  const environmentVariables: Record<string, Record<string, pulumi.Input<string>>> = {};
  for (const environment of environmentsOf(cfg)) {
    const env = cfg.environments[environment]!;
    for (const spec of GITHUB_ENVIRONMENTS[environment]) {
      const identity = identities.find(([s]) => s.subjects.includes(`environment:${spec.name}`))![1];
      const variables = {
        AZURE_CLIENT_ID: identity.clientId,
        AZURE_TENANT_ID: cfg.tenantId,
        AZURE_SUBSCRIPTION_ID: env.subscriptionId,
        PULUMI_BACKEND_URL: backendUrl(env.stateContainerId),
        PULUMI_SECRETS_PROVIDER: secretsProviderUrl(env.secretsKeyId),
      };
      new DeploymentEnvironment(
        spec.name,
        {
          repository,
          environment: spec.name,
          ...(spec.reviewed ? { reviewers: env.reviewers ?? { users: [], teams: [] } } : {}),
          variables,
        },
        { ...opts, providers: [provider] },
      );
      environmentVariables[spec.name] = variables;
    }
  }
  // The pull request preview (no environment) reads repository variables: dev's preview identity.
  const repositoryVariables: Record<string, pulumi.Input<string>> = {};
  const dev = cfg.environments.dev;
  const previewDev = identities.find(([s]) => s.environment === "dev" && s.role === "preview")?.[1];
  if (dev && previewDev) {
    Object.assign(repositoryVariables, {
      AZURE_PREVIEW_CLIENT_ID: previewDev.clientId,
      AZURE_PREVIEW_TENANT_ID: cfg.tenantId,
      AZURE_PREVIEW_SUBSCRIPTION_ID: dev.subscriptionId,
      PULUMI_PREVIEW_BACKEND_URL: backendUrl(dev.stateContainerId),
    });
    for (const [variable, value] of Object.entries(repositoryVariables))
      new github.ActionsVariable(
        `repository-${variable}`,
        { repository, variableName: variable, value },
        {
          ...opts,
          provider,
        },
      );
  }

  return {
    // Settings → Secrets and variables → Actions → Variables (repository). None is a secret.
    repositoryVariables,
    // Settings → Environments → <name> → Environment variables.
    environmentVariables,
  };
}
