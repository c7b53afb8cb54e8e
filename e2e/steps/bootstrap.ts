// bootstrap/, the pipeline's identities, run by an admin as docs/deploying.md's zero-to-dev path says: the
// scopes it needs made outside any stack, its `pulumi up` (the first step; the stacks then deploy as
// the deploy-dev identity it made) and its destroy (the last step).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { SHARED_TENANT_ACKNOWLEDGEMENT } from "../../bootstrap/config.ts";
import type { Workspace } from "../workspace.ts";
import { remains, step, total } from "./context.ts";

// Ids of scopes made outside any stack (docs/deploying.md, "Zero to dev", step 1): the twin holds
// one tenant, so the stack is the one-tenant shape (examples/bootstrap/Pulumi.one-tenant.yaml, the
// shared tenant acknowledged): a subscription for review and one for prod besides the twin's own
// (dev's), and one for the state, with a container and a key per environment and the bootstrap's own.
const REVIEW_SUBSCRIPTION = "5e2e0000-0000-4000-8000-0000000000f1";
const PROD_SUBSCRIPTION = "5e2e0000-0000-4000-8000-0000000000f2";
const STATE_SUBSCRIPTION = "5e2e0000-0000-4000-8000-0000000000f3";
const STATE_GROUP = `/subscriptions/${STATE_SUBSCRIPTION}/resourceGroups/pulumi-state`;
const STATE_ACCOUNT = `${STATE_GROUP}/providers/Microsoft.Storage/storageAccounts/e2estate`;
const VAULT = `${STATE_GROUP}/providers/Microsoft.KeyVault/vaults/e2e-pulumi`;
const STATES = ["review", "dev", "prod", "bootstrap"] as const;
const container = (name: string) => `${STATE_ACCOUNT}/blobServices/default/containers/${name}`;
const key = (name: string) => `${VAULT}/keys/${name}`;
/** The repository the identities trust, and whose GitHub environments bootstrap declares. */
const REPOSITORY = "s2s-auth-e2e/s2s-auth";

// bootstrap's GitHub provider signs in with a repository admin's token (the twin checks none's value).
const BOOTSTRAP = { project: "bootstrap", env: { GITHUB_TOKEN: "e2e-repository-admin" } };

/**
 * Makes the scopes bootstrap/'s config names, as a person does before running it: subscriptions,
 * state containers and keys, and on GitHub the repository and a team of reviewers.
 */
export async function seedScopes(ws: Workspace): Promise<void> {
  await ws.twin(["add-repository", REPOSITORY]);
  await ws.twin(["add-github-team", "reviewers"]);
  for (const subscription of [REVIEW_SUBSCRIPTION, PROD_SUBSCRIPTION])
    await ws.twin(["add-resource", `/subscriptions/${subscription}`, "Microsoft.Resources/subscriptions"]);
  for (const name of STATES) {
    await ws.twin(["add-resource", container(name), "Microsoft.Storage/storageAccounts/blobServices/containers"]);
    await ws.twin(["add-resource", key(name), "Microsoft.KeyVault/vaults/keys"]);
  }
}

/** bootstrap/ up as the admin; returns the admin and the service principal of the deploy-dev identity it made. */
async function bootstrap(ws: Workspace): Promise<{ deployDev: string; admin: string }> {
  const admin = (await ws.twin(["show", "deployer"])).stdout;
  const subscription = JSON.parse((await ws.twin(["show", "subscriptionId"])).stdout) as string;
  const tenantId = JSON.parse((await ws.twin(["show", "tenantId"])).stdout) as string;
  const reviewers = Number((await ws.twin(["add-github-team", "reviewers"])).stdout.trim());
  await ws.run("pulumi", ["--cwd", "bootstrap", "stack", "init", "pipeline", "--non-interactive"]);
  const environment = (subscriptionId: string, name: string) => ({
    subscriptionId,
    stateContainerId: container(name),
    secretsKeyId: key(name),
    ...(name === "dev" ? {} : { reviewers: { teams: [reviewers] } }),
  });
  // The stack file as an admin edits it (nested maps, numbers), after `stack init` wrote its secrets salt.
  const file = join(ws.dir, "bootstrap", "Pulumi.pipeline.yaml");
  const stackFile = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  stackFile.config = {
    "s2s-auth-bootstrap:repository": REPOSITORY,
    "s2s-auth-bootstrap:tenantId": tenantId,
    "s2s-auth-bootstrap:environments": {
      review: environment(REVIEW_SUBSCRIPTION, "review"),
      dev: environment(subscription, "dev"),
      prod: environment(PROD_SUBSCRIPTION, "prod"),
    },
    "s2s-auth-bootstrap:bootstrapState": { stateContainerId: container("bootstrap"), secretsKeyId: key("bootstrap") },
    "s2s-auth-bootstrap:sharedTenant": SHARED_TENANT_ACKNOWLEDGEMENT,
  };
  writeFileSync(file, stringify(stackFile));
  await ws.pulumi("pipeline", ["up", "--yes", "--skip-preview"], BOOTSTRAP);
  await ws.pulumi("pipeline", ["preview", "--expect-no-changes", "--policy-pack", "../policy"], BOOTSTRAP);
  const out = JSON.parse((await ws.pulumi("pipeline", ["stack", "output", "--json"], BOOTSTRAP)).stdout) as {
    environmentVariables: Record<string, { AZURE_CLIENT_ID: string }>;
  };
  const clientId = out.environmentVariables["dev"]!.AZURE_CLIENT_ID;
  const deployDev = (await ws.twin(["find", "servicePrincipals", "appId", clientId])).stdout.trim();
  assert(/^[0-9a-f-]{36}$/.test(deployDev), `no service principal for deploy-dev's client id ${clientId}`);
  return { deployDev, admin };
}

export const bootstrapUp = step({
  name: "bootstrap: an admin's pulumi up creates the pipeline's identities; preview then finds no changes",
  gives: "bootstrap",
  run: async (context) => {
    const { ws } = context;
    const identities = await bootstrap(ws);
    // From here on the twin's deployer is deploy-dev, with what bootstrap/ granted it.
    const held = JSON.parse((await ws.twin(["deployer", "--as", identities.deployDev])).stdout) as {
      azureRoles: { role: string }[];
      graphAppRoles: string[];
    };
    context.bootstrap = { ...identities, objects: total(await remains(ws)) };
    return (
      `the stacks now deploy as deploy-dev: ${held.azureRoles.map((r) => r.role).join(", ")}; Graph ` +
      `${held.graphAppRoles.join(", ")}`
    );
  },
});

export const bootstrapDestroy = step({
  name: "bootstrap: pulumi destroy (after unprotect) leaves only what existed before it",
  needs: ["bootstrap"],
  run: async ({ ws, bootstrap, seeded }) => {
    // The admin takes over again: deploy-dev is about to be deleted.
    await ws.twin(["deployer", bootstrap.admin]);
    await ws.pulumi("pipeline", ["state", "unprotect", "--all", "--yes"], BOOTSTRAP);
    await ws.pulumi("pipeline", ["destroy", "--yes", "--skip-preview", "--remove"], BOOTSTRAP);
    const left = await remains(ws);
    assert(total(left) === seeded, `left in the twin: ${JSON.stringify(left)}`);
    return `back to the ${total(left)} scopes seeded outside the stacks`;
  },
});
