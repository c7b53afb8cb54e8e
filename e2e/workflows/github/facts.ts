// The workflow files as GitHub reads them, and what it knows of a run and of each job before the
// job starts: its environment and its token permissions. act reads the same files but ignores
// `environment` and `permissions`; the stand-ins that take their place (claims.ts, the approval
// desk, the OIDC endpoint) start from these facts.
import { parse } from "yaml";

/** One event delivery's run of one workflow, as GitHub's `github` context describes it. */
export interface RunFacts {
  /** GITHUB_RUN_ID: unique per run here, the key of the run's artifacts and jobs. */
  runId: number;
  /** `owner/name` of the repository the workflow runs in (the base repository, for a fork's PR). */
  repository: string;
  eventName: string;
  /** GITHUB_REF, as GitHub sets it for the event ("Events that trigger workflows"). */
  ref: string;
  /** GITHUB_SHA: the commit whose workflow files run. */
  sha: string;
  /** A pull request whose head is in another repository. */
  fromFork: boolean;
  /** The workflow file, e.g. `deploy.yml`. */
  workflow: string;
}

export type Level = "read" | "write" | "none";
export type Permissions = Readonly<Record<string, Level>>;

/** One job as GitHub sees it before it starts. */
export interface JobFacts {
  /** The workflow file whose `jobs:` holds it (a called workflow's own file for its jobs). */
  workflow: string;
  /** Its key under `jobs:` (`github.job`). */
  job: string;
  environment?: string;
  /** An `environment:` written as an expression, whose name act evaluates when the job starts. */
  environmentExpression?: string;
  /** The GITHUB_TOKEN's effective permissions for the job. */
  permissions: Permissions;
}

export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

export interface WorkflowJob {
  needs?: string | string[];
  if?: string;
  uses?: string;
  permissions?: unknown;
  environment?: string | { name: string; url?: string };
  env?: Record<string, unknown>;
  steps?: WorkflowStep[];
  [key: string]: unknown;
}

export interface Workflow {
  name?: string;
  on: unknown;
  permissions?: unknown;
  env?: Record<string, unknown>;
  jobs: Record<string, WorkflowJob>;
  [key: string]: unknown;
}

export function parseWorkflow(text: string, file: string): Workflow {
  const parsed = parse(text) as Workflow | null;
  if (parsed === null || typeof parsed !== "object" || typeof parsed.jobs !== "object")
    throw new Error(`${file}: not a workflow (no jobs:)`);
  return parsed;
}

/** The name other workflows' `workflow_run.workflows` lists match: `name:`, else the file's path. */
export function workflowName(workflow: Workflow, file: string): string {
  return workflow.name ?? `.github/workflows/${file}`;
}

/** The environment a job names (`environment: dev` or `environment: { name: dev }`). */
export function environmentOf(job: WorkflowJob): string | undefined {
  if (typeof job.environment === "string") return job.environment;
  return job.environment?.name;
}

// The GITHUB_TOKEN scopes ("Workflow syntax", `permissions`).
const SCOPES = [
  "actions",
  "attestations",
  "checks",
  "contents",
  "deployments",
  "discussions",
  "id-token",
  "issues",
  "models",
  "packages",
  "pages",
  "pull-requests",
  "repository-projects",
  "security-events",
  "statuses",
] as const;

const all = (level: Level): Permissions => Object.fromEntries(SCOPES.map((s) => [s, level]));

/**
 * A repository whose default workflow permissions are "restricted" (the default for new
 * repositories and organizations: contents and packages read, "Automatic token authentication").
 */
export const RESTRICTED_DEFAULT: Permissions = { ...all("none"), contents: "read", packages: "read" };

/**
 * A `permissions:` value as scopes: `read-all`, `write-all`, `{}` (none), or a map whose missing
 * scopes are `none` ("Workflow syntax": "If you specify the access for any of these scopes, all
 * of those that are not specified are set to none"). Undefined when the key is absent.
 */
export function permissionsOf(spec: unknown): Permissions | undefined {
  if (spec === undefined || spec === null) return undefined;
  if (spec === "read-all") return all("read");
  if (spec === "write-all") return all("write");
  if (typeof spec !== "object") throw new Error(`permissions: ${JSON.stringify(spec)} is not a permissions value`);
  return { ...all("none"), ...(spec as Record<string, Level>) };
}

const RANK: Record<Level, number> = { none: 0, read: 1, write: 2 };

/** Each scope at the lower of the two: a called workflow can only keep or lower its caller's token. */
export function capped(asked: Permissions, ceiling: Permissions): Permissions {
  return Object.fromEntries(
    SCOPES.map((s) => {
      const a = asked[s] ?? "none";
      const c = ceiling[s] ?? "none";
      return [s, RANK[a] <= RANK[c] ? a : c];
    }),
  );
}

/**
 * A job's effective permissions: its own `permissions:`, else its workflow's, else the
 * repository's default; in a called workflow, never above the calling job's ("Reusing
 * workflows": "the permissions of the GITHUB_TOKEN passed from the caller workflow can be only
 * downgraded by the called workflow").
 */
export function jobPermissions(workflow: Workflow, job: WorkflowJob, caller?: Permissions): Permissions {
  const own = permissionsOf(job.permissions) ?? permissionsOf(workflow.permissions);
  if (caller === undefined) return own ?? RESTRICTED_DEFAULT;
  return own === undefined ? caller : capped(own, caller);
}
