// e2e/runner.ts with stand-in steps, no engine: each step printed and timed, the first failure
// ending the run with its name and output, lanes side by side, what steps need of earlier ones,
// and the --json report npm run bench:engine reads. Also: the real plan's needs are all given in time.
import FakeTimers from "@sinonjs/fake-timers";
import { programShare, type ProgramRun } from "../../tools/bench/engine.ts";
import { checkPlan, defineStep, lanes, report, runPlan, summary, type Plan, type Step } from "../../e2e/runner.ts";
import type { Context } from "../../e2e/steps/context.ts";
import { PLAN } from "../../e2e/steps/index.ts";
import { CommandError } from "../../e2e/workspace.ts";

interface Stand {
  events: string[];
  value?: number;
}
const step = defineStep<Stand>();

/** A step that notes its start and end in the context's events, a turn of the event loop apart. */
const noting = (name: string): Step<Stand> =>
  step({
    name,
    run: async ({ events }) => {
      events.push(`${name} start`);
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`${name} end`);
      return undefined;
    },
  });

const failing = (name: string, error: Error): Step<Stand> =>
  step({
    name,
    run: async () => {
      throw error;
    },
  });

async function run(plan: Plan<Stand>, context: Stand = { events: [] }) {
  let stderr = "";
  const results = await runPlan(plan, context, { stderr: (text) => void (stderr += text) });
  return { results, stderr, context };
}

describe("runPlan", () => {
  test("prints each step as it starts and ends, with its time and detail line, in order", async () => {
    const clock = FakeTimers.install({ toFake: ["performance"] });
    try {
      const plan = [
        step({ name: "one", run: async () => (clock.tick(1_500), "made 3 things") }),
        step({ name: "two", run: async () => (clock.tick(250), undefined) }),
      ];
      const { results, stderr } = await run(plan);
      expect(results).toEqual([
        { name: "one", seconds: 1.5, ok: true, detail: "made 3 things" },
        { name: "two", seconds: 0.25, ok: true, detail: "" },
      ]);
      expect(stderr).toBe("e2e ▶ one\ne2e ✔ one (1.5 s): made 3 things\ne2e ▶ two\ne2e ✔ two (0.3 s)\n");
    } finally {
      clock.uninstall();
    }
  });

  test("the first failure ends the run: its name and its command's output tail on stderr, no later step", async () => {
    const output = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join("\n");
    const plan = [
      noting("before"),
      failing("up", new CommandError("pulumi up", { code: 255, stdout: output, stderr: "" })),
      noting("after"),
    ];
    const { results, stderr, context } = await run(plan);
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ["before", true],
      ["up", false],
    ]);
    expect(results[1]!.detail).toMatch(/^pulumi up exited with 255\nline 16\n[^]*\nline 40$/);
    expect(stderr).toMatch(/\ne2e ✘ up \(\d+\.\d s\)\npulumi up exited with 255\nline 16\n[^]*\nline 40\n$/);
    expect(stderr).not.toContain("after");
    expect(context.events).toEqual(["before start", "before end"]);
  });

  test("lanes run side by side, one after another inside each lane", async () => {
    const { results, context } = await run([lanes([noting("a1"), noting("a2")], [noting("b1")]), noting("c")]);
    expect(context.events).toEqual([
      "a1 start",
      "b1 start",
      "a1 end",
      "a2 start",
      "b1 end",
      "a2 end",
      "c start",
      "c end",
    ]);
    expect(results.map((r) => r.name)).toEqual(["a1", "b1", "a2", "c"]);
  });

  test("a failed lane fails the run once every other lane has ended", async () => {
    const { results, stderr } = await run([
      lanes([failing("x", new Error("x broke"))], [noting("y1"), noting("y2")]),
      noting("z"),
    ]);
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ["x", false],
      ["y1", true],
      ["y2", true],
    ]);
    expect(stderr).toContain("e2e ✘ x (");
    expect(stderr).not.toContain("▶ z");
  });

  test("what a step gives reaches the steps after it; a step that gives nothing it promised fails", async () => {
    const gives = step({ name: "gives", gives: "value", run: async (c) => ((c.value = 42), undefined) });
    const reads = step({ name: "reads", needs: ["value"], run: async ({ value }) => `got ${value + 1}` });
    expect((await run([gives, reads])).results.map((r) => r.detail)).toEqual(["", "got 43"]);

    const forgets = step({ name: "forgets", gives: "value", run: async () => undefined });
    const { results } = await run([forgets, reads]);
    expect(results).toEqual([
      {
        name: "forgets",
        seconds: expect.any(Number),
        ok: false,
        detail: "the step gave no value, which later steps need",
      },
    ]);
  });

  test("a plan whose steps need what no step before them gives is refused before any step runs", async () => {
    const gives = step({ name: "gives", gives: "value", run: async (c) => ((c.value = 1), undefined) });
    const reads = step({ name: "reads", needs: ["value"], run: async () => undefined });
    const refused = /^e2e plan: step "reads" needs value, which no step before it in its lane gives$/;
    const context: Stand = { events: [] };
    await expect(run([noting("first"), reads, gives], context)).rejects.toThrow(refused);
    expect(context.events).toEqual([]);
    // Another lane's step may not have run yet.
    await expect(run([lanes([gives], [reads])])).rejects.toThrow(refused);
    const readsToo = step({ ...reads, name: "reads too" });
    expect(() => checkPlan([lanes([gives, reads]), readsToo], ["events"])).not.toThrow();
    expect(() => checkPlan([reads], ["events", "value"])).not.toThrow();
    expect(() => checkPlan([noting("a"), lanes([noting("a")])], [])).toThrow(/two steps are named "a"/);
  });
});

test("the summary lists every step's time and result, the total and the counts", () => {
  const text = summary(
    [
      { name: "one", seconds: 1.25, ok: true, detail: "" },
      { name: "two", seconds: 10, ok: false, detail: "broke" },
    ],
    12.5,
  );
  const lines = text.split("\n");
  expect(lines[0]).toBe("");
  expect(lines.slice(1, -1).map((l) => l.split(/\s{2,}/))).toEqual([
    ["step", "time", "result"],
    ["one", "1.3s", "ok"],
    ["two", "10.0s", "FAILED"],
    ["total", "12.5s"],
    ["e2e: 1 passed, 1 failed"],
  ]);
});

test("--json: the steps and commands as npm run bench:engine reads them", () => {
  const steps = [{ name: "dev: pulumi up converges", seconds: 4.5, ok: true, detail: "" }];
  const commands = [
    { argv: ["pulumi", "up", "--yes", "--stack", "dev"], start: 1_000, end: 5_000, code: 0 },
    { argv: ["pulumi", "version"], start: 0, end: 100, code: 0 },
  ];
  const written = JSON.parse(report(steps, 6, commands)) as unknown;
  expect(written).toEqual({ totalSeconds: 6, steps, commands });
  const program: ProgramRun = {
    kind: "run",
    project: "s2s-auth",
    stack: "dev",
    dryRun: false,
    start: 2_000,
    end: 3_000,
    cpuMillis: 500,
  };
  expect(programShare((written as { commands: typeof commands }).commands, [program])).toEqual([
    { operation: "up", count: 1, wallSeconds: 4, programSeconds: 1, programCpuSeconds: 0.5 },
  ]);
});

test("npm run e2e's plan: every step's needs are given before it, from what prepare gives", () => {
  const prepared: (keyof Context)[] = ["ws", "io", "seeded"];
  expect(() => checkPlan(PLAN, prepared)).not.toThrow();
});
