// bootstrap/, the pipeline's identities, run by each tenant's admin as docs/deploying.md's zero-to-dev
// path says, in the layout it leads with: review and dev in the dev tenant (the twin's default tenant),
// prod in a tenant of its own, one bootstrap stack each (bootstrap/Pulumi.dev-tenant.yaml,
// Pulumi.prod-tenant.yaml). The scopes they need are made outside any stack, their `pulumi up` is the
// first step (the stacks then deploy as the deploy identities they made) and their destroy the last.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { Workspace } from "../workspace.ts";
import { type PipelineClients, type StateScopes, remains, step, total } from "./context.ts";

// Ids of what is made outside any stack (docs/deploying.md, "Zero to dev", step 1). The dev tenant is the
// twin's default tenant, its subscription dev's; review has a subscription of its own there. The prod
// tenant holds prod's subscription. Each tenant keeps its stacks' state in a subscription of its own:
// a container and a key per environment, and the bootstrap stack's own.
const PROD_TENANT = "5e2e0000-0000-4000-8000-00000000e000";
const REVIEW_SUBSCRIPTION = "5e2e0000-0000-4000-8000-0000000000f1";
const PROD_SUBSCRIPTION = "5e2e0000-0000-4000-8000-0000000000f2";
const DEV_STATE_SUBSCRIPTION = "5e2e0000-0000-4000-8000-0000000000f3";
const PROD_STATE_SUBSCRIPTION = "5e2e0000-0000-4000-8000-0000000000f4";

/** A tenant's state: its storage account's containers and its vault's keys, one per environment. */
function stateOf(subscription: string, account: string, vault: string) {
  const group = `/subscriptions/${subscription}/resourceGroups/pulumi-state`;
  return {
    container: (name: string) =>
      `${group}/providers/Microsoft.Storage/storageAccounts/${account}/blobServices/default/containers/${name}`,
    key: (name: string) => `${group}/providers/Microsoft.KeyVault/vaults/${vault}/keys/${name}`,
  };
}
const DEV_STATE = stateOf(DEV_STATE_SUBSCRIPTION, "e2edevstate", "e2e-dev-pulumi");
const PROD_STATE = stateOf(PROD_STATE_SUBSCRIPTION, "e2eprodstate", "e2e-prod-pulumi");

/** Each tenant's bootstrap stack, what it holds and where their states are. */
const STACKS = {
  "dev-tenant": { environments: ["review", "dev"], state: DEV_STATE },
  "prod-tenant": { environments: ["prod"], state: PROD_STATE },
} as const;

/** The repository the identities trust, and whose GitHub environments bootstrap declares. */
const REPOSITORY = "s2s-auth-e2e/s2s-auth";

/**
 * A bootstrap stack's commands: in bootstrap/, GitHub's provider with a repository admin's token (the
 * twin checks none's value), the prod tenant's stack signed in to the prod tenant as its admin (the
 * tenant's deployer: no client id).
 */
const project = (stack: keyof typeof STACKS) => ({
  project: "bootstrap",
  env: { GITHUB_TOKEN: "e2e-repository-admin", ...(stack === "prod-tenant" ? { ARM_TENANT_ID: PROD_TENANT } : {}) },
});

/**
 * Makes what bootstrap/'s config names, as each tenant's admin does before running it: the prod tenant,
 * the subscriptions, state containers and keys, and on GitHub the repository and a team of reviewers.
 */
export async function seedScopes(ws: Workspace): Promise<void> {
  await ws.twin(["add-tenant", "--tenant-id", PROD_TENANT, "--subscription-id", PROD_SUBSCRIPTION]);
  await ws.twin(["add-subscription", REVIEW_SUBSCRIPTION]);
  for (const [tenant, stack] of [
    [[], STACKS["dev-tenant"]],
    [["--tenant", PROD_TENANT], STACKS["prod-tenant"]],
  ] as const)
    for (const name of [...stack.environments, "bootstrap"]) {
      const containers = "Microsoft.Storage/storageAccounts/blobServices/containers";
      await ws.twin([...tenant, "add-resource", stack.state.container(name), containers]);
      await ws.twin([...tenant, "add-resource", stack.state.key(name), "Microsoft.KeyVault/vaults/keys"]);
    }
  await ws.twin(["add-repository", REPOSITORY]);
  await ws.twin(["add-github-team", "reviewers"]);
}

/** One tenant's bootstrap stack up and previewed without changes under the policy pack; its outputs. */
async function bootstrapStack(
  ws: Workspace,
  stack: keyof typeof STACKS,
  tenantId: string,
  subscriptions: Record<string, string>,
  reviewers: number,
): Promise<BootstrapOutputs> {
  await ws.run("pulumi", ["--cwd", "bootstrap", "stack", "init", stack, "--non-interactive"]);
  const { environments, state } = STACKS[stack];
  // The stack file as an admin edits it (nested maps, numbers), after `stack init` wrote its secrets salt.
  const file = join(ws.dir, "bootstrap", `Pulumi.${stack}.yaml`);
  const stackFile = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  stackFile.config = {
    "s2s-auth-bootstrap:repository": REPOSITORY,
    "s2s-auth-bootstrap:tenantId": tenantId,
    "s2s-auth-bootstrap:environments": Object.fromEntries(
      environments.map((name) => [
        name,
        {
          subscriptionId: subscriptions[name]!,
          stateContainerId: state.container(name),
          secretsKeyId: state.key(name),
          ...(name === "dev" ? {} : { reviewers: { teams: [reviewers] } }),
        },
      ]),
    ),
    "s2s-auth-bootstrap:bootstrapState": {
      stateContainerId: state.container("bootstrap"),
      secretsKeyId: state.key("bootstrap"),
    },
  };
  writeFileSync(file, stringify(stackFile));
  await ws.pulumi(stack, ["up", "--yes", "--skip-preview"], project(stack));
  await ws.pulumi(stack, ["preview", "--expect-no-changes", "--policy-pack", "../policy"], project(stack));
  return JSON.parse((await ws.pulumi(stack, ["stack", "output", "--json"], project(stack))).stdout) as BootstrapOutputs;
}

interface BootstrapOutputs {
  environmentVariables: Record<string, { AZURE_CLIENT_ID: string }>;
  repositoryVariables: { AZURE_PREVIEW_CLIENT_ID?: string };
}

/** Both bootstrap stacks up, each as its tenant's admin. */
export async function bootstrap(ws: Workspace) {
  const admin = (await ws.twin(["show", "deployer"])).stdout;
  const devTenant = JSON.parse((await ws.twin(["show", "tenantId"])).stdout) as string;
  const devSubscription = JSON.parse((await ws.twin(["show", "subscriptionId"])).stdout) as string;
  const reviewers = Number((await ws.twin(["add-github-team", "reviewers"])).stdout.trim());
  const [dev, prod] = await Promise.all([
    bootstrapStack(ws, "dev-tenant", devTenant, { review: REVIEW_SUBSCRIPTION, dev: devSubscription }, reviewers),
    bootstrapStack(ws, "prod-tenant", PROD_TENANT, { prod: PROD_SUBSCRIPTION }, reviewers),
  ]);
  const clients: PipelineClients = {
    deployReview: dev.environmentVariables["review"]!.AZURE_CLIENT_ID,
    deployDev: dev.environmentVariables["dev"]!.AZURE_CLIENT_ID,
    previewDev: dev.repositoryVariables.AZURE_PREVIEW_CLIENT_ID!,
    deployProd: prod.environmentVariables["prod"]!.AZURE_CLIENT_ID,
    previewProd: prod.environmentVariables["prod-preview"]!.AZURE_CLIENT_ID,
  };
  const deployDev = (await ws.twin(["find", "servicePrincipals", "appId", clients.deployDev])).stdout.trim();
  assert(/^[0-9a-f-]{36}$/.test(deployDev), `no service principal for deploy-dev's client id ${clients.deployDev}`);
  const state: StateScopes = {
    containers: {
      review: DEV_STATE.container("review"),
      dev: DEV_STATE.container("dev"),
      prod: PROD_STATE.container("prod"),
    },
    keys: { review: DEV_STATE.key("review"), dev: DEV_STATE.key("dev"), prod: PROD_STATE.key("prod") },
  };
  return { admin, deployDev, devTenant, prodTenant: PROD_TENANT, prodSubscription: PROD_SUBSCRIPTION, clients, state };
}

export const bootstrapUp = step({
  name: "bootstrap: each tenant's admin runs its stack (dev-tenant, prod-tenant); previews then find no changes",
  gives: "bootstrap",
  run: async (context) => {
    const { ws } = context;
    const identities = await bootstrap(ws);
    // From here on the dev tenant's deployer is deploy-dev, with what bootstrap/ granted it; prod signs
    // in as deploy-prod (e2e/steps/context.ts, stackEnv).
    const held = JSON.parse((await ws.twin(["deployer", "--as", identities.deployDev])).stdout) as {
      azureRoles: { role: string }[];
      graphAppRoles: string[];
    };
    context.bootstrap = { ...identities, objects: total(await remains(ws)) };
    return (
      `dev and test deploy as deploy-dev: ${held.azureRoles.length} role assignments, Graph ` +
      `${held.graphAppRoles.join(", ")}; prod as deploy-prod in tenant ${identities.prodTenant}`
    );
  },
});

export const bootstrapDestroy = step({
  name: "bootstrap: pulumi destroy of both stacks (after unprotect) leaves only what existed before them",
  needs: ["bootstrap"],
  run: async ({ ws, bootstrap, seeded }) => {
    // The dev tenant's admin takes over again: deploy-dev is about to be deleted.
    await ws.twin(["deployer", bootstrap.admin]);
    await Promise.all(
      (Object.keys(STACKS) as (keyof typeof STACKS)[]).map(async (stack) => {
        await ws.pulumi(stack, ["state", "unprotect", "--all", "--yes"], project(stack));
        await ws.pulumi(stack, ["destroy", "--yes", "--skip-preview", "--remove"], project(stack));
      }),
    );
    const left = await remains(ws);
    assert(total(left) === seeded, `left in the twin: ${JSON.stringify(left)}`);
    return `back to the ${total(left)} scopes seeded outside the stacks`;
  },
});
