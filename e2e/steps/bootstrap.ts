// bootstrap/, the pipeline's identities, run by an admin as docs/deploying.md's zero-to-dev path says: the
// scopes it needs made outside any stack, its `pulumi up` (the first step; the stacks then deploy as
// the deploy-dev identity it made) and its destroy (the last step).
import assert from "node:assert/strict";
import type { Workspace } from "../workspace.ts";
import { remains, step, total } from "./context.ts";

// Ids of scopes made outside any stack (docs/deploying.md, "Zero to dev", step 1): another subscription for
// prod and one for the state, with the state container and the secrets key.
const PROD_SUBSCRIPTION = "5e2e0000-0000-4000-8000-0000000000f2";
const STATE_SUBSCRIPTION = "5e2e0000-0000-4000-8000-0000000000f3";
const STATE_GROUP = `/subscriptions/${STATE_SUBSCRIPTION}/resourceGroups/pulumi-state`;
const STATE_ACCOUNT = `${STATE_GROUP}/providers/Microsoft.Storage/storageAccounts/e2estate`;
const STATE_CONTAINER = `${STATE_ACCOUNT}/blobServices/default/containers/pulumi-state`;
const SECRETS_KEY = `${STATE_GROUP}/providers/Microsoft.KeyVault/vaults/e2e-pulumi/keys/state`;

const BOOTSTRAP = { project: "bootstrap" };

/** Makes the scopes bootstrap/'s config names, as a person does before running it. */
export async function seedScopes(ws: Workspace): Promise<void> {
  await ws.twin(["add-resource", `/subscriptions/${PROD_SUBSCRIPTION}`, "Microsoft.Resources/subscriptions"]);
  await ws.twin(["add-resource", STATE_CONTAINER, "Microsoft.Storage/storageAccounts/blobServices/containers"]);
  await ws.twin(["add-resource", SECRETS_KEY, "Microsoft.KeyVault/vaults/keys"]);
}

/** bootstrap/ up as the admin; returns the admin and the service principal of the deploy-dev identity it made. */
async function bootstrap(ws: Workspace): Promise<{ deployDev: string; admin: string }> {
  const admin = (await ws.twin(["show", "deployer"])).stdout;
  const subscription = JSON.parse((await ws.twin(["show", "subscriptionId"])).stdout) as string;
  await ws.run("pulumi", ["--cwd", "bootstrap", "stack", "init", "pipeline", "--non-interactive"]);
  const config: [string, string][] = [
    ["repository", "s2s-auth-e2e/s2s-auth"],
    ["subscriptions.dev", subscription],
    ["subscriptions.prod", PROD_SUBSCRIPTION],
    ["stateContainerId", STATE_CONTAINER],
    ["secretsKeyId", SECRETS_KEY],
  ];
  for (const [key, value] of config)
    await ws.pulumi("pipeline", ["config", "set", "--path", `s2s-auth-bootstrap:${key}`, value], BOOTSTRAP);
  await ws.pulumi("pipeline", ["up", "--yes", "--skip-preview"], BOOTSTRAP);
  await ws.pulumi("pipeline", ["preview", "--expect-no-changes", "--policy-pack", "../policy"], BOOTSTRAP);
  const out = JSON.parse((await ws.pulumi("pipeline", ["stack", "output", "--json"], BOOTSTRAP)).stdout) as {
    environmentVariables: Record<string, { AZURE_DEPLOY_CLIENT_ID: string }>;
  };
  const clientId = out.environmentVariables["dev"]!.AZURE_DEPLOY_CLIENT_ID;
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
