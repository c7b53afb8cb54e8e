// `npm run bench:engine`: the real engine's costs. Runs `npm run e2e` once with the language
// host's timings on (S2S_LANGHOST_TIMINGS), then reports each step, and for every `pulumi up`
// and `preview` how much of its wall time was the program itself (Node, the SDK and index.ts,
// from start to exit of the program process) and how much the engine and the twin's plugins.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { EXIT_USAGE, readCommandLine, runAsCommand, runCli, type CliIo, type CliSpec } from "../cli/args.ts";
import { markdownTable } from "./stats.ts";

const SPEC: CliSpec<Record<string, never>> = {
  name: "bench:engine",
  command: "npm run bench:engine",
  summary:
    "Runs npm run e2e once and reports each step's time and the program's own share of every pulumi up " +
    "and preview, as Markdown on stdout.",
  usage: [""],
  options: {},
  optionHelp: [],
  exitCodes: [
    [0, "measured; the report is on stdout"],
    [1, "npm run e2e failed"],
    [EXIT_USAGE, "wrong command line"],
  ],
  examples: ["npm run bench:engine > engine.md"],
};

/** A program run as the language host saw it (tools/pulumi/language-nodejs, recordTiming). */
export interface ProgramRun {
  kind: string;
  project: string;
  stack: string;
  dryRun: boolean;
  start: number;
  end: number;
  /** The program process's CPU time (user + system), ms. */
  cpuMillis: number;
}
/** A command of the e2e run (e2e/workspace.ts CommandRecord). */
export interface Command {
  argv: string[];
  start: number;
  end: number;
}

/** What `npm run e2e -- --json FILE` writes (e2e/runner.ts `report`) and this reads. */
export interface E2eReport {
  totalSeconds: number;
  steps: readonly { name: string; seconds: number }[];
  commands: readonly Command[];
}

export interface Share {
  operation: "up" | "preview";
  count: number;
  wallSeconds: number;
  /** From the program process's start to its exit: it lives while the engine works for it. */
  programSeconds: number;
  /** The program process's own CPU time. */
  programCpuSeconds: number;
}

/** The pulumi operation a command ran (`up` or `preview`), if any. */
function operationOf(argv: string[]): "up" | "preview" | undefined {
  if (!argv[0]?.endsWith("pulumi")) return undefined;
  return argv.find((a): a is "up" | "preview" => a === "up" || a === "preview");
}

/**
 * Sums, per operation, the commands' wall time and the program runs inside them (a program run
 * belongs to the command whose span contains it).
 */
export function programShare(commands: readonly Command[], runs: readonly ProgramRun[]): Share[] {
  const shares = new Map<"up" | "preview", Share>();
  for (const c of commands) {
    const operation = operationOf(c.argv);
    if (operation === undefined) continue;
    const share = shares.get(operation) ?? {
      operation,
      count: 0,
      wallSeconds: 0,
      programSeconds: 0,
      programCpuSeconds: 0,
    };
    const inside = runs.filter((r) => r.start >= c.start && r.end <= c.end);
    share.count += 1;
    share.wallSeconds += (c.end - c.start) / 1000;
    share.programSeconds += inside.reduce((sum, r) => sum + (r.end - r.start) / 1000, 0);
    share.programCpuSeconds += inside.reduce((sum, r) => sum + r.cpuMillis / 1000, 0);
    shares.set(operation, share);
  }
  return [...shares.values()];
}

async function engine(argv: string[], io: CliIo): Promise<number> {
  readCommandLine(SPEC, argv);
  const root = resolve(import.meta.dirname, "../..");
  const dir = mkdtempSync(join(os.tmpdir(), "s2s-bench-engine-"));
  const timings = join(dir, "langhost.jsonl");
  const report = join(dir, "e2e.json");
  io.stderr("bench:engine: npm run e2e (about 2 minutes)\n");
  const e2e = spawnSync(process.execPath, [join(root, "e2e", "run.ts"), "--json", report], {
    cwd: root,
    env: { ...process.env, S2S_LANGHOST_TIMINGS: timings },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (e2e.status !== 0) {
    io.stderr(`bench:engine: npm run e2e exited with ${e2e.status}\n`);
    return 1;
  }
  const result = JSON.parse(readFileSync(report, "utf8")) as E2eReport;
  const runs = readFileSync(timings, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ProgramRun);
  rmSync(dir, { recursive: true, force: true });

  const steps = markdownTable(
    ["step", "s"],
    [
      ...result.steps.map((s) => [s.name, s.seconds.toFixed(1)]),
      ["**total** (with setup)", result.totalSeconds.toFixed(1)],
    ],
  );
  const shares = markdownTable(
    ["operation", "commands", "wall s", "program alive s", "program CPU s", "program CPU / wall"],
    programShare(result.commands, runs).map((s) => [
      `pulumi ${s.operation}`,
      String(s.count),
      s.wallSeconds.toFixed(1),
      s.programSeconds.toFixed(1),
      s.programCpuSeconds.toFixed(1),
      `${((100 * s.programCpuSeconds) / s.wallSeconds).toFixed(0)} %`,
    ]),
  );
  io.stdout(`# npm run bench:engine — ${new Date().toISOString()}

Machine: ${os.cpus()[0]?.model ?? "unknown CPU"} × ${os.availableParallelism()}, load average at end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}.

## npm run e2e, step by step

${steps}

## The program's share of the engine's operations

From the language host's timings: "program alive" runs from the start of the program's Node
process to its exit, which includes waiting for the engine to answer its registrations;
"program CPU" is that process's own user + system time, the program's own cost. The rest of the
wall time is the CLI's start-up, the engine, the policy pack where one runs, and the twin's
provider plugins.

${shares}
`);
  return 0;
}

/** `npm run bench:engine -- <argv>`: the exit code, with everything printed through `io`. */
export function main(argv: string[], io: CliIo): Promise<number> {
  return runCli(engine, argv, io);
}

if (import.meta.main) runAsCommand(main);
