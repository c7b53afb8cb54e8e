// The shell a workflow step runs, read from the workflow file, so `npm run e2e` runs the review
// stacks' own commands rather than a copy of them that could drift.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

interface Workflow {
  jobs?: Record<string, { steps?: { name?: string; run?: string }[] }>;
}

/** The `run:` script of the step named `stepName` (in any job); throws when there is none. */
export function stepScript(workflowFile: string, stepName: string): string {
  const workflow = parse(readFileSync(workflowFile, "utf8")) as Workflow;
  for (const job of Object.values(workflow.jobs ?? {})) {
    const step = (job.steps ?? []).find((s) => s.name === stepName);
    if (step?.run !== undefined) return step.run;
  }
  throw new Error(`${workflowFile}: no step named "${stepName}" with a run: script`);
}
