// The pipeline's own identities, run once by an admin (`pulumi up` in bootstrap/): preview
// (read only, trusted by pull requests and branch pushes), deploy-dev (trusted only by the
// `dev` GitHub environment) and deploy-prod (only `prod`). Federated credentials only, no
// secrets. The outputs are exactly the GitHub variables the workflows read.
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { authorization } from "../components/azureNative.ts";
import { credentialName } from "../components/ciPrincipal.ts";
import { FEDERATION_AUDIENCE, federatedSubject, GITHUB_OIDC_ISSUER } from "../components/federation.ts";
import { DEPLOYS_TAG } from "../policy/identityRules.ts";
import { backendUrl, loadBootstrapConfig, secretsProviderUrl, type BootstrapConfig } from "./config.ts";
import { deployerGrants, MICROSOFT_GRAPH_CLIENT_ID, PREVIEW_GRANTS, type Environment, type Grant } from "./permissions.ts";


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
    super("s2s-auth:bootstrap:PipelineIdentity", name, {}, opts);
    const app = new azuread.Application(
      `${name}-app`,
      {
        displayName: args.displayName,
        signInAudience: "AzureADMyOrg",
        notes: `GitHub Actions of ${args.repository} (OIDC, no secrets). Managed by the s2s-auth bootstrap stack.`,
        // The policy rules read it: an identity that deploys prod may trust only environment:prod.
        tags: args.deploys ? [`${DEPLOYS_TAG}${args.deploys}`] : [],
        web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
      },
      { parent: this },
    );
    this.clientId = app.clientId;
    const sp = new azuread.ServicePrincipal(`${name}-sp`, { clientId: app.clientId, featureTags: [{ hide: true, enterprise: true }] }, { parent: this });
    for (const subject of args.subjects) {
      new azuread.ApplicationFederatedIdentityCredential(
        `${name}-fic-${subject}`,
        {
          applicationId: app.id,
          displayName: credentialName(subject),
          description: `GitHub Actions of ${args.repository}, ${subject}`,
          issuer: GITHUB_OIDC_ISSUER,
          audiences: [FEDERATION_AUDIENCE],
          subject: federatedSubject(args.repository, subject),
        },
        { parent: this },
      );
    }
    for (const grant of args.azure) {
      new authorization.RoleAssignment(
        `${name}-${slug(grant.roleName)}-${slug(grant.scope.split("/").pop()!)}`,
        {
          principalId: sp.objectId,
          principalType: "ServicePrincipal",
          roleDefinitionId: `/subscriptions/${subscriptionOf(grant.scope)}/providers/Microsoft.Authorization/roleDefinitions/${grant.roleId}`,
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
        { principalObjectId: sp.objectId, resourceObjectId: args.graphServicePrincipalObjectId, appRoleId: permission.id },
        { parent: this },
      );
    }
    this.registerOutputs({ clientId: this.clientId });
  }
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** The scopes a grant applies to, for an identity working on `subscriptions`. */
function scopesOf(grant: Grant, cfg: BootstrapConfig, subscriptions: string[]): string[] {
  if (grant.scope === "state container") return [cfg.stateContainerId];
  if (grant.scope === "secrets key") return [cfg.secretsKeyId];
  return subscriptions.map((s) => `/subscriptions/${s}`);
}

function azureGrants(grants: readonly Grant[], cfg: BootstrapConfig, subscriptions: string[]): AzureGrant[] {
  return grants
    .filter((g) => g.kind === "azure")
    .flatMap((g) => scopesOf(g, cfg, subscriptions).map((scope) => ({ roleId: g.permission.id, roleName: g.permission.name, scope, ...(g.condition ? { condition: g.condition } : {}) })));
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
