// The environment in which plain `pulumi` commands run this project against the Azure twin:
// the CLI, the twin's provider plugins, a local file backend and a twin tenant, all under one
// directory. `npm run -s twin:env` prints it as shell exports; `npm run e2e` uses it per run.
//
//   eval "$(npm run -s twin:env)"      # then: pulumi stack init dev && pulumi up --yes
import { existsSync, mkdirSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { twinCommand } from "@s2s-auth/twin/commands.ts";

export const ROOT = resolve(import.meta.dirname, "..");

/**
 * The people the shipped dev stack names (Pulumi.dev.yaml `devAccess`): a tenant that lacks
 * them refuses the UPN lookup and the group assignment, as Entra ID would.
 */
export const SHIPPED_PEOPLE = {
  users: ["developer@contoso.example"],
  groups: [{ id: "11111111-2222-3333-4444-555555555555", displayName: "s2s-auth developers" }],
};

export interface TwinEnvOptions {
  /** Where the backend, the tenant and Pulumi's home live (default `<repo>/.twin`). */
  dir?: string;
  /** The environment to extend (default `process.env`). */
  base?: NodeJS.ProcessEnv;
}

/**
 * The variables `pulumi` needs to run against the twin. PATH order: the twin's plugins first (so
 * no real provider answers), the repository's Node 22, then the caller's PATH (a released
 * `pulumi` there wins), and the CLI built by `npm run pulumi:install` last.
 */
export function twinEnvironment({ dir = join(ROOT, ".twin"), base = process.env }: TwinEnvOptions = {}): Record<
  string,
  string
> {
  return {
    PATH: [
      join(ROOT, "twin", "bin"),
      join(ROOT, "node_modules", ".bin"),
      base.PATH ?? "",
      join(ROOT, ".tools", "bin"),
    ].join(delimiter),
    PULUMI_BACKEND_URL: `file://${join(dir, "backend")}`,
    // The file backend encrypts stack secrets with a passphrase; this one guards nothing real.
    PULUMI_CONFIG_PASSPHRASE: "twin",
    PULUMI_HOME: join(dir, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    S2S_TWIN_STATE: join(dir, "tenant.json"),
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

if (import.meta.filename === process.argv[1]) {
  const env = twinEnvironment();
  ensureTwin(env);
  for (const [key, value] of Object.entries(env)) process.stdout.write(`export ${key}=${shellQuote(value)}\n`);
  if (!existsSync(join(ROOT, ".tools", "bin", "pulumi"))) {
    process.stderr.write(
      "twin:env: no CLI in .tools/bin yet; run `npm run pulumi:install` (or have a released pulumi on PATH)\n",
    );
  }
}
