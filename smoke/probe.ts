// The smoke test proper: a callee must refuse a call without a token and let the same call
// through with a token for its Application ID URI.
import type { TokenCredential } from "@azure/identity";
import { describeNetworkError, describeTokenError, tokenClaims } from "./diagnose.ts";
import type { SmokeTarget } from "./outputs.ts";

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
}

/** The scope a client-credentials or developer token is asked for. */
export function scopeFor(resourceId: string): string {
  return `${resourceId.replace(/\/+$/, "")}/.default`;
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
export async function probeCallee(target: SmokeTarget, credential: TokenCredential, options: ProbeOptions = {}): Promise<CalleeResult> {
  const opts: Required<ProbeOptions> = { path: "/", timeoutMs: 30_000, fetch: globalThis.fetch, ...options };
  const url = endpoint(target.url, opts.path);
  const steps: string[] = [];
  const fail = (why: string): CalleeResult => ({ callee: target.name, passed: false, steps: [...steps, why] });

  const anonymous = await request(url, undefined, opts);
  if ("error" in anonymous) return fail(anonymous.error);
  if (anonymous.status >= 300 && anonymous.status < 400) {
    return fail(
      `redirects to ${anonymous.location ?? "?"} without a token; an API must answer 401 ` +
        "(EasyAuth globalValidation.unauthenticatedClientAction: Return401)",
    );
  }
  if (anonymous.status !== 401) {
    return fail(`answers ${anonymous.status} without a token; it must refuse anonymous calls with 401 (is App Service Authentication on?)`);
  }
  steps.push("401 without a token");

  let token: string;
  try {
    const got = await credential.getToken(scopeFor(target.resourceId));
    if (!got) return fail(`the credential returned no token for ${target.resourceId}`);
    token = got.token;
  } catch (err) {
    return fail(describeTokenError(err, target.resourceId));
  }
  const claims = tokenClaims(token);
  const client = claims.azp ?? claims.appid;
  steps.push(`token for ${target.resourceId}${client ? ` (client ${client})` : ""}`);

  const authorized = await request(url, token, opts);
  if ("error" in authorized) return fail(authorized.error);
  if (authorized.status === 401) {
    return fail(
      `401 with a token for ${target.resourceId}${claims.aud ? ` (aud ${claims.aud})` : ""}: EasyAuth rejected it; ` +
        "the token's audience must be one of validation.allowedAudiences and its issuer must match registration.openIdIssuer",
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

/** Probes every callee, one after another so the output reads in order. */
export async function probeAll(targets: SmokeTarget[], credential: TokenCredential, options: ProbeOptions = {}): Promise<CalleeResult[]> {
  const results: CalleeResult[] = [];
  for (const target of targets) results.push(await probeCallee(target, credential, options));
  return results;
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
