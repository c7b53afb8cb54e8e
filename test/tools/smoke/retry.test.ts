// The smoke test right after a deploy: an assignment still replicating (AADSTS501051), a
// federated credential still replicating (AADSTS70021), a site still starting (503). It
// retries with bounded backoff on an injected clock, so no test waits for real.
import type { AccessToken, TokenCredential } from "@azure/identity";
import {
  DEFAULT_RETRY,
  formatAttempt,
  probeAll,
  probeWithRetry,
  type AttemptEvent,
} from "../../../tools/smoke/probe.ts";
import type { SmokeTarget } from "../../../tools/smoke/outputs.ts";
import { fakeJwt, startLoopback, type Loopback } from "./loopback.ts";

const RESOURCE = "api://the-callee-client-id";
const GOOD = fakeJwt({ aud: RESOURCE, azp: "ci-client-id" });
const NOT_ASSIGNED =
  "AADSTS501051: Application 'ci-client-id'(ci) is not assigned to a role for the application 'api://the-callee-client-id'(the-callee).";
const NO_FEDERATION = "AADSTS70021: No matching federated identity record found for presented assertion.";

/** A credential that fails with the given messages first, then hands out a token. */
class ReplicatingCredential implements TokenCredential {
  calls = 0;
  private readonly failures: string[];
  constructor(failures: string[]) {
    this.failures = failures;
  }
  async getToken(): Promise<AccessToken | null> {
    const failure = this.failures[this.calls++];
    if (failure !== undefined) throw Object.assign(new Error(failure), { name: "AuthenticationError" });
    return { token: GOOD, expiresOnTimestamp: 0 };
  }
}

/** A clock that only moves when the code under test sleeps. */
function fakeTime() {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
}

// The site answers 503 for its first `starting` requests, then behaves like EasyAuth.
let starting = 0;
let server: Loopback;
beforeAll(async () => {
  server = await startLoopback((req, res) => {
    if (starting > 0) {
      starting--;
      res.writeHead(503).end();
      return;
    }
    res.writeHead(req.headers.authorization === `Bearer ${GOOD}` ? 200 : 401).end();
  });
});
afterAll(() => server.close());
beforeEach(() => {
  starting = 0;
  server.requests.splice(0);
});

const target = (): SmokeTarget => ({ name: "the-callee", url: server.url, applicationIdUri: RESOURCE });

test(
  "an assignment replicating, then a federated credential replicating: " +
    "passes on the third attempt, after the first two waits",
  async () => {
    const time = fakeTime();
    const events: AttemptEvent[] = [];
    const credential = new ReplicatingCredential([NOT_ASSIGNED, NO_FEDERATION]);
    const result = await probeWithRetry(target(), credential, { ...time, onAttempt: (e) => events.push(e) });
    expect(result.passed).toBe(true);
    expect(credential.calls).toBe(3);
    expect(time.slept).toEqual(DEFAULT_RETRY.delaysMs.slice(0, 2));
    expect(events.map(formatAttempt)).toEqual([
      expect.stringMatching(
        /^smoke: the-callee: attempt 1: Entra ID refused a token for api:\/\/the-callee-client-id: this principal is not assigned to a role .*; retrying in 5 s$/,
      ),
      expect.stringMatching(
        /^smoke: the-callee: attempt 2: Entra ID refused the GitHub OIDC token: no federated credential matches .*; retrying in 10 s$/,
      ),
      "smoke: the-callee: attempt 3: passed",
    ]);
  },
);

test("a site answering 503 while it starts is retried until it serves", async () => {
  const time = fakeTime();
  starting = 3;
  const events: AttemptEvent[] = [];
  const result = await probeWithRetry(target(), new ReplicatingCredential([]), {
    ...time,
    onAttempt: (e) => events.push(e),
  });
  expect(result.passed).toBe(true);
  expect(events).toHaveLength(4);
  expect(events[0]!.result.steps.at(-1)).toBe(
    "answers 503 without a token: the site is not serving yet (starting after a deploy?)",
  );
  expect(server.requests).toHaveLength(3 + 2);
});

test("still failing after the bounded wait: fails with the last diagnosis, never sleeping past the bound", async () => {
  const time = fakeTime();
  const credential = new ReplicatingCredential(Array.from({ length: 100 }, () => NOT_ASSIGNED));
  const events: AttemptEvent[] = [];
  const result = await probeWithRetry(target(), credential, {
    ...time,
    delaysMs: [1_000, 2_000, 4_000],
    maxWaitMs: 20_000,
    onAttempt: (e) => events.push(e),
  });
  expect(result.passed).toBe(false);
  // The last delay repeats; a wait that would end past 20 s is not started (19 s + 4 s > 20 s).
  expect(time.slept).toEqual([1_000, 2_000, 4_000, 4_000, 4_000, 4_000]);
  expect(time.slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20_000);
  expect(credential.calls).toBe(7);
  expect(events.at(-1)!.retryInMs).toBeUndefined();
  expect(result.steps.at(-1)).toMatch(
    /^Entra ID refused a token for .*: this principal is not assigned to a role .* \(still after 7 attempts over 19 s\)$/,
  );
});

test("a failure that time does not fix is not retried", async () => {
  const time = fakeTime();
  const open = await startLoopback((_req, res) => res.writeHead(200).end());
  try {
    const result = await probeWithRetry({ ...target(), url: open.url }, new ReplicatingCredential([]), time);
    expect(result.passed).toBe(false);
    expect(time.slept).toEqual([]);
    expect(result.steps.at(-1)).toMatch(/^answers 200 without a token/);
  } finally {
    await open.close();
  }
});

test("probeAll reports every callee's attempts in order", async () => {
  const time = fakeTime();
  const lines: string[] = [];
  const credential = new ReplicatingCredential([NOT_ASSIGNED]);
  const results = await probeAll([target(), { ...target(), name: "other-callee" }], credential, {
    ...time,
    onAttempt: (e) => lines.push(formatAttempt(e)),
  });
  expect(results.map((r) => r.passed)).toEqual([true, true]);
  expect(lines.map((l) => l.replace(/: (Entra|passed).*$/, ""))).toEqual([
    "smoke: the-callee: attempt 1",
    "smoke: the-callee: attempt 2",
    "smoke: other-callee: attempt 1",
  ]);
});
