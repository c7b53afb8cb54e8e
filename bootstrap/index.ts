// The pipeline's own identities, run once by an admin (`pulumi up` in bootstrap/): preview
// (read only, trusted by pull requests and branch pushes), deploy-dev (trusted only by the
// `dev` GitHub environment) and deploy-prod (only `prod`). Federated credentials only, no
// secrets. The outputs are exactly the GitHub variables the workflows read.
//
// The entry point exports only its default function: @pulumi/pulumi's run script refuses a
// module with both a default export and named exports.
import type * as pulumi from "@pulumi/pulumi";
import * as azuread from "../components/azuread.ts";
import { backendUrl, loadBootstrapConfig, secretsProviderUrl, type BootstrapConfig } from "./config.ts";
import { MICROSOFT_GRAPH_CLIENT_ID } from "../model/roles.ts";
import { deployerGrants, PREVIEW_GRANTS, type Grant } from "./permissions.ts";
import { PipelineIdentity, type AzureGrant } from "./pipelineIdentity.ts";

/** The scopes a grant applies to, for an identity working on `subscriptions`. */
function scopesOf(grant: Grant, cfg: BootstrapConfig, subscriptions: string[]): string[] {
  if (grant.scope === "state container") return [cfg.stateContainerId];
  if (grant.scope === "secrets key") return [cfg.secretsKeyId];
  return subscriptions.map((s) => `/subscriptions/${s}`);
}

function azureGrants(grants: readonly Grant[], cfg: BootstrapConfig, subscriptions: string[]): AzureGrant[] {
  return grants
    .filter((g) => g.kind === "azure")
    .flatMap((g) =>
      scopesOf(g, cfg, subscriptions).map((scope) => ({
        roleId: g.permission.id,
        roleName: g.permission.name,
        scope,
        ...(g.condition ? { condition: g.condition } : {}),
      })),
    );
}

function graphGrants(grants: readonly Grant[]): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const g of grants) if (g.kind === "graph") seen.set(g.permission.id, g.permission.name);
  return [...seen].map(([id, name]) => ({ id, name }));
}

export default function main() {
  const cfg = loadBootstrapConfig();
  // The pipeline's identities are what every later deployment stands on: never destroyed by accident.
  const opts: pulumi.ComponentResourceOptions = { protect: true };
  const graph = azuread.getServicePrincipalOutput({ clientId: MICROSOFT_GRAPH_CLIENT_ID });
  const common = { repository: cfg.repository, graphServicePrincipalObjectId: graph.objectId };

  const preview = new PipelineIdentity(
    "preview",
    {
      ...common,
      displayName: `s2s-auth-preview (${cfg.repository})`,
      subjects: ["pull_request", ...cfg.previewBranches.map((b) => `ref:refs/heads/${b}`)],
      azure: azureGrants(PREVIEW_GRANTS, cfg, [cfg.subscriptions.dev, cfg.subscriptions.prod]),
      graph: graphGrants(PREVIEW_GRANTS),
    },
    opts,
  );
  const deployers = (["dev", "prod"] as const).map((environment) => {
    const grants = deployerGrants(environment);
    return new PipelineIdentity(
      `deploy-${environment}`,
      {
        ...common,
        displayName: `s2s-auth-deploy-${environment} (${cfg.repository})`,
        subjects: [`environment:${environment}`],
        deploys: environment,
        azure: azureGrants(grants, cfg, [cfg.subscriptions[environment]]),
        graph: graphGrants(grants),
      },
      opts,
    );
  });

  return {
    // Settings → Secrets and variables → Actions → Variables (repository). None is a secret.
    repositoryVariables: {
      AZURE_TENANT_ID: azuread.getClientConfigOutput().tenantId,
      AZURE_PREVIEW_CLIENT_ID: preview.clientId,
      AZURE_DEV_SUBSCRIPTION_ID: cfg.subscriptions.dev,
      AZURE_PROD_SUBSCRIPTION_ID: cfg.subscriptions.prod,
      PULUMI_BACKEND_URL: backendUrl(cfg.stateContainerId),
      PULUMI_SECRETS_PROVIDER: secretsProviderUrl(cfg.secretsKeyId),
    },
    // Settings → Environments → <name> → Environment variables.
    environmentVariables: {
      dev: { AZURE_DEPLOY_CLIENT_ID: deployers[0]!.clientId },
      prod: { AZURE_DEPLOY_CLIENT_ID: deployers[1]!.clientId },
    },
  };
}
