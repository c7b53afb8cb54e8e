// The github-script stand-in's step (action.yml beside it says what it replaces).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fail, input, log, runnerEnv } from "../../../runner/standin.ts";

const calls: string[] = [];
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; data: unknown }> {
  calls.push(`${method} ${path}`);
  const res = await fetch(`${runnerEnv("S2S_E2E_GITHUB")}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const data: unknown = res.status === 204 ? undefined : await res.json();
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${method} ${path}: ${JSON.stringify(data)}`);
  return { status: res.status, data };
}

interface Repo {
  owner: string;
  repo: string;
}
type Call<P> = (params: P) => Promise<{ status: number; data: unknown }>;
const github = {
  rest: {
    pulls: {
      get: (({ owner, repo, pull_number }) => api("GET", `/repos/${owner}/${repo}/pulls/${pull_number}`)) as Call<
        Repo & { pull_number: number }
      >,
    },
    issues: {
      listComments: (({ owner, repo, issue_number }) =>
        api("GET", `/repos/${owner}/${repo}/issues/${issue_number}/comments`)) as Call<Repo & { issue_number: number }>,
      createComment: (({ owner, repo, issue_number, body }) =>
        api("POST", `/repos/${owner}/${repo}/issues/${issue_number}/comments`, { body })) as Call<
        Repo & { issue_number: number; body: string }
      >,
      updateComment: (({ owner, repo, comment_id, body }) =>
        api("PATCH", `/repos/${owner}/${repo}/issues/comments/${comment_id}`, { body })) as Call<
        Repo & { comment_id: number; body: string }
      >,
    },
  },
  // Every list here fits one page.
  paginate: async <P>(call: Call<P>, params: P) => (await call(params)).data,
};
const [owner, repo] = runnerEnv("GITHUB_REPOSITORY").split("/") as [string, string];
const context = {
  repo: { owner, repo },
  eventName: runnerEnv("GITHUB_EVENT_NAME"),
  sha: runnerEnv("GITHUB_SHA"),
  runId: Number(runnerEnv("GITHUB_RUN_ID")),
  job: runnerEnv("GITHUB_JOB"),
  payload: JSON.parse(readFileSync(runnerEnv("GITHUB_EVENT_PATH"), "utf8")) as unknown,
};
const core = {
  info: (m: string) => process.stdout.write(`${m}\n`),
  notice: (m: string) => process.stdout.write(`::notice::${m}\n`),
  warning: (m: string) => process.stdout.write(`::warning::${m}\n`),
  setFailed: (m: string) => {
    process.stdout.write(`::error::${m}\n`);
    process.exitCode = 1;
  },
};
const require = createRequire(join(runnerEnv("GITHUB_WORKSPACE"), "github-script.cjs"));
// github-script's own way: the script is the body of an async function of these names.
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<unknown>;
try {
  await new AsyncFunction("require", "github", "context", "core", input("script"))(require, github, context, core);
} catch (err) {
  await log("github-script", { calls, error: String(err) });
  fail(`github-script stand-in: ${err instanceof Error ? err.message : String(err)}`);
}
await log("github-script", { calls });
