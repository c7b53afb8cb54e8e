// How many cases a fuzz property runs, and how to replay a failure. fast-check puts the seed
// and the shrink path of a failing case in the error it throws (jest prints it); feeding them
// back through FUZZ_SEED / FUZZ_PATH replays exactly that case: see docs/reliability.md.
import type { Parameters } from "fast-check";

function intFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

/**
 * Run parameters for one property: `defaultRuns` cases unless `runsVariable` says otherwise.
 * A fixed FUZZ_SEED (and FUZZ_PATH from a failure report) replays a run; without them every
 * run explores new cases, and a failure still reports the seed that reproduces it.
 */
export function fuzzParameters<T>(runsVariable: string, defaultRuns: number): Parameters<T> {
  const numRuns = intFromEnv(runsVariable) ?? defaultRuns;
  if (numRuns < 1) throw new Error(`${runsVariable} must be at least 1`);
  const seed = intFromEnv("FUZZ_SEED");
  const path = process.env["FUZZ_PATH"];
  return {
    numRuns,
    ...(seed === undefined ? {} : { seed }),
    ...(seed !== undefined && path ? { path } : {}),
  };
}

/** Cases through `parseStackConfig` (cheap, well under a millisecond each). */
export const CONFIG_RUNS = "FUZZ_RUNS";
/** Cases through the whole program under Pulumi's mocks (about 0.1 s each when valid). */
export const PROGRAM_RUNS = "FUZZ_PROGRAM_RUNS";
