// Delivering an event the way GitHub does: every workflow whose `on:` it matches (read from the
// commit GitHub reads it from) runs under act, each as its own run with its own run id, its jobs
// registered with the GitHub stand-in (environments, permissions, OIDC); when a run completes,
// the `workflow_run` event it causes is delivered in turn. What each run did comes back as a
// WorkflowRun: its jobs as act reported them, the jobs that never started, and what the stand-ins saw.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { ROOT } from "../env.ts";
import { actionRepository, runAct, RUNNER_DIR, type ActJob } from "./act.ts";
import {
  jobPermissions,
  parseWorkflow,
  workflowName,
  type Permissions,
  type RunFacts,
  type Workflow,
} from "./github/facts.ts";
import { environmentVariableName, rewriteWorkflow, type RegisteredJob } from "./github/rewrite.ts";
import type { GithubRecord, GithubStandIn } from "./github/server.ts";
import { startsWorkflow, type Trigger } from "./github/triggers.ts";
import type { Repository } from "./repository.ts";

/** The repository's settings the workflows see: its variables and its environments' variables. */
export interface Settings {
  repository: string;
  variables: Readonly<Record<string, string>>;
  environmentVariables: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** An event to deliver. */
export interface Delivery {
  trigger: Trigger;
  /** The webhook payload (`github.event`). */
  payload: Record<string, unknown>;
  /** GITHUB_SHA: the commit whose workflow files run ("Events that trigger workflows"). */
  sha: string;
  /** GITHUB_REF for the event. */
  ref: string;
  fromFork?: boolean;
  inputs?: Readonly<Record<string, string>>;
  /** Workflows this event starts that the scenario does not run, with why (printed). */
  notRun?: Readonly<Record<string, string>>;
}

/** One workflow run, once it ended. */
export interface WorkflowRun {
  runId: number;
  file: string;
  name: string;
  event: string;
  action?: string;
  sha: string;
  /** What its workflow_run event calls its head: the pull request's branch and commit, else the run's own. */
  headBranch: string;
  headSha: string;
  conclusion: "success" | "failure";
  /** Jobs act ran, with their results. */
  jobs: ActJob[];
  /** Jobs of the workflow that never started (an `if:` false, or a job they need failed). */
  skipped: string[];
  records: GithubRecord[];
  /** Lines act printed outside any job (its own errors). */
  other: string[];
}

export interface HarnessOptions {
  act: string;
  repo: Repository;
  github: GithubStandIn;
  settings: Settings;
  /** Where runs, artifacts and act's cache go. */
  work: string;
  /** The runner's environment for every job (act passes its own environment to host jobs). */
  runnerEnv: Readonly<Record<string, string>>;
}

/** Every `uses:` of owner/repo actions in the workflow files under `dir`. */
function actionsUsed(dir: string): string[] {
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    const workflow = parseWorkflow(readFileSync(join(dir, file), "utf8"), file);
    for (const job of Object.values(workflow.jobs))
      for (const step of job.steps ?? []) if (step.uses && actionRepository(step.uses)) found.add(step.uses);
  }
  return [...found];
}

/** The workflow files of a checkout's `.github/workflows`, parsed. */
function workflowsIn(dir: string): Map<string, Workflow> {
  const out = new Map<string, Workflow>();
  for (const file of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort())
    out.set(file, parseWorkflow(readFileSync(join(dir, file), "utf8"), file));
  return out;
}

/** The runner's environment: the machine's PATH without this repository's tool folders, and the gh stand-in. */
export function runnerPath(path: string): string {
  const kept = path
    .split(delimiter)
    .filter((dir) => dir !== "" && !dir.startsWith(ROOT) && !dir.includes("node_modules"));
  return [join(RUNNER_DIR, "bin"), ...kept].join(delimiter);
}

/** A workflow an event started that the scenario chose not to run, and why. */
export interface NotRun {
  file: string;
  event: string;
  action?: string;
  reason: string;
}

export class Harness {
  readonly runs: WorkflowRun[] = [];
  /** Workflows started but not run, in order: printed with the event, so nothing is left out unsaid. */
  readonly notRun: NotRun[] = [];
  private nextRunId = 100;
  private readonly options: HarnessOptions;

  constructor(options: HarnessOptions) {
    this.options = options;
  }

  /** The variables act is given: the repository's, and each environment's under its own name. */
  private variables(): Record<string, string> {
    const { settings } = this.options;
    const out: Record<string, string> = { ...settings.variables };
    for (const [environment, variables] of Object.entries(settings.environmentVariables))
      for (const [name, value] of Object.entries(variables)) out[environmentVariableName(environment, name)] = value;
    return out;
  }

  /** Delivers an event: runs each workflow it starts, then the workflow_run events those runs cause. */
  async deliver(delivery: Delivery): Promise<WorkflowRun[]> {
    const { repo } = this.options;
    const base = join(this.options.work, "checkouts", delivery.sha);
    repo.extractGithubDir(delivery.sha, base);
    const workflows = workflowsIn(join(base, ".github", "workflows"));
    const started = [...workflows].filter(([, w]) => startsWorkflow(w, delivery.trigger));
    const done: WorkflowRun[] = [];
    for (const [file, workflow] of started) {
      const reason = delivery.notRun?.[file];
      if (reason !== undefined) {
        const { name: event, action } = delivery.trigger;
        this.notRun.push({ file, event, reason, ...(action === undefined ? {} : { action }) });
        continue;
      }
      const run = await this.runWorkflow(delivery, base, file, workflow);
      done.push(run);
      done.push(...(await this.completed(run, delivery.notRun)));
    }
    return done;
  }

  /** Delivers events one after the other; the runs of all of them. */
  async deliverAll(deliveries: readonly Delivery[]): Promise<WorkflowRun[]> {
    const runs: WorkflowRun[] = [];
    for (const d of deliveries) runs.push(...(await this.deliver(d)));
    return runs;
  }

  /**
   * The `workflow_run` event a completed run causes, delivered from the default branch's files
   * (GitHub runs a workflow_run workflow only from the default branch). Public so a broken
   * workflow can be tried on an earlier run's completion.
   */
  async completed(run: WorkflowRun, notRun?: Delivery["notRun"]): Promise<WorkflowRun[]> {
    const { repo, settings } = this.options;
    const payload = {
      action: "completed",
      workflow_run: {
        id: run.runId,
        name: run.name,
        event: run.event,
        head_sha: run.headSha,
        head_branch: run.headBranch,
        conclusion: run.conclusion,
        status: "completed",
      },
      repository: { full_name: settings.repository, default_branch: "main" },
    };
    return this.deliver({
      trigger: { name: "workflow_run", action: "completed", workflow: run.name, branch: run.headBranch },
      payload,
      sha: repo.sha("main"),
      ref: "refs/heads/main",
      ...(notRun === undefined ? {} : { notRun }),
    });
  }

  private async runWorkflow(delivery: Delivery, base: string, file: string, workflow: Workflow): Promise<WorkflowRun> {
    const { github, settings, work } = this.options;
    const runId = this.nextRunId++;
    const dir = join(work, "runs", String(runId));
    const workflowsDir = join(dir, ".github", "workflows");
    mkdirSync(workflowsDir, { recursive: true });
    const facts: RunFacts = {
      runId,
      repository: settings.repository,
      eventName: delivery.trigger.name,
      ref: delivery.ref,
      sha: delivery.sha,
      fromFork: delivery.fromFork === true,
      workflow: file,
    };
    const context = { run: facts, environmentVariables: settings.environmentVariables, github: github.url };
    const registered: RegisteredJob[] = [];
    const write = (name: string, w: Workflow, caller?: Permissions) => {
      const { text, jobs } = rewriteWorkflow(w, name, context, caller);
      writeFileSync(join(workflowsDir, name), text);
      registered.push(...jobs);
    };
    const all = workflowsIn(join(base, ".github", "workflows"));
    // Called workflows are rewritten with the permissions of the job that calls them.
    for (const [, job] of Object.entries(workflow.jobs)) {
      const called = /^\.\/\.github\/workflows\/(.+)$/.exec(job.uses ?? "")?.[1];
      if (called !== undefined && all.has(called)) write(called, all.get(called)!, jobPermissions(workflow, job));
    }
    write(file, workflow);
    github.register(facts, registered, delivery.payload);
    const eventFile = join(dir, "event.json");
    writeFileSync(eventFile, JSON.stringify(delivery.payload));
    const seqBefore = github.records.length;
    const result = await runAct(this.options.act, {
      dir,
      event: delivery.trigger.name,
      eventFile,
      workflowFile: file,
      sha: delivery.sha,
      runId,
      repository: settings.repository,
      variables: this.variables(),
      ...(delivery.inputs === undefined ? {} : { inputs: delivery.inputs }),
      uses: actionsUsed(workflowsDir),
      env: this.options.runnerEnv,
      actionCache: join(work, "act-cache"),
    });
    const ranIds = new Set(result.jobs.map(topLevelJob));
    const run: WorkflowRun = {
      runId,
      file,
      name: workflowName(workflow, file),
      event: delivery.trigger.name,
      ...(delivery.trigger.action === undefined ? {} : { action: delivery.trigger.action }),
      sha: delivery.sha,
      ...headOf(delivery),
      conclusion: result.code === 0 ? "success" : "failure",
      jobs: result.jobs,
      skipped: Object.keys(workflow.jobs).filter((id) => !ranIds.has(id)),
      records: github.records.slice(seqBefore).filter((r) => r.runId === runId),
      other: result.other,
    };
    this.runs.push(run);
    return run;
  }
}

/**
 * The key under `jobs:` of the workflow act ran that a reported job belongs to: act names a
 * called workflow's jobs `<calling job>/<file>/<job>`, the others `<workflow name>/<job>`.
 */
export function topLevelJob(job: Pick<ActJob, "name" | "jobId">): string {
  const parts = job.name.split("/");
  return parts.length >= 3 ? parts[0]! : job.jobId;
}

/**
 * The head of what a run ran for, as its workflow_run event reports it: a pull request's head
 * branch and commit (not the merge commit), else the pushed branch and the run's commit.
 */
function headOf(delivery: Delivery): { headBranch: string; headSha: string } {
  const pull = delivery.payload["pull_request"] as { head: { ref: string; sha: string } } | undefined;
  if (pull !== undefined) return { headBranch: pull.head.ref, headSha: pull.head.sha };
  return { headBranch: delivery.ref.replace(/^refs\/heads\//, ""), headSha: delivery.sha };
}
