// The e2e step runner: a plan is a list of steps and lanes of steps (e2e/steps/index.ts), run in
// order on a context the steps share. Each step is timed and printed (`e2e ▶`, then `e2e ✔` with its
// detail line or `e2e ✘` with its error), the first failure ends the run, and the results make the
// summary table and the `--json` report that npm run bench:engine reads. It knows nothing of Pulumi
// or the twin, so its tests run stand-in steps.
import type { CommandRecord } from "./workspace.ts";
import type { CliIo } from "../tools/cli/args.ts";
import type { E2eReport } from "../tools/bench/engine.ts";

/** A step's context once the results it declares it needs are there: those keys are no longer optional. */
export type Given<C, N extends keyof C> = C & { readonly [K in N]-?: NonNullable<C[K]> };

/** One step of a plan. */
export interface Step<C> {
  /** Printed as is; docs and bench:engine's reports quote it, so it names the step for good. */
  readonly name: string;
  /** What it reads of earlier steps: keys of the context that a step before it gives. */
  readonly needs?: readonly (keyof C & string)[];
  /** The key of the context its body sets, for the steps after it. */
  readonly gives?: keyof C & string;
  /** Does the step; returns the detail line printed after its name (or nothing), throws to fail. */
  run(context: C): Promise<string | undefined>;
}

/**
 * A step whose body sees the context with its `needs` present (the runner checks the plan before it
 * starts), e.g. `defineStep<Context>()({ name, needs: ["bootstrap"], run: async (c) => c.bootstrap.admin })`.
 */
export function defineStep<C>() {
  return <N extends keyof C & string = never>(step: {
    name: string;
    needs?: readonly N[];
    gives?: keyof C & string;
    run(context: Given<C, N>): Promise<string | undefined>;
  }): Step<C> => step;
}

/** Lanes that run side by side, each a plan of its own; the run goes on once all have ended. */
export interface Lanes<C> {
  readonly lanes: readonly Plan<C>[];
}

/** Steps and lanes, in order. */
export type Plan<C> = readonly (Step<C> | Lanes<C>)[];

/** Lanes of steps that share nothing (each lane its own stacks and objects), run side by side. */
export function lanes<C>(...plans: Plan<C>[]): Lanes<C> {
  return { lanes: plans };
}

/** One step's outcome, as printed in the summary and written by `--json`. */
export interface StepResult {
  name: string;
  seconds: number;
  ok: boolean;
  /** The detail line, or why it failed (a command's output tail). */
  detail: string;
}

const isLanes = <C>(entry: Step<C> | Lanes<C>): entry is Lanes<C> => "lanes" in entry;

/**
 * Refuses a plan that would fail for how it is put together rather than for what it tests: a step
 * that needs what no step before it gives (a step in another lane does not count: it may not have
 * run yet), or two steps of one name (the report is keyed by name). `given`: the context's keys at
 * the start.
 */
export function checkPlan<C>(plan: Plan<C>, given: Iterable<string>): void {
  const names = new Set<string>();
  const walk = (entries: Plan<C>, before: ReadonlySet<string>): Set<string> => {
    const available = new Set(before);
    for (const entry of entries) {
      if (isLanes(entry)) {
        for (const lane of entry.lanes.map((l) => walk(l, available))) for (const key of lane) available.add(key);
        continue;
      }
      if (names.has(entry.name)) throw new Error(`e2e plan: two steps are named "${entry.name}"`);
      names.add(entry.name);
      const missing = (entry.needs ?? []).filter((key) => !available.has(key));
      if (missing.length > 0)
        throw new Error(
          `e2e plan: step "${entry.name}" needs ${missing.join(", ")}, which no step before it in its lane gives`,
        );
      if (entry.gives !== undefined) available.add(entry.gives);
    }
    return available;
  };
  walk(plan, new Set(given));
}

/** A step failed: it has been printed and recorded; the run stops. */
class StepFailed extends Error {}

/**
 * Runs the plan on `context`, printing each step to `io.stderr`, and returns the results in the
 * order the steps ended. The first failed step ends the run once its lanes have ended (later steps
 * build on earlier ones). Throws only for a plan that {@link checkPlan} refuses, before any step.
 */
export async function runPlan<C extends object>(
  plan: Plan<C>,
  context: C,
  io: Pick<CliIo, "stderr">,
): Promise<StepResult[]> {
  const record = context as Record<string, unknown>;
  checkPlan(
    plan,
    Object.keys(record).filter((key) => record[key] !== undefined),
  );
  const results: StepResult[] = [];

  const step = async (s: Step<C>): Promise<void> => {
    io.stderr(`e2e ▶ ${s.name}\n`);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const detail = (await s.run(context)) ?? "";
      if (s.gives !== undefined && record[s.gives] === undefined)
        throw new Error(`the step gave no ${s.gives}, which later steps need`);
      const took = seconds();
      results.push({ name: s.name, seconds: took, ok: true, detail });
      io.stderr(`e2e ✔ ${s.name} (${took.toFixed(1)} s)${detail ? `: ${detail}` : ""}\n`);
    } catch (error) {
      const took = seconds();
      const detail = error instanceof Error ? error.message : String(error);
      results.push({ name: s.name, seconds: took, ok: false, detail });
      io.stderr(`e2e ✘ ${s.name} (${took.toFixed(1)} s)\n${detail}\n`);
      throw new StepFailed();
    }
  };

  const run = async (entries: Plan<C>): Promise<void> => {
    for (const entry of entries) {
      if (!isLanes(entry)) {
        await step(entry);
        continue;
      }
      // Every lane runs to its end even when another fails: a lane stopped midway would leave its
      // stack half-made, and its own failure would go unreported.
      const ended = await Promise.allSettled(entry.lanes.map(run));
      const failed = ended.find((e): e is PromiseRejectedResult => e.status === "rejected");
      if (failed) throw failed.reason;
    }
  };

  try {
    await run(plan);
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
  }
  return results;
}

/** The table printed after the run: each step's time and result, the total, the counts. */
export function summary(results: readonly StepResult[], totalSeconds: number): string {
  const failed = results.filter((r) => !r.ok).length;
  return [
    "",
    `${"step".padEnd(72)} ${"time".padStart(7)}  result`,
    ...results.map((r) => `${r.name.padEnd(72)} ${r.seconds.toFixed(1).padStart(6)}s  ${r.ok ? "ok" : "FAILED"}`),
    `${"total".padEnd(72)} ${totalSeconds.toFixed(1).padStart(6)}s`,
    `e2e: ${results.length - failed} passed, ${failed} failed`,
    "",
  ].join("\n");
}

/** What `npm run e2e -- --json FILE` writes: the steps' and the commands' times, which bench:engine reads. */
export function report(
  results: readonly StepResult[],
  totalSeconds: number,
  commands: readonly CommandRecord[],
): string {
  const document = { totalSeconds, steps: results, commands } satisfies E2eReport;
  return `${JSON.stringify(document, null, 2)}\n`;
}
