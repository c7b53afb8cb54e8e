// `npm run bench`: one run, one table. Every row is a fresh child process measured under GNU
// time, N times; see docs/performance.md for what each row means and the results.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import * as cli from "../cli/args.ts";
import { measure, type Command } from "./measure.ts";
import {
  isFlat,
  marginalMsPerResource,
  markdownTable,
  megabytes,
  seconds,
  splitNodeArgs,
  summarize,
  type Sample,
  type Summary,
} from "./stats.ts";
import { BENCH_TOPOLOGIES, TARGET_TOPOLOGY, topologyConfig, type TopologyShape } from "./topology.ts";

const BENCH = cli.defineCommand({
  name: "bench",
  command: "npm run bench --",
  summary:
    "Measures the program, the plan, the tests and the type-check, each row a fresh process under GNU " +
    "time, and prints one Markdown report (docs/performance.md). Takes several minutes; progress on " +
    "stderr.",
  usage: ["[--runs N] [--only tests | --only plan]"],
  options: { runs: { type: "string" }, only: { type: "string" } },
  optionHelp: [
    "--runs N            runs per row (default: 3)",
    "--only tests        only the test rows (`npm test`, `npm run test:deep`) and their targets: a minute, not many",
    "--only plan         only the floor, the plan and the program runs of the dev stack, and the plan's target",
  ],
  exitCodes: [
    [0, "measured; the report is on stdout"],
    [1, "a measured command failed (its command and output tail on stderr)"],
    [cli.EXIT_USAGE, "wrong command line"],
  ],
  examples: [
    "npm run bench -- --runs 5 > bench.md",
    "npm run bench -- --only tests --runs 1",
    "npm run bench -- --only plan --runs 5",
  ],
});

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "node_modules", ".bin");
// Node 22 from the `node` devDependency; jest and tsc find it through PATH (#!/usr/bin/env node).
const node = join(bin, "node");
// The type-checker `npm run typecheck` uses: TypeScript 7, the native compiler (package.json).
const TSC = join(root, "node_modules", "typescript-native", "bin", "tsc");
const env = { PATH: `${bin}:${process.env["PATH"] ?? ""}` };

/** Pulumi.yaml's runtime nodeargs, read when a row needs them (not when a test imports `main`). */
function nodeargs(): string[] {
  const pulumiYaml = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as {
    runtime?: { options?: { nodeargs?: string } };
  };
  return splitNodeArgs(pulumiYaml.runtime?.options?.nodeargs);
}
// Pulumi's cmd/run/index.js requires source-map-support/register before it imports the program.
const LIKE_PULUMI = ["-r", "source-map-support/register"];
const runner = (stack: string) => ["tools/bench/run-program.ts", "--stack", stack];

// Every row takes seconds to minutes: `progress` says what runs, on stderr, so the report on stdout
// stays clean.
function sample(
  name: string,
  command: Command,
  { runs, progress, warmUp = false }: { runs: number; progress: (msg: string) => void; warmUp?: boolean },
): { summary: Summary; stdout: string } {
  const samples: Sample[] = [];
  let stdout = "";
  if (warmUp) {
    progress(`  ${name}: warm-up run`);
    measure(command, root);
  }
  for (let i = 1; i <= runs; i++) {
    progress(`  ${name}: run ${i}/${runs}`);
    const m = measure(command, root);
    samples.push(m);
    stdout = m.stdout;
  }
  return { summary: summarize(samples), stdout };
}

/**
 * Rows measured in turn, run by run (A B C, A B C, …) after each row's warm-up, so that a shared
 * machine whose speed drifts slows every row alike and their ratios hold.
 */
function sampleInTurn(
  rows: readonly Row[],
  { runs, progress }: { runs: number; progress: (msg: string) => void },
): Map<string, Summary> {
  for (const row of rows.filter((r) => r.warmUp)) {
    progress(`  ${row.key}: warm-up run`);
    measure(row.command, root);
  }
  const samples = new Map<string, Sample[]>(rows.map((row) => [row.key, []]));
  for (let i = 1; i <= runs; i++) {
    for (const row of rows) {
      progress(`  ${row.key}: run ${i}/${runs}`);
      samples.get(row.key)!.push(measure(row.command, root));
    }
  }
  return new Map(rows.map((row) => [row.key, summarize(samples.get(row.key)!)]));
}

function resourcesIn(stdout: string): number {
  const last = stdout.trim().split("\n").at(-1) ?? "";
  const count = (JSON.parse(last) as { resources?: unknown }).resources;
  if (typeof count !== "number") throw new Error(`bench/run-program printed no resource count: ${last}`);
  return count;
}

function planCommand(): { label: string; command: Command; warmUp?: boolean } {
  if (existsSync(join(root, "tools", "plan", "cli.ts"))) {
    const script = npmScript("plan");
    if (script) {
      // What `npm run plan -- --stack dev` runs, minus npm's own start-up. The warm-up run fills
      // the CLIs' caches of compiled code and stripped types (tools/cli/moduleCache.ts), as any
      // earlier plan on the machine has; the next row shows the plan without them.
      return {
        label: `plan of dev (\`${script} --stack dev\`)`,
        command: { argv: ["sh", "-c", `${script} --stack dev`], env },
        warmUp: true,
      };
    }
  }
  return {
    label: "plan of dev (stand-in: tools/bench/run-program.ts, Pulumi.yaml nodeargs)",
    command: { argv: [node, ...nodeargs(), ...runner("dev")], env },
  };
}

/** package.json's script `name`, if there is one. */
function npmScript(name: string): string | undefined {
  return (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> })
    .scripts?.[name];
}

/** The unit-test target (issue 16): the whole `npm test` suite in at most this many milliseconds. */
const UNIT_TESTS = { name: "unit test suite ≤ 10 s", limitMs: 10_000 };

interface Row {
  key: string;
  label: string;
  command: Command;
  warmUp?: boolean;
}

// The suites as `npm test` and `npm run test:deep` run them, minus npm's own start-up.
function testRows(): Row[] {
  return (
    [
      ["unitTests", "test", "unit tests"],
      ["testDeep", "test:deep", "deep tests"],
    ] as const
  ).map(([key, script, what]) => {
    const text = npmScript(script);
    if (text === undefined) throw new Error(`package.json has no "${script}" script`);
    return { key, label: `${what}: \`${text}\``, command: { argv: ["sh", "-c", `${text} --silent`], env } };
  });
}

async function bench(argv: string[], io: cli.CliIo): Promise<number> {
  const parsed = cli.readCommandLine(BENCH, argv);
  const runsText = cli.stringOption(parsed.values, "runs") ?? "3";
  const runs = Number(runsText);
  if (!Number.isInteger(runs) || runs < 1)
    throw new cli.UsageError(`bench: --runs must be a whole number ≥ 1, got ${runsText} (see ${BENCH.command} --help)`);
  const only = cli.stringOption(parsed.values, "only");
  if (only !== undefined && only !== "tests" && only !== "plan")
    throw new cli.UsageError(`bench: --only takes "tests" or "plan", got ${only} (see ${BENCH.command} --help)`);

  const machine = [
    `${os.cpus()[0]?.model ?? "unknown CPU"} × ${os.availableParallelism()}`,
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM`,
    `${os.type()} ${os.release()}`,
    `Node ${readFileSync(join(root, ".nvmrc"), "utf8").trim()} (node_modules/.bin/node)`,
  ].join(", ");
  const loadAtStart = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  const started = new Date();
  const header = (title: string) => `# ${title} — ${started.toISOString()}

Machine: ${machine}. Load average at start ${loadAtStart}, at end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}.
${runs} runs per row: median and min wall time, median CPU (user + system) time, largest max RSS.`;
  const progress = (msg: string) => io.stderr(`bench: ${msg}\n`);
  const sampled = (row: Row) => sample(row.key, row.command, { runs, progress, warmUp: row.warmUp ?? false });

  // --- Only the tests -----------------------------------------------------------------------------
  if (only === "tests") {
    progress("test suites");
    const rows = testRows();
    const results = new Map(rows.map((row) => [row.key, sampled(row).summary]));
    const table = markdownTable(
      ["what", "median s", "min s", "CPU s", "max RSS MB"],
      rows.map((row) => {
        const s = results.get(row.key)!;
        return [row.label, seconds(s.medianMs), seconds(s.minMs), seconds(s.medianCpuMs), megabytes(s.maxRssMb)];
      }),
    );
    const unit = results.get("unitTests")!;
    const target = markdownTable(
      ["target", "on wall time", "met", "on CPU time", "met"],
      [
        [
          UNIT_TESTS.name,
          `${seconds(unit.medianMs)} s`,
          unit.medianMs <= UNIT_TESTS.limitMs ? "yes" : "**no**",
          `${seconds(unit.medianCpuMs)} s`,
          unit.medianCpuMs <= UNIT_TESTS.limitMs ? "yes" : "**no**",
        ],
      ],
    );
    io.stdout(`${header("npm run bench -- --only tests")}

## Test suites

${table}

## Targets

${target}\n`);
    return 0;
  }

  // --- Program runs on the dev stack, and the checks ---------------------------------------------
  progress("program runs and checks");
  const plan = planCommand();
  const compileCache = mkdtempSync(join(os.tmpdir(), "s2s-bench-compile-cache-"));
  const programRows: Row[] = [
    {
      key: "floor",
      label: "floor: `node -e \"require('@pulumi/pulumi')\"`",
      command: { argv: [node, "-e", "require('@pulumi/pulumi')"], env },
    },
    { key: "plan", ...plan },
    {
      key: "planNoCache",
      label: "the same without the CLIs' caches (`NODE_DISABLE_COMPILE_CACHE=1`)",
      command: { ...plan.command, env: { ...plan.command.env, NODE_DISABLE_COMPILE_CACHE: "1" } },
    },
    {
      key: "asPulumi",
      label: `program as Pulumi runs it: type stripping${nodeargs().length ? `, \`${nodeargs().join(" ")}\`` : ""}`,
      command: { argv: [node, ...nodeargs(), ...LIKE_PULUMI, ...runner("dev")], env },
    },
    {
      key: "compileCache",
      label: "the same with `NODE_COMPILE_CACHE` (warm cache)",
      command: {
        argv: [node, ...nodeargs(), ...LIKE_PULUMI, ...runner("dev")],
        env: { ...env, NODE_COMPILE_CACHE: compileCache },
      },
      warmUp: true,
    },
    {
      key: "build",
      label: "build for precompiled JS: `tsc` emit to .bench-js/ (every change, before every run)",
      command: {
        argv: [node, TSC, "-p", ".", "--noEmit", "false", "--outDir", ".bench-js", "--rewriteRelativeImportExtensions"],
        env,
      },
    },
    {
      key: "precompiled",
      label:
        "program as precompiled JS (`main: .bench-js/index.js`)" +
        (nodeargs().length ? `, \`${nodeargs().join(" ")}\`` : ""),
      command: { argv: [node, ...nodeargs(), ...LIKE_PULUMI, ".bench-js/bench/run-program.js", "--stack", "dev"], env },
    },
    {
      key: "tsx",
      label: "program under tsx (`--import tsx`)",
      command: { argv: [node, ...LIKE_PULUMI, "--import", "tsx", ...runner("dev")], env },
    },
    {
      key: "tsNodeTranspile",
      label: "program under ts-node, transpile-only",
      command: {
        argv: [node, ...LIKE_PULUMI, "--import", "./bench/pulumi-ts-node.ts", ...runner("dev")],
        env: { ...env, TS_NODE_TRANSPILE_ONLY: "true" },
      },
    },
    {
      key: "tsNodeCheck",
      label: "program under ts-node, type-checking (Pulumi's TypeScript default)",
      command: { argv: [node, ...LIKE_PULUMI, "--import", "./bench/pulumi-ts-node.ts", ...runner("dev")], env },
    },
    ...testRows(),
    {
      key: "typecheck",
      label: "type-check: `npm run typecheck` (TypeScript 7, native)",
      command: { argv: [node, TSC, "--noEmit", "-p", "."], env },
    },
  ];
  // --only plan: what the plan's target compares, and the program as Pulumi runs it.
  const rowsToRun =
    only === "plan"
      ? programRows.filter((row) => ["floor", "plan", "planNoCache", "asPulumi", "compileCache"].includes(row.key))
      : programRows;
  const measured = sampleInTurn(rowsToRun, { runs, progress });
  rmSync(compileCache, { recursive: true, force: true });
  rmSync(join(root, ".bench-js"), { recursive: true, force: true });
  const floor = measured.get("floor")!;

  const programTable = markdownTable(
    ["what", "median s", "min s", "CPU s", "max RSS MB", "× floor"],
    rowsToRun.map((row) => {
      const s = measured.get(row.key)!;
      return [
        row.label,
        seconds(s.medianMs),
        seconds(s.minMs),
        seconds(s.medianCpuMs),
        megabytes(s.maxRssMb),
        (s.medianMs / floor.medianMs).toFixed(2),
      ];
    }),
  );

  // Each target is judged on median wall time, as stated, and on median CPU time, which a machine
  // shared with other jobs distorts much less.
  type Metric = (s: Summary) => number;
  const wall: Metric = (s) => s.medianMs;
  const cpu: Metric = (s) => s.medianCpuMs;
  const get = (key: string) => measured.get(key)!;
  interface Target {
    name: string;
    show: (m: Metric) => string;
    met: (m: Metric) => boolean;
  }
  const yes = (ok: boolean) => (ok ? "yes" : "**no**");
  const targetsTable = (targets: readonly Target[]) =>
    markdownTable(
      ["target", "on wall time", "met", "on CPU time", "met"],
      targets.map((t) => [t.name, t.show(wall), yes(t.met(wall)), t.show(cpu), yes(t.met(cpu))]),
    );
  const planTarget: Target = {
    name: "plan of dev ≤ 1.5 × floor",
    show: (m) => `${(m(get("plan")) / m(floor)).toFixed(2)} × (${seconds(m(get("plan")))} s / ${seconds(m(floor))} s)`,
    met: (m) => m(get("plan")) <= 1.5 * m(floor),
  };
  if (only === "plan") {
    io.stdout(`${header("npm run bench -- --only plan")}
Rows measured in turn, run by run.

## Program runs (stack dev)

${programTable}

## Targets

${targetsTable([planTarget])}\n`);
    return 0;
  }

  // --- Generated topologies -----------------------------------------------------------------------
  progress("generated topologies");
  interface TopologyResult {
    label: string;
    shape: TopologyShape;
    resources: number;
    summary: Summary;
  }
  const runTopology = (label: string, shape: TopologyShape, argvHead: string[]): TopologyResult => {
    const { summary, stdout } = sample(
      `${label} ${shape.callers}×${shape.callees}`,
      { argv: [...argvHead, ...runner("bench")], env: { ...env, BENCH_CONFIG: JSON.stringify(topologyConfig(shape)) } },
      { runs, progress },
    );
    return { label, shape, resources: resourcesIn(stdout), summary };
  };
  const asConfigured = [node, ...nodeargs(), ...LIKE_PULUMI];
  const grid = [...BENCH_TOPOLOGIES, TARGET_TOPOLOGY]
    .map((shape) => runTopology("as configured", shape, asConfigured))
    .sort((a, b) => a.resources - b.resources);
  const perResource = marginalMsPerResource(
    grid.map((t) => ({ resources: t.resources, medianMs: t.summary.medianMs })),
  );
  const perResourceCpu = marginalMsPerResource(
    grid.map((t) => ({ resources: t.resources, medianMs: t.summary.medianCpuMs })),
  );
  const comparisons = [
    runTopology("no nodeargs (Pulumi's defaults)", TARGET_TOPOLOGY, [node, ...LIKE_PULUMI]),
    runTopology("tsx (source maps on)", TARGET_TOPOLOGY, [node, ...LIKE_PULUMI, "--import", "tsx"]),
  ];
  const perResourceCell = (ms: number | undefined) => (ms === undefined ? "(base)" : ms.toFixed(2));
  const topologyRow = (t: TopologyResult, msPerResource: number | undefined, cpuMsPerResource: number | undefined) => [
    t.label,
    String(t.shape.callers),
    String(t.shape.callees),
    String(t.resources),
    seconds(t.summary.medianMs),
    seconds(t.summary.minMs),
    seconds(t.summary.medianCpuMs),
    megabytes(t.summary.maxRssMb),
    perResourceCell(msPerResource),
    perResourceCell(cpuMsPerResource),
  ];
  const topologyTable = markdownTable(
    [
      "runtime",
      "callers",
      "callees",
      "resources",
      "median s",
      "min s",
      "CPU s",
      "max RSS MB",
      "ms/resource",
      "CPU ms/resource",
    ],
    [
      ...grid.map((t, i) => topologyRow(t, perResource[i], perResourceCpu[i])),
      ...comparisons.map((t) => [...topologyRow(t, undefined, undefined).slice(0, 8), "—", "—"]),
    ],
  );

  // --- Targets ------------------------------------------------------------------------------------
  const target = grid.find((t) => t.shape === TARGET_TOPOLOGY)!;
  const flatness = (metric: Metric) => {
    const ms = marginalMsPerResource(grid.map((t) => ({ resources: t.resources, medianMs: metric(t.summary) })));
    const points = grid
      .map((t, i) => ({ resources: t.resources, ms: ms[i] }))
      .filter(
        (p): p is { resources: number; ms: number } => p.ms !== undefined && p.resources >= 50 && p.resources <= 1100,
      );
    return {
      points,
      ...isFlat(
        points.map((p) => p.ms),
        0.3,
      ),
    };
  };
  const targets: Target[] = [
    planTarget,
    {
      name: "program as Pulumi runs it ≥ 6 × faster than ts-node type-checking",
      show: (m) => `${(m(get("tsNodeCheck")) / m(get("asPulumi"))).toFixed(1)} ×`,
      met: (m) => m(get("tsNodeCheck")) >= 6 * m(get("asPulumi")),
    },
    {
      name: UNIT_TESTS.name,
      show: (m) => `${seconds(m(get("unitTests")))} s`,
      met: (m) => m(get("unitTests")) <= UNIT_TESTS.limitMs,
    },
    {
      name: "type-check ≤ 5 s and ≤ 500 MB",
      show: (m) => `${seconds(m(get("typecheck")))} s, ${megabytes(get("typecheck").maxRssMb)} MB`,
      met: (m) => m(get("typecheck")) <= 5_000 && get("typecheck").maxRssMb <= 500,
    },
    {
      name: `${target.resources}-resource topology ≤ 3 s and ≤ 450 MB`,
      show: (m) => `${seconds(m(target.summary))} s, ${megabytes(target.summary.maxRssMb)} MB`,
      met: (m) => m(target.summary) <= 3_000 && target.summary.maxRssMb <= 450,
    },
    {
      name: "ms per resource flat (±30 %) from 50 to ~1,000 resources",
      show: (m) => {
        const f = flatness(m);
        const points = f.points.map((p) => `${p.ms.toFixed(1)}@${p.resources}`).join(" ");
        return `${points}; worst ${(f.worst * 100).toFixed(0)} % off`;
      },
      met: (m) => flatness(m).flat,
    },
  ];

  io.stdout(`${header("npm run bench")}

## Program runs (stack dev) and checks

${programTable}

## Generated topologies (1-3 calls per caller)

${topologyTable}

ms/resource: (median wall or CPU time − that of the smallest topology) / (resources − its resources),
so that Node's start and module loading are not spread over the resources.

## Targets

${targetsTable(targets)}\n`);
  return 0;
}

/** `npm run bench -- <argv>`: the exit code, with the report and progress printed through `io`. */
export function main(argv: string[], io: cli.CliIo): Promise<number> {
  // A failing row stops the bench with its command and the tail of its output, not a stack trace.
  return cli.runCli(bench, argv, io, { name: "bench", code: 1 });
}

if (import.meta.main) cli.runAsCommand(main);
