// The first step of a job that names an environment, put there by e2e/workflows/github/rewrite.ts:
// GitHub checks the environment's protection rules before the job starts (deployment branches,
// required reviewers); act does not, so this step asks the GitHub stand-in's approval desk and
// ends the job on a refusal, printing where a real run would wait for a reviewer.
import { fail, runnerEnv } from "./standin.ts";

const [environment, workflow] = process.argv.slice(2) as [string, string];
const url =
  `${runnerEnv("S2S_E2E_GITHUB")}/_e2e/deployment/${runnerEnv("GITHUB_RUN_ID")}/` +
  `${encodeURIComponent(workflow)}/${runnerEnv("GITHUB_JOB")}?environment=${encodeURIComponent(environment)}`;
const res = await fetch(url);
const answer = (await res.json()) as { allowed?: boolean; lines?: string[]; message?: string };
for (const line of answer.lines ?? []) process.stdout.write(`environment ${environment}: ${line}\n`);
if (answer.allowed !== true) fail(answer.message ?? `the deployment to ${environment} was not allowed`);
