// nektos/act, the Actions runner npm run e2e:workflows runs the workflow files with: where it is
// (a user's own `act` on PATH wins, else the one npm run act:install built into .tools/bin), the
// command line of one workflow run on the host (no Docker: `-P ubuntu-latest=-self-hosted`), with
// every action the workflows use mapped to its stand-in, and what its JSON log says of each job.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { ROOT } from "../env.ts";

/** Where the stand-in actions live, as `<owner>/<repo>/action.yml`. */
export const ACTIONS_DIR = join(ROOT, "e2e", "workflows", "actions");
/** What runs inside a job besides the stand-in actions: the environment gate, the gh CLI. */
export const RUNNER_DIR = join(ROOT, "e2e", "workflows", "runner");

/** Where npm run act:install builds act. */
export const BUILT_ACT = join(ROOT, ".tools", "bin", "act");

/** A user's own act: the first on PATH that is not the one act:install built. */
export function actOnPath(path: string): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, "act");
    if (candidate !== BUILT_ACT && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** `owner/repo@ref` of a `uses:` that names a repository's action (not `./…` or `docker://…`). */
export function actionRepository(uses: string): { repository: string; ref: string } | undefined {
  const m = /^([^./][^/@]*\/[^/@]+)@(.+)$/.exec(uses);
  return m ? { repository: m[1]!, ref: m[2]! } : undefined;
}

/** Where the stand-in for an action lives, or undefined when it has none. */
export function standInFor(uses: string): string | undefined {
  const action = actionRepository(uses);
  if (action === undefined) return undefined;
  const dir = join(ACTIONS_DIR, action.repository);
  return existsSync(join(dir, "action.yml")) ? dir : undefined;
}

export interface ActRun {
  /** The directory act runs in: a copy of the commit's `.github/` (workflows rewritten). */
  dir: string;
  event: string;
  eventFile: string;
  workflowFile: string;
  sha: string;
  runId: number;
  repository: string;
  variables: Readonly<Record<string, string>>;
  inputs?: Readonly<Record<string, string>>;
  /** Every `uses:` of the workflows involved, each mapped to its stand-in. */
  uses: readonly string[];
  /** The runner's environment: act passes its own to every job on the host. */
  env: Readonly<Record<string, string>>;
  actionCache: string;
}

/** One job as act reported it. */
export interface ActJob {
  /** act's name for it: `<workflow name>/<job>` (a called workflow's jobs: `<caller job>/<file>/<job>`). */
  name: string;
  jobId: string;
  result?: "success" | "failure" | "skipped" | "cancelled";
  /** Its matrix values, for a job of a matrix. */
  matrix: Record<string, unknown>;
  /** The output of its steps, as printed. */
  output: string[];
}

export interface ActResult {
  code: number | null;
  jobs: ActJob[];
  /** Lines act printed that were not a job's (errors of act itself). */
  other: string[];
}

/** act's command line for one run. */
export function actArguments(run: ActRun): string[] {
  const args = [
    run.event,
    "-e",
    run.eventFile,
    "-W",
    join(".github", "workflows", run.workflowFile),
    "-P",
    "ubuntu-latest=-self-hosted",
    "--json",
    "--no-skip-checkout",
    "--action-offline-mode",
    "--action-cache-path",
    run.actionCache,
    "--defaultbranch",
    "main",
    // act reads GITHUB_SHA from SHA_REF, GITHUB_RUN_ID and GITHUB_REPOSITORY from its --env.
    "--env",
    `SHA_REF=${run.sha}`,
    "--env",
    `GITHUB_RUN_ID=${run.runId}`,
    "--env",
    `GITHUB_REPOSITORY=${run.repository}`,
    // github.token: the stand-ins accept any; a real one is never involved.
    "-s",
    "GITHUB_TOKEN=e2e-github-token",
  ];
  for (const [name, value] of Object.entries(run.variables)) args.push("--var", `${name}=${value}`);
  for (const [name, value] of Object.entries(run.inputs ?? {})) args.push("--input", `${name}=${value}`);
  for (const uses of [...new Set(run.uses)]) {
    const dir = standInFor(uses);
    if (dir === undefined) throw new Error(`no stand-in for ${uses}: add one under e2e/workflows/actions/`);
    args.push("--local-repository", `${uses}=${dir}`);
  }
  return args;
}

interface LogLine {
  job?: string;
  jobID?: string;
  jobResult?: ActJob["result"];
  matrix?: Record<string, unknown>;
  msg?: string;
  raw_output?: boolean;
  level?: string;
}

/** The jobs of act's `--json` log, in the order they first appear. */
export function readLog(lines: readonly string[]): Pick<ActResult, "jobs" | "other"> {
  const jobs = new Map<string, ActJob>();
  const other: string[] = [];
  for (const text of lines) {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      if (text.trim() !== "") other.push(text);
      continue;
    }
    if (line.job === undefined) {
      if (line.level === "error" || line.level === "fatal") other.push(line.msg ?? text);
      continue;
    }
    const name = line.job.trim();
    const job = jobs.get(name) ?? { name, jobId: line.jobID ?? name, matrix: line.matrix ?? {}, output: [] };
    jobs.set(name, job);
    if (line.jobResult !== undefined) job.result = line.jobResult;
    if (line.raw_output === true && line.msg !== undefined) job.output.push(...line.msg.replace(/\n$/, "").split("\n"));
  }
  return { jobs: [...jobs.values()], other };
}

/**
 * A job as a person reads it in the run's page: the called workflow's job or the job, with its
 * matrix values (`preview (dev)`).
 */
export function jobLabel(job: Pick<ActJob, "name" | "jobId" | "matrix">): string {
  const parts = job.name.split("/");
  const label = parts.length >= 3 ? `${parts[0]}/${job.jobId}` : job.jobId;
  const values = Object.values(job.matrix).map(String);
  return values.length === 0 ? label : `${label} (${values.join(", ")})`;
}

/** Runs one workflow under act and reads its log. */
export function runAct(act: string, run: ActRun): Promise<ActResult> {
  const child = spawn(act, actArguments(run), { cwd: run.dir, env: { ...run.env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, ...readLog(out.split("\n")) }));
  });
}
