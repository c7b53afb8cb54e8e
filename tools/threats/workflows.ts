// The GitHub Actions workflows as the threat model reads them: each job's triggering events, the
// GitHub environments it can run in, whether it checks out a pull request's code, and whether it
// can get an OIDC token. Read from the files themselves (.github/workflows/*.yml).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export interface WorkflowStep {
  id?: string;
  uses?: string;
  run?: string;
  name?: string;
  if?: string;
  with?: Record<string, unknown>;
  "working-directory"?: string;
}

export interface WorkflowJob {
  needs?: string | string[];
  if?: string;
  uses?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  environment?: string;
  env?: Record<string, string>;
  steps?: WorkflowStep[];
}

export interface Workflow {
  on: Record<string, unknown> | string[] | string;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, WorkflowJob>;
}

/** A job's GitHub environments: its `environment:`, or each name an expression can choose. */
export function environmentsOf(job: WorkflowJob): string[] {
  const env = job.environment;
  if (env === undefined) return [];
  return env.includes("${{") ? [...env.matchAll(/'([^']+)'/g)].map((m) => m[1]!) : [env];
}

/** Whether a step checks out the pull request's head. */
export function checksOutPullRequest(step: WorkflowStep): boolean {
  return (
    step.uses?.startsWith("actions/checkout@") === true &&
    String(step.with?.["ref"] ?? "").includes("github.event.pull_request.head")
  );
}

/** The events that trigger a workflow. */
export function triggersOf(workflow: Workflow): string[] {
  const on = workflow.on;
  return typeof on === "string" ? [on] : Array.isArray(on) ? on : Object.keys(on);
}

/** The events a job runs on: those its `if:` compares `github.event_name` with, else every trigger. */
export function eventsOf(job: WorkflowJob, triggers: readonly string[]): string[] {
  const named = [...(job.if ?? "").matchAll(/github\.event_name == '([a-z_]+)'/g)].map((m) => m[1]!);
  return named.length > 0 ? triggers.filter((t) => named.includes(t)) : [...triggers];
}

/** One job of one workflow file. */
export interface JobView {
  file: string;
  name: string;
  job: WorkflowJob;
  triggers: string[];
  /** The events it runs on: the workflow's, narrowed by its `if:` when that names `github.event_name`. */
  events: string[];
  environments: string[];
  /** It may ask GitHub for an OIDC token (`id-token: write`). */
  oidc: boolean;
  /** It checks out and so runs the pull request's code. */
  pullRequestCode: boolean;
}

/** Every job of every workflow in `dir`, in file and job order. */
export function readJobs(dir: string): JobView[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yml"))
    .sort()
    .flatMap((file) => {
      const workflow = parse(readFileSync(join(dir, file), "utf8")) as Workflow;
      const triggers = triggersOf(workflow);
      return Object.entries(workflow.jobs).map(([name, job]) => ({
        file,
        name,
        job,
        triggers,
        events: eventsOf(job, triggers),
        environments: environmentsOf(job),
        oidc: (job.permissions ?? workflow.permissions)?.["id-token"] === "write",
        pullRequestCode: (job.steps ?? []).some(checksOutPullRequest),
      }));
    });
}
