// The smoke test proper: a callee must refuse a call without a token and let the same call
// through with a token for its Application ID URI.
import type { TokenCredential } from "@azure/identity";
import { describeNetworkError, describeTokenError, errorChain, tokenClaims } from "./diagnose.ts";
import { tokenUrlProblem, type SmokeTarget } from "./outputs.ts";

export interface ProbeOptions {
  /** Path requested on each callee; `/` by default. */
  path?: string;
  /** Per request; a guard against a hung connection, not a performance check. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface CalleeResult {
  callee: string;
  passed: boolean;
  /** What was checked, in order; the last one is the failure when `passed` is false. */
  steps: string[];
  /** Set on a failure that the first minutes after a deploy explain (see {@link RETRYABLE}). */
  transient?: boolean;
}

/**
 * Failures that are expected for a few minutes after `pulumi up` and go away by themselves:
 * - AADSTS501051 "not assigned to a role": a new app role assignment has not reached token
 *   issuance yet (Microsoft Learn, "Microsoft Entra authentication and authorization error
 *   codes"; role assignments replicate within minutes);
 * - AADSTS70021 "No matching federated identity record found": a new federated identity
 *   credential has not replicated yet (the workload identity federation docs advise waiting);
 * - HTTP 503 from the site: App Service answers 503 while a new or restarted site starts.
 */
export const RETRYABLE = { tokenErrors: /AADSTS501051|AADSTS70021\b/, httpStatus: 503 } as const;

/** The scope a client-credentials or developer token is asked for. */
export function scopeFor(applicationIdUri: string): string {
  return `${applicationIdUri.replace(/\/+$/, "")}/.default`;
}

function endpoint(url: string, path: string): string {
  return new URL(path, url.endsWith("/") ? url : `${url}/`).toString();
}

type Answer = { status: number; location: string | null } | { error: string };

async function request(url: string, token: string | undefined, opts: Required<ProbeOptions>): Promise<Answer> {
  try {
    const res = await opts.fetch(url, {
      method: "GET",
      redirect: "manual",
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    await res.arrayBuffer(); // drain, so the connection is released
    return { status: res.status, location: res.headers.get("location") };
  } catch (err) {
    return { error: describeNetworkError(err, url) };
  }
}

/** Probes one callee: 401 without a token, a token from `credential`, then let through with it. */
export async function probeCallee(
  target: SmokeTarget,
  credential: TokenCredential,
  options: ProbeOptions = {},
): Promise<CalleeResult> {
  const opts: Required<ProbeOptions> = { path: "/", timeoutMs: 30_000, fetch: globalThis.fetch, ...options };
  const url = endpoint(target.url, opts.path);
  const steps: string[] = [];
  const fail = (why: string, transient = false): CalleeResult => ({
    callee: target.name,
    passed: false,
    steps: [...steps, why],
    ...(transient && { transient }),
  });
  const starting = (status: number, withToken: boolean) =>
    fail(
      `answers ${status} ${withToken ? "with" : "without"} a token: ` +
        "the site is not serving yet (starting after a deploy?)",
      true,
    );

  // Outputs are checked when read; a target built elsewhere (or a --path that changes the origin) is too.
  const insecure = tokenUrlProblem(url);
  if (insecure) return fail(insecure);

  const anonymous = await request(url, undefined, opts);
  if ("error" in anonymous) return fail(anonymous.error);
  if (anonymous.status === RETRYABLE.httpStatus) return starting(anonymous.status, false);
  if (anonymous.status >= 300 && anonymous.status < 400) {
    return fail(
      `redirects to ${anonymous.location ?? "?"} without a token; an API must answer 401 ` +
        "(EasyAuth globalValidation.unauthenticatedClientAction: Return401)",
    );
  }
  if (anonymous.status !== 401) {
    return fail(
      `answers ${anonymous.status} without a token; ` +
        "it must refuse anonymous calls with 401 (is App Service Authentication on?)",
    );
  }
  steps.push("401 without a token");

  let token: string;
  try {
    const got = await credential.getToken(scopeFor(target.applicationIdUri));
    if (!got) return fail(`the credential returned no token for ${target.applicationIdUri}`);
    token = got.token;
  } catch (err) {
    const text = errorChain(err)
      .map((e) => String(e.message ?? ""))
      .join("\n");
    return fail(describeTokenError(err, target.applicationIdUri), RETRYABLE.tokenErrors.test(text));
  }
  const claims = tokenClaims(token);
  const client = claims.azp ?? claims.appid;
  steps.push(`token for ${target.applicationIdUri}${client ? ` (client ${client})` : ""}`);

  const authorized = await request(url, token, opts);
  if ("error" in authorized) return fail(authorized.error);
  if (authorized.status === RETRYABLE.httpStatus) return starting(authorized.status, true);
  if (authorized.status === 401) {
    return fail(
      `401 with a token for ${target.applicationIdUri}${claims.aud ? ` (aud ${claims.aud})` : ""}: ` +
        "EasyAuth rejected it; the token's audience must be one of validation.allowedAudiences " +
        "and its issuer must match registration.openIdIssuer",
    );
  }
  if (authorized.status === 403) {
    return fail(
      `403 with a token: EasyAuth's allowedApplications does not list ${client ? `client ${client}` : "this client"} ` +
        "(admit it through s2s-auth:ciAccess, a caller, or devAccess.authorizedClients, then `pulumi up`)",
    );
  }
  if (authorized.status >= 300 && authorized.status < 400) {
    return fail(`redirects to ${authorized.location ?? "?"} with a token; EasyAuth did not accept the bearer token`);
  }
  steps.push(`${authorized.status} with a token: let through`);
  return { callee: target.name, passed: true, steps };
}

/** How long to keep trying a callee whose failure is transient, and how to wait. */
export interface RetryOptions {
  /** Waits between attempts, in order; the last one repeats. */
  delaysMs?: readonly number[];
  /** No new attempt starts once this much time has passed since the first. */
  maxWaitMs?: number;
  /** Injectable for tests: no real waits. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Told about every attempt as it ends (the CLI prints it on stderr). */
  onAttempt?: (event: AttemptEvent) => void;
}

export interface AttemptEvent {
  callee: string;
  attempt: number;
  result: CalleeResult;
  /** Set when another attempt follows after this wait. */
  retryInMs?: number;
}

/** Backoff for the first minutes after a deploy: 5 s doubling to 60 s, at most 5 minutes in all. */
export const DEFAULT_RETRY = { delaysMs: [5_000, 10_000, 20_000, 40_000, 60_000], maxWaitMs: 300_000 } as const;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Probes a callee, and again while its failure is transient (an assignment or federated
 * credential still replicating, a site still starting), with bounded backoff. The result is
 * the last attempt's: a failure carries the last diagnosis.
 */
export async function probeWithRetry(
  target: SmokeTarget,
  credential: TokenCredential,
  options: ProbeOptions & RetryOptions = {},
): Promise<CalleeResult> {
  const {
    delaysMs = DEFAULT_RETRY.delaysMs,
    maxWaitMs = DEFAULT_RETRY.maxWaitMs,
    sleep = realSleep,
    now = Date.now,
    onAttempt,
    ...probe
  } = options;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    const result = await probeCallee(target, credential, probe);
    const delay = delaysMs[Math.min(attempt - 1, delaysMs.length - 1)] ?? 0;
    const again = !result.passed && result.transient === true && now() - started + delay <= maxWaitMs;
    onAttempt?.({ callee: target.name, attempt, result, ...(again && { retryInMs: delay }) });
    if (!again) {
      if (result.passed || !result.transient || attempt === 1) return result;
      const last = result.steps.at(-1)!;
      return {
        ...result,
        steps: [
          ...result.steps.slice(0, -1),
          `${last} (still after ${attempt} attempts over ${Math.round((now() - started) / 1000)} s)`,
        ],
      };
    }
    await sleep(delay);
  }
}

/** Probes every callee, one after another so the output reads in order. */
export async function probeAll(
  targets: SmokeTarget[],
  credential: TokenCredential,
  options: ProbeOptions & RetryOptions = {},
): Promise<CalleeResult[]> {
  const results: CalleeResult[] = [];
  for (const target of targets) results.push(await probeWithRetry(target, credential, options));
  return results;
}

/** One stderr line per attempt: which callee, which attempt, what happened, what comes next. */
export function formatAttempt(event: AttemptEvent): string {
  const outcome = event.result.passed ? "passed" : event.result.steps.at(-1)!;
  const next = event.retryInMs !== undefined ? `; retrying in ${Math.round(event.retryInMs / 1000)} s` : "";
  return `smoke: ${event.callee}: attempt ${event.attempt}: ${outcome}${next}`;
}

/** The report printed by the CLI: one line per step, a summary last. */
export function formatReport(results: CalleeResult[]): string {
  const lines = results.flatMap((r) =>
    r.steps.map((step, i) => `${r.passed || i < r.steps.length - 1 ? "ok  " : "FAIL"} ${r.callee}: ${step}`),
  );
  const failed = results.filter((r) => !r.passed).length;
  lines.push(
    failed === 0
      ? `smoke: every callee (${results.length}) refuses anonymous calls and admits this principal`
      : `smoke: ${failed} of ${results.length} callee(s) failed`,
  );
  return lines.join("\n");
}
