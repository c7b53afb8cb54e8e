// The part of GitHub the workflows talk to while act runs them, on 127.0.0.1: the OIDC token
// endpoint of each job (the `sub` GitHub would put in the token, signed by the twin's GitHub-like
// issuer, so the twin's federated credentials decide who gets in), the approval desk behind each
// job's environment (its protection rules, and a reviewer's decision where GitHub would wait for
// one), the few REST calls the workflows make (a pull request, its files, its comments), and a log
// of what the stand-in actions saw. Everything it hands out and hears is recorded for the harness.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { githubAssertion, type Addresses } from "@s2s-auth/twin/entra-runtime/client.ts";
import { subjectOf } from "./claims.ts";
import type { RunFacts } from "./facts.ts";
import type { RegisteredJob } from "./rewrite.ts";
import { branchPattern } from "./triggers.ts";

/** An environment's protection rules, as the repository's settings declare them. */
export interface EnvironmentRules {
  /** Deployment branch patterns (`main`); none: any branch may deploy. */
  deploymentBranches?: readonly string[];
  /** Required reviewers: a job waits for one of them to approve. */
  reviewers?: readonly string[];
}

/** What a job asks the desk: may it start in its environment? */
export interface DeploymentRequest {
  run: RunFacts;
  job: RegisteredJob;
  environment: string;
  /** The run's event payload (`github.event`): what a reviewer sees of the run, the pull request's head. */
  event: Record<string, unknown>;
}

/** A reviewer's answer to a job waiting for the environment's approval. */
export interface Review {
  approve: boolean;
  by: string;
  /** Why, as a reviewer would say it (printed with the run). */
  note?: string;
}

/** One thing the stand-in saw, in the order it happened (`seq`). */
type Recorded = { runId: number; job: string } & (
  | { kind: "oidc"; subject: string }
  | { kind: "oidc-refused"; reason: string }
  | { kind: "deployment"; environment: string; allowed: boolean; lines: string[]; reviewer?: string }
  | { kind: "stand-in"; action: string; detail: Record<string, unknown> }
);
export type GithubRecord = Recorded & { seq: number };

/** A pull request as the REST API returns the fields the workflows read. */
export interface PullRequest {
  number: number;
  state: "open" | "closed";
  head: { sha: string; ref: string; repo: { full_name: string } };
  base: { ref: string; sha: string; repo: { full_name: string } };
  labels: { name: string }[];
  /** Paths it changes (`GET /repos/{o}/{r}/pulls/{n}/files`). */
  files: string[];
}

export interface Comment {
  id: number;
  body: string;
  user: { login: string; type: "Bot" | "User" };
}

export interface GithubStandIn {
  url: string;
  records: GithubRecord[];
  pulls: Map<number, PullRequest>;
  comments: Map<number, Comment[]>;
  /** Declared environments (the settings bootstrap declares). */
  environments: Map<string, EnvironmentRules>;
  /** Who answers a job waiting for a reviewer; the scenario sets it per event. */
  reviewer: (request: DeploymentRequest) => Review;
  register(run: RunFacts, jobs: readonly RegisteredJob[], event: Record<string, unknown>): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) text += (chunk as Buffer).toString();
  return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/**
 * The deployment branch rule ("Managing environments for deployment", "Deployment branches and
 * tags": with selected branches, only a ref matching one of the patterns may deploy; a pull
 * request's merge ref is no branch and matches none).
 */
export function branchMayDeploy(rules: EnvironmentRules, ref: string): boolean {
  if (rules.deploymentBranches === undefined) return true;
  const branch = /^refs\/heads\/(.+)$/.exec(ref)?.[1];
  return branch !== undefined && rules.deploymentBranches.some((p) => branchPattern(p).test(branch));
}

export async function startGithub(twin: Addresses): Promise<GithubStandIn> {
  const runs = new Map<number, RunFacts>();
  const events = new Map<number, Record<string, unknown>>();
  /** The environment act evaluated an `environment:` expression to, once the job's gate asked. */
  const resolved = new Map<string, string>();
  const environmentOf = (k: string, job: RegisteredJob) => job.environment ?? (resolved.get(k) || undefined);
  const jobs = new Map<string, RegisteredJob>();
  const key = (runId: number, workflow: string, job: string) => `${runId}/${workflow}/${job}`;
  let seq = 0;
  let nextComment = 1;
  const records: GithubRecord[] = [];
  const record = (r: Recorded) => records.push({ ...r, seq: ++seq });

  const stand: GithubStandIn = {
    url: "",
    records,
    pulls: new Map(),
    comments: new Map(),
    environments: new Map(),
    reviewer: () => ({ approve: false, by: "nobody", note: "no reviewer was set for this event" }),
    register(run, registered, event) {
      runs.set(run.runId, run);
      events.set(run.runId, event);
      for (const j of registered) jobs.set(key(run.runId, j.workflow, j.job), j);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  async function oidc(req: IncomingMessage, res: ServerResponse, parts: string[], url: URL): Promise<void> {
    const [runId, workflow, jobId] = [Number(parts[2]), decodeURIComponent(parts[3] ?? ""), parts[4] ?? ""];
    const run = runs.get(runId);
    const job = jobs.get(key(runId, workflow, jobId));
    const token = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (run === undefined || job?.idTokenRequestToken === undefined || token !== job.idTokenRequestToken) {
      record({ runId, job: jobId, kind: "oidc-refused", reason: "no such job, or a request token not its own" });
      return send(res, 401, { message: "Bad credentials" });
    }
    const environment = environmentOf(key(runId, workflow, jobId), job);
    const subject = subjectOf(run, environment === undefined ? {} : { environment });
    const audience = url.searchParams.get("audience") ?? `https://github.com/${run.repository.split("/")[0]}`;
    const value = await githubAssertion(twin, subject, audience);
    record({ runId, job: jobId, kind: "oidc", subject });
    send(res, 200, { count: 1, value });
  }

  function deployment(res: ServerResponse, parts: string[], url: URL): void {
    const [runId, workflow, jobId] = [Number(parts[2]), decodeURIComponent(parts[3] ?? ""), parts[4] ?? ""];
    const environment = url.searchParams.get("environment") ?? "";
    const run = runs.get(runId);
    const job = jobs.get(key(runId, workflow, jobId));
    const named = job?.environment ?? (job?.environmentExpression === undefined ? undefined : environment);
    if (run === undefined || job === undefined || named !== environment)
      return send(res, 404, { message: `no job ${workflow}:${jobId} in run ${runId} with environment ${environment}` });
    if (job.environmentExpression !== undefined) resolved.set(key(runId, workflow, jobId), environment);
    const rules = stand.environments.get(environment);
    const lines: string[] = [];
    let allowed = true;
    let reviewer: string | undefined;
    if (environment === "") {
      lines.push(`${job.environmentExpression} names no environment: the job has none`);
    } else if (rules === undefined) {
      // GitHub creates an environment a job names on first use, with no protection rules.
      lines.push("not declared: GitHub creates it on first use, with no protection rules");
    } else if (!branchMayDeploy(rules, run.ref)) {
      allowed = false;
      lines.push(
        `${run.ref} is not allowed to deploy to ${environment} due to environment protection rules ` +
          `(deployment branches: ${rules.deploymentBranches!.join(", ")})`,
      );
    } else if (rules.reviewers !== undefined && rules.reviewers.length > 0) {
      lines.push(`a real run waits here for a reviewer (${rules.reviewers.join(", ")})`);
      const review = stand.reviewer({ run, job, environment, event: events.get(runId) ?? {} });
      reviewer = review.by;
      allowed = review.approve;
      lines.push(`${review.approve ? "approved" : "rejected"} by ${review.by}${review.note ? `: ${review.note}` : ""}`);
    } else {
      lines.push(`deployment branch ${run.ref} allowed; no reviewers required`);
    }
    record({
      runId,
      job: jobId,
      kind: "deployment",
      environment,
      allowed,
      lines,
      ...(reviewer === undefined ? {} : { reviewer }),
    });
    send(res, allowed ? 200 : 403, { allowed, lines });
  }

  async function rest(req: IncomingMessage, res: ServerResponse, parts: string[]): Promise<void> {
    // /repos/{owner}/{repo}/pulls/{n}[/files] and /repos/{owner}/{repo}/issues/{n}/comments, /issues/comments/{id}
    const [, , , area, a, b] = parts;
    if (area === "pulls" && a !== undefined) {
      const pull = stand.pulls.get(Number(a));
      if (pull === undefined) return send(res, 404, { message: "Not Found" });
      if (b === "files")
        return send(
          res,
          200,
          pull.files.map((filename) => ({ filename })),
        );
      return send(res, 200, pull);
    }
    if (area === "issues" && a === "comments" && b !== undefined && req.method === "PATCH") {
      const body = await bodyOf(req);
      for (const list of stand.comments.values()) {
        const found = list.find((c) => c.id === Number(b));
        if (found) {
          found.body = String(body["body"]);
          return send(res, 200, found);
        }
      }
      return send(res, 404, { message: "Not Found" });
    }
    if (area === "issues" && a !== undefined && b === "comments") {
      const list = stand.comments.get(Number(a)) ?? [];
      if (req.method === "POST") {
        const body = await bodyOf(req);
        // The workflows' token is the job's GITHUB_TOKEN: GitHub shows its comments as the Actions bot's.
        const comment: Comment = {
          id: nextComment++,
          body: String(body["body"]),
          user: { login: "github-actions[bot]", type: "Bot" },
        };
        stand.comments.set(Number(a), [...list, comment]);
        return send(res, 201, comment);
      }
      return send(res, 200, list);
    }
    send(res, 404, { message: "Not Found" });
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const parts = url.pathname.split("/").filter(Boolean);
    const handle = async () => {
      if (parts[0] === "_e2e" && parts[1] === "oidc" && req.method === "GET") return oidc(req, res, parts, url);
      if (parts[0] === "_e2e" && parts[1] === "deployment" && req.method === "GET") return deployment(res, parts, url);
      if (parts[0] === "_e2e" && parts[1] === "log" && req.method === "POST") {
        const body = await bodyOf(req);
        record({
          runId: Number(body["runId"]),
          job: String(body["job"]),
          kind: "stand-in",
          action: String(body["action"]),
          detail: (body["detail"] ?? {}) as Record<string, unknown>,
        });
        return send(res, 204, {});
      }
      if (parts[0] === "repos") return rest(req, res, parts);
      send(res, 404, { message: "Not Found" });
    };
    handle().catch((err: unknown) => send(res, 500, { message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stand.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stand;
}
