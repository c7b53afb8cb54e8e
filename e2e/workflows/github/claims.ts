// What GitHub decides about a job before any of its steps runs, stood in because act does not
// implement it: whether the job may ask for an OIDC token (its `id-token` permission, capped for
// a fork's pull request), and the `sub` claim of that token. Pure functions of the run and the
// job, so the rules are tested on their own (test/e2e/workflows/github/claims.test.ts).
import type { JobFacts, RunFacts } from "./facts.ts";

/**
 * Events GitHub counts as "triggered by a pull request event" for the subject claim. The docs name
 * `pull_request`; `pull_request_target` is a pull request event too and runs with the base's
 * permissions, so a job of it without an environment gets the same subject (GUESS: the docs give
 * no list of events).
 */
const PULL_REQUEST_EVENTS: ReadonlySet<string> = new Set([
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
]);

/**
 * The `sub` claim of a job's OIDC token (GitHub docs, "OpenID Connect reference", "Example
 * subject claims"): `repo:<owner>/<repo>:environment:<name>` when the job references an
 * environment; else `repo:<owner>/<repo>:pull_request` when a pull request event started the
 * workflow; else `repo:<owner>/<repo>:ref:<ref>` (`refs/heads/<branch>` or `refs/tags/<tag>`).
 */
export function subjectOf(run: RunFacts, job: Pick<JobFacts, "environment">): string {
  const prefix = `repo:${run.repository}`;
  if (job.environment !== undefined) return `${prefix}:environment:${job.environment}`;
  if (PULL_REQUEST_EVENTS.has(run.eventName)) return `${prefix}:pull_request`;
  return `${prefix}:ref:${run.ref}`;
}

/**
 * Whether GitHub gives the job an OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): only with
 * `id-token: write` ("OpenID Connect": "You won't be able to request the OIDC JWT ID token if the
 * permissions setting for id-token is set to read or none"), and a `pull_request` workflow from a
 * public fork gets at most `read` for every scope ("Automatic token authentication", permissions
 * table, "Maximum access for pull requests from public forked repositories").
 */
export function mayRequestIdToken(run: RunFacts, job: Pick<JobFacts, "permissions">): boolean {
  if (run.eventName === "pull_request" && run.fromFork) return false;
  return job.permissions["id-token"] === "write";
}
