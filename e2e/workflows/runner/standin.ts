// What the stand-in actions and runner tools share inside a job run by act: their inputs, the
// job's files GitHub defines (GITHUB_ENV, GITHUB_PATH, GITHUB_OUTPUT), a line in the run's log of
// what they did (the GitHub stand-in records it for the harness), and one way to fail a step.
import { createHash } from "node:crypto";
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compareCodeUnits } from "../../../model/compare.ts";

/** An input a composite stand-in passed through its step's `env:` as INPUT_<NAME> (GitHub's spelling). */
export function input(name: string): string {
  return (process.env[`INPUT_${name.toUpperCase().replaceAll(" ", "_")}`] ?? "").trim();
}

/** A variable of the runner's environment that the harness sets for every job. */
export function runnerEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is not set: run this under npm run e2e:workflows`);
  return value;
}

/** A line of a GitHub file command (GITHUB_ENV: `NAME<<EOF`, GITHUB_PATH: one directory). */
export function setEnv(name: string, value: string): void {
  const delimiter = `e2e_${Math.random().toString(36).slice(2)}`;
  appendFileSync(runnerEnv("GITHUB_ENV"), `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

export function addPath(dir: string): void {
  appendFileSync(runnerEnv("GITHUB_PATH"), `${dir}\n`);
}

/** Tells the GitHub stand-in what this stand-in did, for the harness's checks. */
export async function log(action: string, detail: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${runnerEnv("S2S_E2E_GITHUB")}/_e2e/log`, {
    method: "POST",
    body: JSON.stringify({ runId: Number(runnerEnv("GITHUB_RUN_ID")), job: runnerEnv("GITHUB_JOB"), action, detail }),
  });
  if (!res.ok) throw new Error(`the GitHub stand-in refused the log entry (HTTP ${res.status})`);
}

/** Ends the step as failed, with GitHub's error annotation. */
export function fail(message: string): never {
  process.stdout.write(`::error::${message}\n`);
  process.exit(1);
}

/** A SHA-256 of each file under `dir` by its relative path: which upload a download brought back. */
export function digests(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const path = join(e.parentPath, e.name);
        return [path.slice(dir.length + 1), createHash("sha256").update(readFileSync(path)).digest("hex")];
      })
      .sort(([a], [b]) => compareCodeUnits(a!, b!)),
  );
}
