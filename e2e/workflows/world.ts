// The world npm run e2e:workflows runs the workflows in, made as a team makes theirs: a twin
// tenant and state backend (e2e/workspace.ts), the pipeline's identities from bootstrap/ run by an
// admin, the stacks initialised with their secrets provider and that committed ("Zero to dev",
// docs/deploying.md), the repository on "GitHub" with its variables and environments, the twin's
// Entra ID runtime (it exchanges the jobs' OIDC tokens), and the GitHub stand-in.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { start, type RuntimeProcess } from "@s2s-auth/twin/entra-runtime/client.ts";
import { ROOT } from "../env.ts";
import { bootstrap, seedScopes } from "../steps/bootstrap.ts";
import { Workspace } from "../workspace.ts";
import { ACTIONS_DIR, RUNNER_DIR } from "./act.ts";
import { Harness, runnerPath, type Settings, type WorkflowRun } from "./harness.ts";
import { startGithub, type EnvironmentRules, type GithubStandIn } from "./github/server.ts";
import { Repository } from "./repository.ts";

/** The repository bootstrap/ federates (e2e/steps/bootstrap.ts configures it). */
export const REPOSITORY = "s2s-auth-e2e/s2s-auth";

/**
 * The environments docs/deploying.md ("Zero to dev", step 3) has a team create: `dev` deploys from
 * `main` only; `prod` from `main` only, after a required reviewer approves.
 */
export const ENVIRONMENTS: Readonly<Record<string, EnvironmentRules>> = {
  dev: { deploymentBranches: ["main"] },
  prod: { deploymentBranches: ["main"], reviewers: ["@s2s-auth-e2e/platform"] },
};

export interface World {
  ws: Workspace;
  repo: Repository;
  github: GithubStandIn;
  entra: RuntimeProcess;
  harness: Harness;
  settings: Settings;
  /** The admin who ran bootstrap/: S2S_TWIN_DEPLOYER for the harness's own commands. */
  admin: string;
  /** Display names of the tenant's service principals by object id, for the report. */
  principalName(id: string): string;
  close(): Promise<void>;
}

interface BootstrapOutputs {
  repositoryVariables: Record<string, string>;
  environmentVariables: Record<string, Record<string, string>>;
}

export async function createWorld(act: string, onRun?: (run: WorkflowRun) => void): Promise<World> {
  const ws = Workspace.create();
  const work = join(ws.dir, ".workflows");
  mkdirSync(work, { recursive: true });
  await seedScopes(ws);
  const { admin } = await bootstrap(ws);
  const outputs = JSON.parse(
    (await ws.pulumi("pipeline", ["stack", "output", "--json"], { project: "bootstrap" })).stdout,
  ) as BootstrapOutputs;
  // From here the tenant's default deployer holds nothing: only a job that signed in can act.
  await ws.twin(["deployer", JSON.stringify({ azureRoles: [], graphAppRoles: [] })]);
  const asAdmin = { env: { S2S_TWIN_DEPLOYER: admin } };

  // Zero to dev: the stacks, each with its secrets provider recorded in its stack file, committed.
  const repo = Repository.create(join(work, "repository"));
  for (const stack of ["dev", "prod"]) await ws.run("pulumi", ["stack", "init", stack, "--non-interactive"], asAdmin);
  const stackFiles = Object.fromEntries(
    ["Pulumi.dev.yaml", "Pulumi.prod.yaml"].map((f) => [f, readFileSync(join(ws.dir, f), "utf8")]),
  );
  repo.setRef("refs/heads/main", repo.commit(repo.sha("main"), stackFiles, "Zero to dev: the stacks' secrets"));

  const entra = await start(ws.env.S2S_TWIN_STATE!);
  const addressesFile = join(work, "entra.json");
  writeFileSync(addressesFile, JSON.stringify(entra));
  const github = await startGithub(entra);
  for (const [name, rules] of Object.entries(ENVIRONMENTS)) github.environments.set(name, rules);

  const settings: Settings = {
    repository: REPOSITORY,
    variables: {
      ...outputs.repositoryVariables,
      // The twin's stand-ins for the Blob Storage backend and the Key Vault secrets key.
      PULUMI_BACKEND_URL: ws.env.PULUMI_BACKEND_URL!,
      PULUMI_SECRETS_PROVIDER: "passphrase",
    },
    environmentVariables: outputs.environmentVariables,
  };
  const runnerEnv: Record<string, string> = {
    HOME: process.env.HOME ?? "/root",
    PATH: runnerPath(process.env.PATH ?? ""),
    LANG: "C.UTF-8",
    S2S_E2E_NODE: process.execPath,
    S2S_E2E_ROOT: ROOT,
    S2S_E2E_ACTIONS: ACTIONS_DIR,
    S2S_E2E_RUNNER: RUNNER_DIR,
    S2S_E2E_GITHUB: github.url,
    S2S_E2E_ORIGIN: repo.dir,
    S2S_E2E_ARTIFACTS: join(work, "artifacts"),
    S2S_TWIN_STATE: ws.env.S2S_TWIN_STATE!,
    S2S_TWIN_ENTRA: addressesFile,
    PULUMI_HOME: ws.env.PULUMI_HOME!,
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    NODE_COMPILE_CACHE: ws.env.NODE_COMPILE_CACHE!,
  };
  const harness = new Harness({
    act,
    repo,
    github,
    settings,
    work,
    runnerEnv,
    ...(onRun === undefined ? {} : { onRun }),
  });
  return {
    ws,
    repo,
    github,
    entra,
    harness,
    settings,
    admin,
    principalName(id) {
      const state = ws.tenant();
      return state.graph.servicePrincipals[id]?.displayName ?? id;
    },
    close: async () => {
      await github.close();
      await entra.stop();
    },
  };
}
