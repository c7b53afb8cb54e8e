// How npm run e2e:workflows prints what happened: each event, each workflow run it caused with
// its jobs (ran and skipped), the environments' protection rules where GitHub would have held a
// job, the identities that signed in (and the refusals), and each outcome checked.
import { jobLabel } from "./act.ts";
import type { WorkflowRun } from "./harness.ts";
import { refusedSignIns, signIns } from "./outcomes.ts";
import type { World } from "./world.ts";

const short = (sha: string) => sha.slice(0, 7);

/** The lines of one workflow run. */
export function runLines(world: World, run: WorkflowRun): string[] {
  const what = run.action === undefined ? run.event : `${run.event} ${run.action}`;
  const lines = [`  ${run.file} (${what}, run ${run.runId}, ${short(run.sha)}): ${run.conclusion}`];
  const jobs = run.jobs.map((j) => `${j.result === "success" ? "✔" : "✘"} ${jobLabel(j)}`);
  if (jobs.length > 0) lines.push(`      jobs: ${jobs.join("  ")}`);
  if (run.skipped.length > 0) lines.push(`      skipped: ${run.skipped.join(", ")}`);
  for (const r of run.records)
    if (r.kind === "deployment")
      for (const line of r.lines)
        lines.push(`      ${r.reviewer === undefined ? "" : "⏸ "}environment ${r.environment} (job ${r.job}): ${line}`);
  for (const s of signIns(world, [run]))
    lines.push(
      `      signed in (${s.via}): ${s.job} as ${s.name}${s.writes ? " (writes)" : " (read-only)"} with ${s.subject}`,
    );
  for (const r of refusedSignIns([run])) lines.push(`      sign-in refused: ${r.job}: ${r.error.split("\n")[0]}`);
  for (const o of run.other) lines.push(`      act: ${o}`);
  return lines;
}

/** The last lines of each failed job, for a failure nobody expected. */
export function failureLines(run: WorkflowRun, tail = 25): string[] {
  return run.jobs
    .filter((j) => j.result !== "success")
    .flatMap((j) => [`    --- ${jobLabel(j)} (last ${tail} lines)`, ...j.output.slice(-tail).map((l) => `    | ${l}`)]);
}
