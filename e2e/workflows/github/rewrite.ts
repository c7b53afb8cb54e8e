// What GitHub does around a job and act does not, added to the copy of a workflow file act runs,
// openly and nothing else: a first step in each job that names an environment, which asks the
// approval desk whether the environment's protection rules let the job start (where GitHub would
// hold the job for a reviewer); the environment's variables in `vars` (act has one `vars` for the
// whole run); and, for a job that may ask for an OIDC token, the token endpoint's address in its
// environment, as the runner sets ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN. Every other key is left as
// the repository has it. An `environment:` that is an expression is evaluated by act itself: the
// gate step passes the name act made of it, and the variables are looked up by that name.
import { randomBytes } from "node:crypto";
import { stringify } from "yaml";
import { mayRequestIdToken } from "./claims.ts";
import {
  environmentOf,
  jobPermissions,
  type JobFacts,
  type Permissions,
  type RunFacts,
  type Workflow,
  type WorkflowJob,
} from "./facts.ts";

/** The name of the step the rewrite puts first in a job with an environment. */
export const GATE_STEP = "Environment protection rules (e2e stand-in for GitHub's deployment review)";

/** A job as registered with the GitHub stand-in: its facts and the request token its OIDC endpoint takes. */
export interface RegisteredJob extends JobFacts {
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN, when GitHub would give the job one. */
  idTokenRequestToken?: string;
}

export interface RewriteContext {
  run: RunFacts;
  /** Variables of each environment (Settings → Environments → <name> → Environment variables). */
  environmentVariables: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Base URL of the GitHub stand-in (e2e/workflows/github/server.ts). */
  github: string;
}

/** The `vars` name act is given for an environment's variable. */
export function environmentVariableName(environment: string, name: string): string {
  return `ENV_${environment}__${name}`;
}

/** The expression inside `${{ … }}` when the whole value is one, else undefined. */
export function expressionOf(value: string): string | undefined {
  return /^\$\{\{\s*([\s\S]*?)\s*\}\}$/.exec(value.trim())?.[1];
}

/**
 * Each `vars.NAME` of `names` in every string under `value`, read from the environment's variables
 * first and the repository's after, as GitHub resolves them ("Store information in variables": an
 * environment's variable overrides a repository variable of the same name). `environment` is the
 * name as an expression: a quoted literal, or the job's own `environment:` expression.
 */
function renameVars(value: unknown, environment: string, names: readonly string[]): unknown {
  if (typeof value === "string") {
    if (names.length === 0) return value;
    const pattern = new RegExp(`\\bvars\\.(${names.join("|")})\\b`, "g");
    return value.replace(
      pattern,
      (_, name: string) => `(vars[format('ENV_{0}__${name}', ${environment})] || vars.${name})`,
    );
  }
  if (Array.isArray(value)) return value.map((v) => renameVars(v, environment, names));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, renameVars(v, environment, names)]),
    );
  return value;
}

/** The gate step; `environment` as the workflow writes it (act interpolates an expression). */
function gateStep(environment: string, file: string): Record<string, unknown> {
  return {
    name: GATE_STEP,
    shell: "bash",
    // S2S_E2E_NODE and S2S_E2E_RUNNER come from the runner's environment (e2e/workflows/act.ts).
    run: `"$S2S_E2E_NODE" "$S2S_E2E_RUNNER/environment.ts" ${JSON.stringify(environment)} ${JSON.stringify(file)}`,
  };
}

/**
 * The workflow act is to run, and its jobs as GitHub would see them. `callerPermissions`: for a
 * workflow another job calls, that job's permissions.
 */
export function rewriteWorkflow(
  workflow: Workflow,
  file: string,
  context: RewriteContext,
  callerPermissions?: Permissions,
): { text: string; jobs: RegisteredJob[] } {
  const jobs: RegisteredJob[] = [];
  const rewritten: Record<string, WorkflowJob> = {};
  for (const [id, original] of Object.entries(workflow.jobs)) {
    const environment = environmentOf(original);
    const permissions = jobPermissions(workflow, original, callerPermissions);
    const facts: RegisteredJob = {
      workflow: file,
      job: id,
      permissions,
      ...(environment === undefined
        ? {}
        : expressionOf(environment) === undefined
          ? { environment }
          : { environmentExpression: environment }),
    };
    let job: WorkflowJob = original;
    if (environment !== undefined) {
      const expression = expressionOf(environment);
      // A literal environment's own variables; for an expression, any environment's.
      const names = [
        ...new Set(
          (expression === undefined
            ? [context.environmentVariables[environment] ?? {}]
            : Object.values(context.environmentVariables)
          ).flatMap((v) => Object.keys(v)),
        ),
      ];
      const { if: condition, ...rest } = job;
      job = {
        ...(condition === undefined ? {} : { if: condition }),
        ...(renameVars(rest, expression ?? `'${environment}'`, names) as WorkflowJob),
      };
      if (job.steps !== undefined) job = { ...job, steps: [gateStep(environment, file), ...job.steps] };
    }
    if (job.steps !== undefined && mayRequestIdToken(context.run, facts)) {
      facts.idTokenRequestToken = randomBytes(16).toString("hex");
      const url = `${context.github}/_e2e/oidc/${context.run.runId}/${encodeURIComponent(file)}/${id}?api-version=2.0`;
      job = {
        ...job,
        env: {
          ...job.env,
          ACTIONS_ID_TOKEN_REQUEST_URL: url,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: facts.idTokenRequestToken,
        },
      };
    }
    rewritten[id] = job;
    jobs.push(facts);
  }
  return { text: stringify({ ...workflow, jobs: rewritten }, { lineWidth: 0 }), jobs };
}
