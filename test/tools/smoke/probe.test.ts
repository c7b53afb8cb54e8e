// The smoke checks against a callee stand-in on loopback, with a fake credential.
import { AuthenticationError, CredentialUnavailableError } from "@azure/identity";
import { describeNetworkError, describeTokenError, tokenClaims } from "../../../tools/smoke/diagnose.ts";
import { formatReport, probeAll, probeCallee, scopeFor } from "../../../tools/smoke/probe.ts";
import type { SmokeTarget } from "../../../tools/smoke/outputs.ts";
import { fakeJwt, FakeCredential, startLoopback, type Loopback } from "./loopback.ts";

const RESOURCE = "api://the-callee-client-id";
const GOOD = fakeJwt({ aud: RESOURCE, azp: "ci-client-id", oid: "ci-object-id" });

// Each path plays one way a callee can behave.
let server: Loopback;
beforeAll(async () => {
  server = await startLoopback((req, res) => {
    const withToken = req.headers.authorization === `Bearer ${GOOD}`;
    const send = (status: number, headers: Record<string, string> = {}) => {
      res.writeHead(status, headers);
      res.end(status === 200 ? "hello" : "");
    };
    const behaviour: Record<string, () => void> = {
      "/easyauth": () => send(withToken ? 200 : 401),
      "/wrong-audience": () => send(401),
      "/not-allowed": () => send(withToken ? 403 : 401),
      "/open": () => send(200),
      "/sign-in": () => send(302, { location: "https://login.microsoftonline.com/x" }),
    };
    (behaviour[req.url ?? ""] ?? (() => send(404)))();
  });
});
afterAll(() => server.close());
beforeEach(() => server.requests.splice(0));

function target(): SmokeTarget {
  return { name: "the-callee", url: server.url, applicationIdUri: RESOURCE };
}

describe("probeCallee", () => {
  test("401 without a token, 200 with one: passes, and the token was asked for the callee's resource", async () => {
    const credential = new FakeCredential({ token: GOOD });
    const result = await probeCallee(target(), credential, { path: "/easyauth" });
    expect(result).toEqual({
      callee: "the-callee",
      passed: true,
      steps: ["401 without a token", `token for ${RESOURCE} (client ci-client-id)`, "200 with a token: let through"],
    });
    expect(credential.scopes).toEqual([`${RESOURCE}/.default`]);
    expect(server.requests).toEqual([
      { path: "/easyauth", authorization: undefined },
      { path: "/easyauth", authorization: `Bearer ${GOOD}` },
    ]);
  });

  test("401 with a token: fails, saying EasyAuth rejected the token and what to check", async () => {
    const result = await probeCallee(target(), new FakeCredential({ token: GOOD }), { path: "/wrong-audience" });
    expect(result.passed).toBe(false);
    expect(result.steps.at(-1)).toBe(
      `401 with a token for ${RESOURCE} (aud ${RESOURCE}): EasyAuth rejected it; ` +
        "the token's audience must be one of validation.allowedAudiences " +
        "and its issuer must match registration.openIdIssuer",
    );
  });

  test("an answer without a token fails before any token is asked for", async () => {
    const credential = new FakeCredential({ token: GOOD });
    const result = await probeCallee(target(), credential, { path: "/open" });
    expect(result).toEqual({
      callee: "the-callee",
      passed: false,
      steps: [
        "answers 200 without a token; it must refuse anonymous calls with 401 (is App Service Authentication on?)",
      ],
    });
    expect(credential.scopes).toEqual([]);
  });

  test("a redirect to sign-in instead of 401 fails", async () => {
    const result = await probeCallee(target(), new FakeCredential({ token: GOOD }), { path: "/sign-in" });
    expect(result.passed).toBe(false);
    expect(result.steps.at(-1)).toMatch(
      /^redirects to https:\/\/login\.microsoftonline\.com\/x without a token; .*Return401/,
    );
  });

  test("403 with a token names the client EasyAuth does not allow", async () => {
    const result = await probeCallee(target(), new FakeCredential({ token: GOOD }), { path: "/not-allowed" });
    expect(result.passed).toBe(false);
    expect(result.steps.at(-1)).toMatch(
      /^403 with a token: EasyAuth's allowedApplications does not list client ci-client-id/,
    );
  });

  test("no credential: fails with how to get one, after the anonymous check passed", async () => {
    const unavailable = new CredentialUnavailableError(
      "EnvironmentCredential is unavailable. No underlying credential could be used.",
    );
    const result = await probeCallee(target(), new FakeCredential({ error: unavailable }), { path: "/easyauth" });
    expect(result.passed).toBe(false);
    expect(result.steps[0]).toBe("401 without a token");
    expect(result.steps.at(-1)).toMatch(/^no Azure credential is available: sign in with `az login`/);
    expect(server.requests).toHaveLength(1);
  });

  test("a principal without a role assignment: fails naming the config key that grants one", async () => {
    const notAssigned = new AuthenticationError(400, {
      error: "invalid_grant",
      error_description:
        "AADSTS501051: Application 'ci-client-id'(s2s-auth-ci-dev) is not assigned to a role for the application 'api://the-callee-client-id'(the-callee-dev).",
    });
    const result = await probeCallee(target(), new FakeCredential({ error: notAssigned }), { path: "/easyauth" });
    expect(result.passed).toBe(false);
    expect(result.steps.at(-1)).toMatch(
      /^Entra ID refused a token for api:\/\/the-callee-client-id: this principal is not assigned to a role .*s2s-auth:ciAccess\.calls/,
    );
  });

  test("nothing listening: fails saying the connection was refused", async () => {
    const closed = await startLoopback((_req, res) => res.end());
    const url = closed.url;
    await closed.close();
    const result = await probeCallee({ ...target(), url }, new FakeCredential({ token: GOOD }));
    expect(result.passed).toBe(false);
    expect(result.steps).toEqual([`${new URL(url).host} refused the connection: nothing listens there`]);
  });
});

describe("probeAll and the report", () => {
  test("one line per step, FAIL on the failing one, and a summary that counts failures", async () => {
    const results = await probeAll(
      [target(), { ...target(), name: "other", url: `${server.url}/` }],
      new FakeCredential({ token: GOOD }),
      { path: "/wrong-audience" },
    );
    const report = formatReport(results).split("\n");
    expect(report[0]).toBe("ok   the-callee: 401 without a token");
    expect(report[2]).toMatch(/^FAIL the-callee: 401 with a token/);
    expect(report.at(-1)).toBe("smoke: 2 of 2 callee(s) failed");
  });

  test("a passing run says so", async () => {
    const results = await probeAll([target()], new FakeCredential({ token: GOOD }), { path: "/easyauth" });
    expect(formatReport(results).split("\n").at(-1)).toBe(
      "smoke: every callee (1) refuses anonymous calls and admits this principal",
    );
  });
});

describe("diagnosis", () => {
  test("scopeFor asks for the resource's .default scope", () => {
    expect(scopeFor("api://abc")).toBe("api://abc/.default");
    expect(scopeFor("api://abc/")).toBe("api://abc/.default");
  });

  test("DNS failures say the host cannot be resolved", () => {
    const err = new TypeError("fetch failed", {
      cause: Object.assign(new Error("getaddrinfo ENOTFOUND x.azurewebsites.net"), { code: "ENOTFOUND" }),
    });
    expect(describeNetworkError(err, "https://x.azurewebsites.net/")).toBe(
      "cannot resolve x.azurewebsites.net (DNS): is the stack deployed, and is this the right stack's outputs?",
    );
  });

  test("timeouts and TLS failures are told apart", () => {
    expect(describeNetworkError(new DOMException("timed out", "TimeoutError"), "https://h/")).toBe(
      "h did not answer in time",
    );
    const tls = new TypeError("fetch failed", {
      cause: Object.assign(new Error("cert"), { code: "CERT_HAS_EXPIRED" }),
    });
    expect(describeNetworkError(tls, "https://h/")).toBe("TLS to h failed (CERT_HAS_EXPIRED)");
  });

  test.each([
    [
      "AADSTS70021: No matching federated identity record found for presented assertion.",
      /no federated credential matches its subject/,
    ],
    ["AADSTS700016: Application with identifier 'x' was not found in the directory", /does not know this client id/],
    [
      "AADSTS500011: The resource principal named api://x was not found in the tenant",
      /does not know the resource api:\/\/r/,
    ],
    ["AADSTS65001: The user or administrator has not consented to use the application", /not pre-authorized/],
  ])("token error %s", (message, expected) => {
    expect(describeTokenError(new Error(message), "api://r")).toMatch(expected);
  });

  test("an aggregate of unavailable credentials is 'no credential'; an unknown error keeps its first line", () => {
    const aggregate = Object.assign(new Error("ChainedTokenCredential authentication failed.\n..."), {
      name: "AggregateAuthenticationError",
      errors: [new CredentialUnavailableError("a"), new CredentialUnavailableError("b")],
    });
    expect(describeTokenError(aggregate, "api://r")).toMatch(/^no Azure credential is available/);
    expect(describeTokenError(new Error("\nsomething odd\nmore"), "api://r")).toBe(
      "no token for api://r: something odd",
    );
  });

  test("tokenClaims reads aud and the client without verifying; garbage gives nothing", () => {
    expect(tokenClaims(fakeJwt({ aud: "a", appid: "b", other: "c" }))).toEqual({ aud: "a", appid: "b" });
    expect(tokenClaims("not-a-jwt")).toEqual({});
    expect(tokenClaims("a.%%%.b")).toEqual({});
  });
});

// Issue 23, item 8: however a target reaches probeCallee, no request goes to a non-loopback http url
// and no token is asked for it.
test("probeCallee refuses a plain-http url that is not loopback before any request or token", async () => {
  const credential = new FakeCredential({ token: GOOD });
  const fetch = jest.fn(globalThis.fetch);
  const url = "http://the-callee.azurewebsites.net";
  const result = await probeCallee({ name: "the-callee", url, applicationIdUri: RESOURCE }, credential, { fetch });
  expect(fetch).not.toHaveBeenCalled();
  expect(credential.scopes).toEqual([]);
  expect(result).toEqual({
    callee: "the-callee",
    passed: false,
    steps: [
      `${url}/ is not https; the smoke test sends a bearer token only over HTTPS ` +
        "(plain http only to loopback: localhost, 127.0.0.0/8, [::1])",
    ],
  });
});
