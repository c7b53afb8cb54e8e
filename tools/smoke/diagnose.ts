// Turns what goes wrong in a smoke test into one line a person can act on. Pure functions:
// each takes an error or a response fact and returns the sentence.

/** A smoke-test problem that is not a failed check: bad arguments, unreadable outputs. */
export class SmokeError extends Error {
  override readonly name = "SmokeError";
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  errors?: unknown;
  cause?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === "object" && value !== null ? (value as ErrorLike) : undefined;
}

/** The error and everything nested in it (`errors` of an aggregate, `cause`), depth first. */
export function errorChain(err: unknown, depth = 0): ErrorLike[] {
  const e = asErrorLike(err);
  if (!e || depth > 5) return [];
  const nested = [...(Array.isArray(e.errors) ? e.errors : []), ...(e.cause !== undefined ? [e.cause] : [])];
  return [e, ...nested.flatMap((n) => errorChain(n, depth + 1))];
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? text
  );
}

// Entra ID's answers that have a known cause in this program, most specific first.
const TOKEN_ERRORS: { pattern: RegExp; explain: (applicationIdUri: string) => string }[] = [
  {
    pattern: /AADSTS501051|not assigned to a role/i,
    explain: (r) =>
      `Entra ID refused a token for ${r}: this principal is not assigned to a role on the callee ` +
      `(grant it: s2s-auth:ciAccess.calls for CI, s2s-auth:devAccess.users/groups for a developer, then \`pulumi up\`)`,
  },
  {
    pattern: /AADSTS70021|AADSTS700213|No matching federated identity record/i,
    explain: () =>
      "Entra ID refused the GitHub OIDC token: no federated credential matches its subject " +
      "(add the job's subject, e.g. environment:dev or pull_request, to s2s-auth:ciAccess.subjects)",
  },
  {
    pattern: /AADSTS700016/i,
    explain: () =>
      "Entra ID does not know this client id in the tenant " +
      "(wrong AZURE_CLIENT_ID or tenant, or the CI principal was deleted)",
  },
  {
    pattern: /AADSTS500011|resource principal named .* was not found/i,
    explain: (r) =>
      `Entra ID does not know the resource ${r} ` +
      "(the callee's app registration is missing: stack not deployed or destroyed?)",
  },
  {
    pattern: /AADSTS65001|consent/i,
    explain: (r) =>
      `Entra ID wants consent for ${r}: the developer tool is not pre-authorized ` +
      "(s2s-auth:devAccess.authorizedClients, dev stacks only)",
  },
];

const UNAVAILABLE = new Set(["CredentialUnavailableError", "AuthenticationRequiredError"]);

/** Why no token for `applicationIdUri` could be had. */
export function describeTokenError(err: unknown, applicationIdUri: string): string {
  const chain = errorChain(err);
  const text = chain.map((e) => String(e.message ?? "")).join("\n");
  const known = TOKEN_ERRORS.find((t) => t.pattern.test(text));
  if (known) return known.explain(applicationIdUri);
  const top = chain[0];
  const leaves = chain.filter((e) => !Array.isArray(e.errors));
  const allUnavailable =
    top !== undefined &&
    (UNAVAILABLE.has(String(top.name)) ||
      (top.name === "AggregateAuthenticationError" &&
        leaves.length > 0 &&
        leaves.every((e) => UNAVAILABLE.has(String(e.name)))));
  if (allUnavailable) {
    return (
      "no Azure credential is available: sign in with `az login` (a developer), or run in a GitHub Actions job " +
      "with `id-token: write` and the CI principal's client id (see docs/lifecycle.md)"
    );
  }
  return `no token for ${applicationIdUri}: ${firstLine(String(top?.message ?? err))}`;
}

/** Why a request to `url` got no HTTP answer at all. */
export function describeNetworkError(err: unknown, url: string): string {
  const chain = errorChain(err);
  const codes = chain.map((e) => String(e.code ?? ""));
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  if (codes.some((c) => c === "ENOTFOUND" || c === "EAI_AGAIN")) {
    return `cannot resolve ${host} (DNS): is the stack deployed, and is this the right stack's outputs?`;
  }
  if (codes.includes("ECONNREFUSED")) return `${host} refused the connection: nothing listens there`;
  if (codes.includes("ECONNRESET")) return `${host} reset the connection`;
  if (
    chain.some((e) => e.name === "TimeoutError" || e.name === "AbortError") ||
    codes.includes("UND_ERR_CONNECT_TIMEOUT")
  ) {
    return `${host} did not answer in time`;
  }
  const tls = codes.find((c) => /CERT|SSL|TLS/.test(c));
  if (tls) return `TLS to ${host} failed (${tls})`;
  const top = chain[chain.length - 1] ?? chain[0];
  return `request to ${url} failed: ${firstLine(String(top?.message ?? err))}`;
}

/** The claims of a JWT that say who it was issued to and for, without verifying it. */
export function tokenClaims(token: string): { aud?: string; appid?: string; azp?: string; oid?: string } {
  const payload = token.split(".")[1];
  if (!payload) return {};
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const pick = (k: string) => (typeof claims[k] === "string" ? (claims[k] as string) : undefined);
    const out: { aud?: string; appid?: string; azp?: string; oid?: string } = {};
    for (const k of ["aud", "appid", "azp", "oid"] as const) {
      const v = pick(k);
      if (v !== undefined) out[k] = v;
    }
    return out;
  } catch {
    return {};
  }
}
