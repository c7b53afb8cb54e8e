// The environment in which plain `pulumi` commands run this project against the Azure twin:
// the CLI, the twin's provider plugins, a local file backend and a twin tenant, all under one
// directory, and, once its Entra runtime runs there (`npm run demo` starts it), a developer's `az`
// and `curl` that reach it. `npm run -s twin:env` prints it as shell exports; `npm run e2e` uses it
// per run.
//
//   eval "$(npm run -s twin:env)"      # then: pulumi stack init dev && pulumi up --yes
import { existsSync, mkdirSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { twinCommand } from "@s2s-auth/twin/commands.ts";
import { SHIPPED_EXAMPLES } from "../model/examples.ts";
import { defineCommand, EXIT_USAGE, readCommandLine, runAsCommand, runCli, type CliIo } from "../tools/cli/args.ts";

export const ROOT = resolve(import.meta.dirname, "..");

/**
 * The people the shipped dev stack names (Pulumi.dev.yaml `devAccess`): a tenant that lacks
 * them refuses the UPN lookup and the group assignment, as Entra ID would.
 */
export const SHIPPED_PEOPLE = SHIPPED_EXAMPLES;

/** Where a twin directory keeps its Entra runtime's files: `npm run demo` starts one there. */
export function entraFiles(dir: string) {
  return {
    /** The runtime's addresses (`serve.ts --out`), which the twin's `az` reads. */
    addresses: join(dir, "entra.json"),
    /** The `.curlrc` the runtime writes: each site's host name routed to its HTTPS front door. */
    curlHome: join(dir, "curl"),
    /** The process id of a runtime started in the background, and where it writes. */
    pid: join(dir, "entra.pid"),
    log: join(dir, "entra.log"),
  };
}

export interface TwinEnvOptions {
  /** Where the backend, the tenant and Pulumi's home live (default `<repo>/.twin`). */
  dir?: string;
  /** The environment to extend (default `process.env`). */
  base?: NodeJS.ProcessEnv;
}

/**
 * The project's folders on PATH, around the caller's: the twin's plugins and its `az` first (so no
 * real provider or Azure CLI answers), the repository's Node 22, then the caller's PATH (a released
 * `pulumi` there wins), and the CLI built by `npm run pulumi:install` last.
 */
function projectPath(): { before: string[]; after: string[] } {
  return {
    before: [join(ROOT, "twin", "bin"), join(ROOT, "twin", "bin", "entra"), join(ROOT, "node_modules", ".bin")],
    after: [join(ROOT, ".tools", "bin")],
  };
}

/** The variables `pulumi` (and a developer's `az` and `curl`) need to run against the twin. */
export function twinEnvironment({ dir = join(ROOT, ".twin"), base = process.env }: TwinEnvOptions = {}): Record<
  string,
  string
> {
  const { before, after } = projectPath();
  const entra = entraFiles(dir);
  return {
    PATH: [...before, base.PATH ?? "", ...after].join(delimiter),
    PULUMI_BACKEND_URL: `file://${join(dir, "backend")}`,
    // The file backend encrypts stack secrets with a passphrase; this one guards nothing real.
    PULUMI_CONFIG_PASSPHRASE: "twin",
    PULUMI_HOME: join(dir, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    S2S_TWIN_STATE: join(dir, "tenant.json"),
    // The twin's `az` (twin/bin/entra/az): the runtime's addresses, and who `az login` signed in.
    S2S_TWIN_ENTRA: entra.addresses,
    S2S_TWIN_USER: SHIPPED_PEOPLE.users[0]!,
    // curl reads $CURL_HOME/.curlrc, which the runtime writes: the sites' host names reach the twin.
    CURL_HOME: entra.curlHome,
  };
}

/** Creates the tenant (with the shipped stacks' people) and the backend folder if missing. */
export function ensureTwin(env: Record<string, string>): void {
  const state = env.S2S_TWIN_STATE!;
  mkdirSync(new URL(env.PULUMI_BACKEND_URL!).pathname, { recursive: true });
  if (existsSync(state)) return;
  const twin = (...args: string[]) => {
    const result = twinCommand(args, state);
    if (result.code !== 0) throw new Error(`twin ${args.join(" ")}: ${result.stderr.trim()}`);
  };
  twin("init");
  for (const upn of SHIPPED_PEOPLE.users) twin("add-user", upn);
  for (const group of SHIPPED_PEOPLE.groups) twin("add-group", group.id, group.displayName);
}

/** POSIX shell quoting: the value inside single quotes, each ' written as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The environment as shell exports. PATH adds only the project's folders around the shell's own
 * `$PATH`, expanded when the line runs: the PATH of the process printing it (npm adds its own
 * folders to it) never reaches the shell.
 */
export function exportLines(env: Record<string, string>): string {
  const { before, after } = projectPath();
  return Object.entries(env)
    .map(([key, value]) => {
      if (key !== "PATH") return `export ${key}=${shellQuote(value)}`;
      const [front, back] = [before, after].map((dirs) => shellQuote(dirs.join(delimiter)));
      return `export PATH=${front}${delimiter}"$PATH"${delimiter}${back}`;
    })
    .map((line) => `${line}\n`)
    .join("");
}

const TWIN_ENV = defineCommand({
  name: "twin:env",
  command: "npm run -s twin:env --",
  summary:
    "Prints the shell exports that run plain `pulumi` (and a developer's `az` and `curl`) against the Azure twin " +
    "under .twin/, creating its tenant and backend when missing.",
  usage: ["[--help]"],
  options: {},
  optionHelp: [],
  exitCodes: [
    [0, "printed"],
    [EXIT_USAGE, "wrong command line"],
  ],
  examples: ['eval "$(npm run -s twin:env)" && pulumi stack ls'],
});

async function printEnvironment(argv: string[], io: CliIo): Promise<number> {
  readCommandLine(TWIN_ENV, argv);
  const env = twinEnvironment();
  ensureTwin(env);
  io.stdout(exportLines(env));
  if (!existsSync(join(ROOT, ".tools", "bin", "pulumi"))) {
    io.stderr("twin:env: no CLI in .tools/bin yet; run `npm run pulumi:install` (or have a released pulumi on PATH)\n");
  }
  return 0;
}

/** `npm run -s twin:env -- <argv>`: the exit code, with everything printed through `io`. */
export function main(argv: string[], io: CliIo): Promise<number> {
  return runCli(printEnvironment, argv, io, { name: "twin:env", code: 1, firstLineOnly: true });
}

if (import.meta.main) runAsCommand(main);
