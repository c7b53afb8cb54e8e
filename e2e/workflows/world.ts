// The world npm run e2e:workflows runs the workflows in, made as a team makes theirs
// (docs/deploying.md, "Zero to dev"): the twin's two tenants (e2e/steps/bootstrap.ts: review and dev
// in one, prod in another), each tenant's bootstrap stack run by its admin, which declares the
// identities and, on the twin's GitHub, the repository's environments (protection rules, variables);
// the stacks dev and prod initialised in their own state and their stack files committed; the
// twin's Entra ID runtime, which exchanges the jobs' OIDC tokens; and the GitHub stand-in.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { start, type RuntimeProcess } from "@s2s-auth/twin/entra-runtime/client.ts";
import { readWorld, type GitHubEnvironment } from "@s2s-auth/twin/state.ts";
import { ROOT } from "../env.ts";
import { bootstrap, seedScopes } from "../steps/bootstrap.ts";
import { Workspace } from "../workspace.ts";
import { ACTIONS_DIR, RUNNER_DIR } from "./act.ts";
import { Harness, runnerPath, type Settings } from "./harness.ts";
import { startGithub, type EnvironmentRules, type GithubStandIn } from "./github/server.ts";
import { identityOf, type Identity } from "./identities.ts";
import { Repository } from "./repository.ts";

/** The repository bootstrap/ federates and declares environments on (e2e/steps/bootstrap.ts). */
export const REPOSITORY = "s2s-auth-e2e/s2s-auth";

export interface World {
  ws: Workspace;
  repo: Repository;
  github: GithubStandIn;
  entra: RuntimeProcess;
  harness: Harness;
  settings: Settings;
  /** The file backend standing in for the Blob container of each environment (`review`, `dev`, `prod`). */
  backends: Readonly<Record<string, string>>;
  /** A service principal of either tenant, as the twin has it. */
  identity(principal: string): Identity;
  close(): Promise<void>;
}

/**
 * The twin's stand-ins for the Blob Storage backend and the Key Vault secrets provider, in variables
 * bootstrap declares: `azblob://<container>?storage_account=<account>` becomes a file backend of its
 * own under `dir`, one per container, and `azurekeyvault://…` the passphrase provider.
 */
export function standInValue(name: string, value: string, dir: string): string {
  const blob = /^azblob:\/\/([^?]+)\?storage_account=(.+)$/.exec(value);
  if (blob !== null) return `file://${join(dir, blob[2]!, blob[1]!)}`;
  if (/^PULUMI_(PREVIEW_)?SECRETS_PROVIDER$/.test(name) && value.startsWith("azurekeyvault://")) return "passphrase";
  return value;
}

/**
 * An environment's protection rules as GitHub keeps them (REST "Get an environment"): the branch
 * policies when `custom_branch_policies` is on, the required reviewers' logins.
 */
export function rulesOf(environment: GitHubEnvironment): EnvironmentRules {
  const reviewers = environment.protection_rules.flatMap((r) =>
    r.type === "required_reviewers"
      ? r.reviewers.map((x) => `${x.type === "Team" ? "team " : ""}${x.reviewer.login}`)
      : [],
  );
  const branches = Object.values(environment.branch_policies)
    .filter((p) => p.type === "branch")
    .map((p) => p.name);
  return {
    ...(environment.deployment_branch_policy?.custom_branch_policies === true ? { deploymentBranches: branches } : {}),
    ...(reviewers.length > 0 ? { reviewers } : {}),
  };
}

export async function createWorld(act: string): Promise<World> {
  const ws = Workspace.create();
  const work = join(ws.dir, ".workflows");
  mkdirSync(work, { recursive: true });
  await seedScopes(ws);
  const booted = await bootstrap(ws);
  // From here each tenant's default deployer holds nothing: only a job that signed in can act.
  const nobody = JSON.stringify({ azureRoles: [], graphAppRoles: [] });
  await ws.twin(["deployer", nobody]);
  await ws.twin(["--tenant", booted.prodTenant, "deployer", nobody]);

  // The repository's settings as bootstrap declared them on the twin's GitHub.
  const declared = readWorld(ws.env.S2S_TWIN_STATE!).github.repositories[REPOSITORY.toLowerCase()];
  if (declared === undefined) throw new Error(`bootstrap declared no GitHub repository ${REPOSITORY}`);
  const stateDir = join(work, "state");
  const values = (variables: GitHubEnvironment["variables"]) =>
    Object.fromEntries(Object.values(variables).map((v) => [v.name, standInValue(v.name, v.value, stateDir)]));
  const settings: Settings = {
    repository: REPOSITORY,
    variables: values(declared.variables),
    environmentVariables: Object.fromEntries(
      Object.values(declared.environments).map((e) => [e.name, values(e.variables)]),
    ),
  };
  const backends = Object.fromEntries(
    ["review", "dev", "prod"].map((e) => [e, settings.environmentVariables[e]!["PULUMI_BACKEND_URL"]!]),
  );
  for (const url of new Set(Object.values(settings.environmentVariables).map((v) => v["PULUMI_BACKEND_URL"]!)))
    mkdirSync(new URL(url).pathname, { recursive: true });

  // Zero to dev: dev and prod initialised in their own state, their stack files committed.
  const repo = Repository.create(join(work, "repository"));
  for (const stack of ["dev", "prod"])
    await ws.run("pulumi", ["stack", "init", stack, "--non-interactive"], {
      env: { PULUMI_BACKEND_URL: backends[stack]! },
    });
  const stackFiles = Object.fromEntries(
    ["Pulumi.dev.yaml", "Pulumi.prod.yaml"].map((f) => [f, readFileSync(join(ws.dir, f), "utf8")]),
  );
  repo.setRef("refs/heads/main", repo.commit(repo.sha("main"), stackFiles, "Zero to dev: the stacks' secrets"));

  const entra = await start(ws.env.S2S_TWIN_STATE!);
  const addressesFile = join(work, "entra.json");
  writeFileSync(addressesFile, JSON.stringify(entra));
  const github = await startGithub(entra);
  for (const environment of Object.values(declared.environments))
    github.environments.set(environment.name, rulesOf(environment));

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
  const harness = new Harness({ act, repo, github, settings, work, runnerEnv });
  return {
    ws,
    repo,
    github,
    entra,
    harness,
    settings,
    backends,
    identity: (principal) => identityOf(ws.env.S2S_TWIN_STATE!, principal),
    close: async () => {
      await github.close();
      await entra.stop();
    },
  };
}
