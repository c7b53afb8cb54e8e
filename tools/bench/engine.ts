// `npm run bench:engine`: the real engine's costs. Runs `npm run e2e` once with the language
// host's timings on (S2S_LANGHOST_TIMINGS), then reports each step, and for every `pulumi up`
// and `preview` how much of its wall time was the program itself (Node, the SDK and index.ts,
// from start to exit of the program process) and how much the engine and the twin's plugins.
// First, in seconds and without the engine, the deploy's chain of each stack: the longest run of
// operations that must happen one after another (tools/plan/chain.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { urnName } from "../../model/urn.ts";
import {
  EXIT_USAGE,
  readCommandLine,
  runAsCommand,
  runCli,
  stringOption,
  UsageError,
  type CliIo,
  type CliSpec,
} from "../cli/args.ts";
import type { DeployChain } from "../plan/chain.ts";
import { markdownTable } from "./stats.ts";
import type { TopologyShape } from "./topology.ts";

const SPEC: CliSpec<{ only: { type: "string" } }> = {
  name: "bench:engine",
  command: "npm run bench:engine",
  summary:
    "Reports each stack's deploy chain (the longest run of operations that must follow one another), then " +
    "runs npm run e2e once and reports each step's time and the program's own share of every pulumi up and " +
    "preview, as Markdown on stdout.",
  usage: ["[--only chain]"],
  options: { only: { type: "string" } },
  optionHelp: ["--only chain        only the deploy chains (seconds: the program under mocks, no engine)"],
  exitCodes: [
    [0, "measured; the report is on stdout"],
    [1, "npm run e2e failed, or a stack could not be recorded"],
    [EXIT_USAGE, "wrong command line"],
  ],
  examples: ["npm run bench:engine > engine.md", "npm run bench:engine -- --only chain"],
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

/** The stacks whose chains are compared: the shipped ones, the mixed example and a 50-caller topology. */
const CHAIN_STACKS: readonly ({ stack: string } & ({ file: string } | { topology: TopologyShape }))[] = [
  { stack: "dev", file: "Pulumi.dev.yaml" },
  { stack: "test", file: "Pulumi.test.yaml" },
  { stack: "prod", file: "Pulumi.prod.yaml" },
  { stack: "mixed", file: "examples/Pulumi.mixed.yaml" },
  { stack: "50 callers × 5 callees", topology: { callers: 50, callees: 5, maxCallsPerCaller: 3 } },
];

/** Each stack's chain, from a recording of the program under mocks (the plan's recorder). */
async function recordChains(root: string): Promise<{ stack: string; chain: DeployChain }[]> {
  const [
    { default: program },
    { PROJECT },
    { recordProgram },
    { readStackFiles, stackOfFile },
    { deployChain },
    topology,
  ] = await Promise.all([
    import("../../index.ts"),
    import("../../config.ts"),
    import("../plan/recorder.ts"),
    import("../plan/stackConfig.ts"),
    import("../plan/chain.ts"),
    import("./topology.ts"),
  ]);
  const rows = [];
  for (const entry of CHAIN_STACKS) {
    const files =
      "file" in entry
        ? readStackFiles(root, stackOfFile(entry.file), join(root, entry.file))
        : { project: PROJECT, config: topology.topologyConfig(entry.topology), secretKeys: [] };
    const stack = "file" in entry ? stackOfFile(entry.file) : "bench";
    const recording = await recordProgram({ ...files, stack, program });
    rows.push({ stack: entry.stack, chain: deployChain(recording.resources) });
  }
  return rows;
}

/** The chains as Markdown: a table of lengths, then each chain with what makes each link. */
export function chainReport(rows: readonly { stack: string; chain: DeployChain }[]): string {
  const table = markdownTable(
    ["stack", "operations", "longest chain", "operations per step"],
    rows.map(({ stack, chain }) => [
      stack,
      String(chain.operations),
      String(chain.links.length),
      chain.perStep.join(" · "),
    ]),
  );
  const link = (l: DeployChain["links"][number]) => {
    const why = [...l.because, ...l.through.map((token) => `through ${token.slice(token.lastIndexOf(":") + 1)}`)];
    return `\`${urnName(l.urn)}\`${why.length ? ` (${why.join(", ")})` : ""}`;
  };
  const chains = rows.map(({ stack, chain }) => `- ${stack}: ${chain.links.map(link).join(" → ")}`);
  return `${table}\n\n${chains.join("\n")}\n`;
}

async function engine(argv: string[], io: CliIo): Promise<number> {
  const { values } = readCommandLine(SPEC, argv);
  const only = stringOption(values, "only");
  if (only !== undefined && only !== "chain")
    throw new UsageError(`bench:engine: --only takes "chain", got ${only} (see ${SPEC.command} --help)`);
  const root = resolve(import.meta.dirname, "../..");
  io.stderr("bench:engine: the deploy chains (the program under mocks)\n");
  const chains = `## The deploy's chain

The longest run of operations (custom resources) that must happen one after another, from what the
SDK tells the engine each resource waits for: the inputs that use other resources' outputs, \`dependsOn\`,
and a parent that is itself an operation. Whatever each create takes in Azure, a deploy takes at least
the creates on this chain one after another. In brackets, what makes each link wait for the one before:
the input properties, and a lookup (data source) the value goes through. "Operations per step": how many
operations can start at each step of the chain, at the earliest.

${chainReport(await recordChains(root))}`;
  const title = `# npm run bench:engine — ${new Date().toISOString()}`;
  if (only === "chain") {
    io.stdout(`${title}\n\n${chains}`);
    return 0;
  }
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
  io.stdout(`${title}

${chains}
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
  return runCli(engine, argv, io, { name: "bench:engine", code: 1 });
}

if (import.meta.main) runAsCommand(main);
