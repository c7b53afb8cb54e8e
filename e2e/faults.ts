// npm run e2e:faults: `pulumi up` of dev and of examples/Pulumi.mixed.yaml in the twin while things go
// wrong the way they do in Azure, each run ending converged: the smoke test passes, the twin holds
// no duplicate and no orphan, the state lists exactly what exists.
//   replication: new managed identities invisible to Graph for 30-120 s of the twin's modelled time
//                (S2S_TWIN_IDENTITY_DELAY_MS, passing 20 times faster on the twin's clock: twin/src/clock.ts),
//                with Graph and ARM answering 429 (Retry-After) or 5xx to a fraction of calls;
//   killed:      the same faults, and the engine killed (SIGKILL, its plugins with it) after a
//                random number of steps, then recovered as docs/deploying.md's runbook says and run again.
// A seed decides every fault and the kill point; it is printed, and `--seed` replays a run. Each run has
// its own workspace (backend and tenant), so the runs go side by side and share nothing.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  defineCommand,
  EXIT_USAGE,
  readCommandLine,
  runAsCommand,
  runCli,
  stringOption,
  UsageError,
  type CliIo,
} from "../tools/cli/args.ts";
import { draw } from "@s2s-auth/twin/faults.ts";
import { SHIPPED_PEOPLE } from "./env.ts";
import {
  objectsOf,
  resolvePendingCreates,
  unrecorded,
  type Cloud,
  type StateResource,
  type Tenant,
} from "./pending.ts";
import { formatCases, smokeStacks, type StackOutputs } from "./smoke.ts";
import { CommandError, Workspace } from "./workspace.ts";
import { urnName } from "../model/index.ts";

const FAULTS = defineCommand({
  name: "e2e:faults",
  command: "npm run e2e:faults --",
  summary:
    "pulumi up of dev and examples/Pulumi.mixed.yaml in the twin with managed identities replicating for " +
    "30-120 s, 429/5xx answers from Graph and ARM, and the engine killed midway; each run must converge.",
  usage: ["[--seed N] [--rate F] [--only TEXT] [--keep]"],
  options: { seed: { type: "string" }, rate: { type: "string" }, only: { type: "string" }, keep: { type: "boolean" } },
  optionHelp: [
    "--seed N            replay the runs of seed N (printed by every run; default: a new one)",
    "--rate F            fraction of cloud calls answered 429 or 5xx (default 0.15)",
    "--only TEXT         run only the runs whose name contains TEXT (e.g. killed, mixed)",
    "--keep              keep the temporary workspace",
  ],
  exitCodes: [
    [0, "every run converged"],
    [1, "a run did not"],
    [EXIT_USAGE, "wrong command line"],
  ],
  examples: ["npm run e2e:faults -- --seed 11 --only killed"],
});

function parse(argv: string[]): { seed: number; rate: number; keep: boolean; only?: string } {
  const parsed = readCommandLine(FAULTS, argv);
  const seedText = stringOption(parsed.values, "seed");
  const rateText = stringOption(parsed.values, "rate");
  const seed = seedText === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(seedText);
  const rate = rateText === undefined ? 0.15 : Number(rateText);
  if (!Number.isInteger(seed) || seed < 0)
    throw new UsageError(
      `e2e:faults: --seed must be a non-negative integer, not ${seedText} (see npm run e2e:faults -- --help)`,
    );
  if (!(rate >= 0 && rate < 1))
    throw new UsageError(`e2e:faults: --rate must be in [0, 1), not ${rateText} (see npm run e2e:faults -- --help)`);
  return { seed, rate, keep: parsed.values["keep"] === true, only: stringOption(parsed.values, "only") };
}

/**
 * Real seconds per modelled second on the twin's clock: a modelled 30-120 s replication passes in
 * 1.5-6 s, so the program's first identity lookup (at once) still misses and its next one (5 s later,
 * components/principal.ts) or the one after finds it.
 */
const TWIN_TIME_SCALE = 0.05;
/** What the program logs while it waits for a replicating identity (components/principal.ts). */
const REPLICATION_WAIT = "not yet visible in Entra ID";

/** The external caller of examples/Pulumi.mixed.yaml: a VM's identity, made outside the stack. */
const MIXED_VM_IDENTITY = "aaaaaaaa-1111-2222-3333-444444444444";

interface Run {
  name: string;
  stack: string;
  /** Where the stack's config comes from (copied to Pulumi.<stack>.yaml). */
  config?: string;
  identityDelaySeconds: number;
  kill: boolean;
}

interface Numbers {
  run: string;
  faults: number;
  retries: number;
  gaveUp: number;
  identityDelaySeconds: number;
  killedAfter: string;
  recovery: string;
  seconds: number;
  ok: boolean;
  detail: string;
}

const tenant = (ws: Workspace): Tenant => ws.tenant<Tenant>();

/** Every object in the twin that a stack could have made: ARM ids (lower-case) and Graph object ids. */
function objects(t: Tenant): Set<string> {
  return new Set([
    ...Object.keys(t.arm.resources),
    ...Object.keys(t.graph.applications),
    ...Object.keys(t.graph.servicePrincipals),
    ...Object.keys(t.graph.appRoleAssignments),
  ]);
}

/** The resources of every stack of the backend. */
async function allStates(ws: Workspace, except?: string): Promise<StateResource[]> {
  const stacks = (JSON.parse((await ws.run("pulumi", ["stack", "ls", "--json"])).stdout) as { name: string }[])
    .map((x) => x.name)
    .filter((x) => x !== except);
  const out: StateResource[] = [];
  for (const x of stacks) out.push(...((await ws.exportStack(x)).deployment?.resources ?? []));
  return out;
}

/**
 * Converged: no change proposed, every resource of the state exists, nothing created since `before`
 * that the state does not name (a managed identity's service principal counts as its resource's),
 * no two applications of one display name.
 */
async function converged(ws: Workspace, stack: string, before: Set<string>): Promise<string> {
  await ws.pulumi(stack, ["preview", "--expect-no-changes"]);
  const exported = await ws.exportStack(stack);
  assert(
    (exported.deployment?.pending_operations ?? []).length === 0,
    `${stack}: pending operations left in the state`,
  );
  const t = tenant(ws);
  const now = objects(t);
  const managed = objectsOf(exported.deployment?.resources ?? [], t);
  const missing = [...managed].filter((id) => !now.has(id));
  assert(missing.length === 0, `${stack}: the state lists what the twin does not hold: ${missing.join(", ")}`);
  const everyState = await allStates(ws);
  const left = unrecorded(before, t, everyState);
  assert(left.objects.length === 0, `${stack}: in the twin but in no state (orphans): ${left.objects.join(", ")}`);
  assert(
    left.applications.length === 0,
    `${stack}: values on applications that no state declares: ${JSON.stringify(left.applications)}`,
  );
  const names = Object.values(t.graph.applications).map((a) => a.displayName ?? "");
  const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  assert(duplicates.length === 0, `duplicate applications in the twin: ${duplicates.join(", ")}`);
  return `${managed.size} objects in the state, all in the twin; no orphan, no duplicate`;
}

/** Runs `pulumi up` in its own process group and kills the group (SIGKILL) after `steps` step lines. */
async function upKilled(
  ws: Workspace,
  stack: string,
  steps: number,
  env: Record<string, string>,
): Promise<{ killed: boolean; seen: number }> {
  const child = spawn(
    "pulumi",
    ["up", "--yes", "--skip-preview", "--stack", stack, "--non-interactive", "--color", "never"],
    {
      cwd: ws.dir,
      env: { ...ws.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let seen = 0;
  let killed = false;
  child.stdout!.on("data", (d: Buffer) => {
    seen += (d.toString().match(/ (creating|created|updating|updated) /g) ?? []).length;
    if (seen >= steps && !killed) {
      killed = true;
      // The whole group, as when a CI runner dies: the engine and its provider plugins.
      process.kill(-child.pid!, "SIGKILL");
    }
  });
  child.stderr!.resume();
  await new Promise((resolve) => child.on("close", resolve));
  return { killed, seen };
}

/**
 * The runbook after a killed run: release the lock (`pulumi cancel`), then resolve pending creates
 * (import what the cloud has, clear the rest) with `pulumi refresh`.
 */
async function recover(ws: Workspace, stack: string, before: ReadonlySet<string>): Promise<string> {
  const notes: string[] = [];
  const backend = join(new URL(ws.env.PULUMI_BACKEND_URL!).pathname, ".pulumi");
  const repaired = repairFileBackend(backend);
  if (repaired > 0) notes.push(`file backend: ${repaired} half-written file(s) removed`);
  const locks = join(backend, "locks", "organization", "s2s-auth", stack);
  if (existsSync(locks) && readdirSync(locks).length > 0) {
    await ws.run("pulumi", ["cancel", "--yes", "--stack", stack]);
    notes.push("lock released (pulumi cancel)");
  }
  const exported = await ws.exportStack(stack);
  const pending = exported.deployment?.pending_operations ?? [];
  // What the other stacks manage cannot be this create's.
  const t = tenant(ws);
  const managed = new Set<string>();
  for (const r of await allStates(ws, stack)) {
    if (!r.custom || !r.id) continue;
    managed.add(r.type.startsWith("azure-native:") ? r.id.toLowerCase() : r.id);
    managed.add(r.id.split("/").filter(Boolean).at(-1)!);
  }
  const cloud: Cloud = {
    subscriptionId: t.subscriptionId,
    armIds: new Set(Object.keys(t.arm.resources)),
    applications: Object.values(t.graph.applications),
    servicePrincipals: Object.values(t.graph.servicePrincipals),
    appRoleAssignments: Object.values(t.graph.appRoleAssignments),
  };
  const resolution = resolvePendingCreates(pending, cloud, managed);
  if (pending.length > 0) {
    const args = ["refresh", "--yes", "--skip-preview"];
    for (const i of resolution.imports) args.push("--import-pending-creates", i.urn, "--import-pending-creates", i.id);
    if (resolution.cleared.length > 0) args.push("--clear-pending-creates");
    await ws.pulumi(stack, args);
  }
  const names = (urns: string[]) => (urns.length === 0 ? "" : ` (${urns.map(urnName).join(", ")})`);
  notes.push(
    `${pending.length} pending create(s): ${resolution.imports.length} ` +
      `imported${names(resolution.imports.map((i) => i.urn))}, ` +
      `${resolution.cleared.length} cleared${names(resolution.cleared)}`,
  );
  // Creates the engine made but never recorded, not even as pending: deleted, for up to make them again.
  const left = unrecorded(before, tenant(ws), await allStates(ws));
  for (const path of left.objects) await ws.twin(["unset", path]);
  for (const app of left.applications) {
    await ws.twin(["set", `graph.applications.${app.id}.identifierUris`, JSON.stringify(app.identifierUris)]);
    if (tenant(ws).graph.applications[app.id]?.api !== undefined) {
      await ws.twin([
        "set",
        `graph.applications.${app.id}.api.preAuthorizedApplications`,
        JSON.stringify(app.preAuthorizedApplications),
      ]);
    }
  }
  const kinds = left.objects.map((p) => (p.startsWith("arm.") ? "ARM resource" : p.split(".")[1]!));
  notes.push(
    `never recorded: ${left.objects.length} object(s) deleted${kinds.length > 0 ? ` (${kinds.join(", ")})` : ""}, ` +
      `${left.applications.length} application(s) reset to what the states declare`,
  );
  return notes.join("; ");
}

/**
 * The local file backend writes a checkpoint to a temporary file, renames it, then writes its
 * attributes (gocloud.dev fileblob); a SIGKILL in between leaves an empty `.attrs` file that makes
 * every later command fail with "failed to load checkpoint: EOF", and a stray `.tmp`. Only the file
 * backend the twin uses does this: Azure Blob uploads a blob and its metadata in one request.
 */
function repairFileBackend(dir: string): number {
  const stacks = join(dir, "stacks");
  if (!existsSync(stacks)) return 0;
  let removed = 0;
  for (const project of readdirSync(stacks)) {
    for (const file of readdirSync(join(stacks, project))) {
      const path = join(stacks, project, file);
      if (file.endsWith(".tmp") || (file.endsWith(".attrs") && statSync(path).size === 0)) {
        rmSync(path);
        removed++;
      }
    }
  }
  return removed;
}

/** Counts the fault log's lines: faults injected, retries made, calls given up. */
function countFaults(log: string): { faults: number; retries: number; gaveUp: number } {
  if (!existsSync(log)) return { faults: 0, retries: 0, gaveUp: 0 };
  const lines = readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { retryInSeconds: number | null });
  const retries = lines.filter((l) => l.retryInSeconds !== null).length;
  return { faults: lines.length, retries, gaveUp: lines.length - retries };
}

async function oneRun(ws: Workspace, run: Run, seed: number, rate: number): Promise<Numbers> {
  const started = performance.now();
  const log = join(ws.dir, `.faults-${run.stack}.jsonl`);
  const faults = JSON.stringify({
    seed,
    rate,
    serverErrorShare: 0.25,
    retryAfterSeconds: 2,
    timeScale: 0.02,
    settleSeconds: 10,
    log,
  });
  const env = {
    S2S_TWIN_FAULTS: faults,
    S2S_TWIN_IDENTITY_DELAY_MS: String(run.identityDelaySeconds * 1000),
    S2S_TWIN_TIME_SCALE: String(TWIN_TIME_SCALE),
  };
  const numbers: Numbers = {
    run: run.name,
    faults: 0,
    retries: 0,
    gaveUp: 0,
    identityDelaySeconds: run.identityDelaySeconds,
    killedAfter: "-",
    recovery: "-",
    seconds: 0,
    ok: false,
    detail: "",
  };
  try {
    // The config first: `stack init` then adds its encryption salt to the same file.
    if (run.config) copyFileSync(join(ws.dir, run.config), join(ws.dir, `Pulumi.${run.stack}.yaml`));
    await ws.run("pulumi", ["stack", "init", run.stack, "--non-interactive"]);
    const before = objects(tenant(ws));
    let attempts = 0;
    if (run.kill) {
      const steps = 2 + Math.floor(draw(seed, `${run.name} kill`) * 20);
      const { killed, seen } = await upKilled(ws, run.stack, steps, env);
      numbers.killedAfter = killed ? `${seen} steps` : `not killed (finished after ${seen} steps)`;
      if (killed) numbers.recovery = await recover(ws, run.stack, before);
    }
    // A run that gave up on a call (retries exhausted) fails as the provider would; run up again, as CI's re-run would.
    let waited = false;
    for (;;) {
      attempts++;
      const up = await ws.pulumi(run.stack, ["up", "--yes", "--skip-preview"], { env, allowFailure: true });
      waited ||= (up.stdout + up.stderr).includes(REPLICATION_WAIT);
      if (up.code === 0) break;
      assert(
        attempts < 3 && /gave up after/.test(up.stdout + up.stderr),
        `pulumi up failed:\n${new CommandError("pulumi up", up).message}`,
      );
    }
    // The scaled clock must still make the program wait: its identity lookup found the identity missing.
    assert(
      run.identityDelaySeconds === 0 || waited,
      `pulumi up never logged "${REPLICATION_WAIT}": the replication delay was not exercised`,
    );
    const state = await converged(ws, run.stack, before);
    const outputs = JSON.parse((await ws.pulumi(run.stack, ["stack", "output", "--json"])).stdout) as StackOutputs & {
      environment: string;
    };
    const cases = await smokeStacks(
      ws,
      [{ stack: run.stack, outputs, developerAllowed: outputs.environment === "dev" }],
      SHIPPED_PEOPLE.users[0]!,
    );
    const failed = cases.filter((c) => !c.ok);
    assert(failed.length === 0, `smoke:\n${formatCases(failed)}`);
    numbers.ok = true;
    numbers.detail = `${state}; smoke ${cases.length} cases ok; up ran ${attempts} time(s) after the faults`;
  } catch (error) {
    numbers.detail = error instanceof Error ? error.message : String(error);
  }
  Object.assign(numbers, countFaults(log));
  numbers.seconds = (performance.now() - started) / 1000;
  return numbers;
}

/** One run in a workspace of its own, holding the VM identity the mixed example names. */
async function isolatedRun(run: Run, seed: number, rate: number, keep: boolean, io: CliIo): Promise<Numbers> {
  const ws = Workspace.create();
  io.stderr(`e2e:faults: ${run.name}: workspace ${ws.dir}\n`);
  try {
    await ws.twin([
      "set",
      `graph.servicePrincipals.${MIXED_VM_IDENTITY}`,
      JSON.stringify({
        id: MIXED_VM_IDENTITY,
        appId: "aaaaaaaa-9999-2222-3333-444444444444",
        displayName: "batch-vm",
        servicePrincipalType: "ManagedIdentity",
        appRoleAssignmentRequired: false,
        appRoles: [],
        oauth2PermissionScopes: [],
        tags: [],
        alternativeNames: [],
      }),
    ]);
    const numbers = await oneRun(ws, run, seed, rate);
    io.stderr(`e2e:faults: ${run.name}: ${numbers.ok ? "converged" : "FAILED"} (${numbers.seconds.toFixed(1)} s)\n`);
    return numbers;
  } finally {
    if (keep) io.stderr(`e2e:faults: kept ${ws.dir}\n`);
    else ws.remove();
  }
}

async function faults(argv: string[], io: CliIo): Promise<number> {
  const { seed, rate, keep, only } = parse(argv);
  io.stderr(`e2e:faults: seed ${seed} (replay: npm run e2e:faults -- --seed ${seed}), fault rate ${rate}\n`);
  const delay = (name: string) => 30 + Math.floor(draw(seed, `${name} delay`) * 91);
  const runs: Run[] = [
    { name: "dev: replication + 429/5xx", stack: "dev", identityDelaySeconds: delay("dev"), kill: false },
    {
      name: "mixed: replication + 429/5xx",
      stack: "mixed",
      config: "examples/Pulumi.mixed.yaml",
      identityDelaySeconds: delay("mixed"),
      kill: false,
    },
    {
      name: "dev: killed + 429/5xx",
      stack: "dev-killed",
      config: "Pulumi.dev.yaml",
      identityDelaySeconds: 0,
      kill: true,
    },
    {
      name: "mixed: killed + 429/5xx",
      stack: "mixed-killed",
      config: "examples/Pulumi.mixed.yaml",
      identityDelaySeconds: 0,
      kill: true,
    },
  ];
  // Separate workspaces share nothing, so even the killed runs (whose recovery deletes what no state
  // of their tenant recorded) can go side by side with the others.
  const chosen = runs.filter((r) => only === undefined || r.name.includes(only));
  const results = await Promise.all(chosen.map((run) => isolatedRun(run, seed, rate, keep, io)));
  io.stdout(`\nseed ${seed}, fault rate ${rate}\n`);
  io.stdout(
    `${"run".padEnd(30)} ${"faults".padStart(6)} ${"retries".padStart(7)} ${"gave up".padStart(7)} ` +
      `${"MI delay".padStart(8)} ${"time".padStart(7)}  result\n`,
  );
  for (const r of results) {
    io.stdout(
      `${r.run.padEnd(30)} ${String(r.faults).padStart(6)} ${String(r.retries).padStart(7)} ` +
        `${String(r.gaveUp).padStart(7)} ${`${r.identityDelaySeconds}s`.padStart(8)} ` +
        `${r.seconds.toFixed(1).padStart(6)}s  ${r.ok ? "converged" : "FAILED"}\n`,
    );
    if (r.killedAfter !== "-") io.stdout(`  killed after ${r.killedAfter}; recovery: ${r.recovery}\n`);
    io.stdout(`  ${r.detail.split("\n").join("\n  ")}\n`);
  }
  const failed = results.filter((r) => !r.ok).length;
  io.stdout(`e2e:faults: ${results.length - failed} converged, ${failed} failed (seed ${seed})\n`);
  return failed === 0 ? 0 : 1;
}

/** `npm run e2e:faults -- <argv>`: the exit code, with everything printed through `io`. */
export function main(argv: string[], io: CliIo): Promise<number> {
  return runCli(faults, argv, io);
}

if (import.meta.main) runAsCommand(main);
