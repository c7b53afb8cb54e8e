// The twin's throttling and server errors, and the providers' retry policies it imitates.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AZCORE,
  FaultError,
  RETRYABLEHTTP,
  draw,
  faultConfig,
  faultFor,
  planCall,
  withFaults,
  type FaultConfig,
} from "../src/faults.ts";

const config = (over: Partial<FaultConfig> = {}): FaultConfig => ({
  seed: 1,
  rate: 0.5,
  serverErrorShare: 0.25,
  retryAfterSeconds: 3,
  timeScale: 0,
  settleSeconds: 0,
  ...over,
});

test("draw is a function of seed and text, spread over [0, 1)", () => {
  expect(draw(1, "a")).toBe(draw(1, "a"));
  expect(draw(1, "a")).not.toBe(draw(2, "a"));
  const values = Array.from({ length: 2000 }, (_, i) => draw(7, `k${i}`));
  expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...values)).toBeLessThan(1);
  const below = values.filter((v) => v < 0.25).length / values.length;
  expect(below).toBeGreaterThan(0.2);
  expect(below).toBeLessThan(0.3);
});

test("no faults at rate 0; at a rate near 1, a 429 carries the configured Retry-After", () => {
  expect(faultFor(config({ rate: 0 }), "k", 0)).toBeUndefined();
  const faults = Array.from({ length: 200 }, (_, i) =>
    faultFor(config({ rate: 0.999999, serverErrorShare: 0 }), `k${i}`, 0),
  );
  expect(faults.every((f) => f?.status === 429 && f.retryAfter === 3)).toBe(true);
  const errors = Array.from({ length: 200 }, (_, i) =>
    faultFor(config({ rate: 0.999999, serverErrorShare: 1 }), `k${i}`, 0),
  );
  expect(new Set(errors.map((f) => f?.status))).toEqual(new Set([500, 502, 503, 504]));
});

test("azure-native (azcore) retries 3 times, 20 s, 60 s, 120 s without Retry-After, then gives up", () => {
  const plan = planCall(config({ rate: 0.999999, serverErrorShare: 1 }), AZCORE, "create urn");
  expect(plan.faults).toHaveLength(4);
  expect(plan.waits).toEqual([20, 60, 120]);
  expect(plan.gaveUp).toBe(true);
});

test("azuread (go-retryablehttp) retries 4 times, 1, 2, 4, 8 s, and a 429's Retry-After replaces the backoff", () => {
  expect(planCall(config({ rate: 0.999999, serverErrorShare: 1 }), RETRYABLEHTTP, "k").waits).toEqual([1, 2, 4, 8]);
  const throttled = planCall(config({ rate: 0.999999, serverErrorShare: 0 }), RETRYABLEHTTP, "k");
  expect(throttled.waits).toEqual([3, 3, 3, 3]);
  expect(throttled.faults).toHaveLength(5);
});

test("which statuses each client retries", () => {
  expect([408, 429, 500, 502, 503, 504].every((s) => AZCORE.retries(s))).toBe(true);
  expect(AZCORE.retries(501)).toBe(false);
  expect(RETRYABLEHTTP.retries(501)).toBe(false);
  expect(RETRYABLEHTTP.retries(505)).toBe(true);
  expect(RETRYABLEHTTP.retries(408)).toBe(false);
});

test("a call meeting fewer faults than the client's retries succeeds after them; the same seed replays it", () => {
  const c = config({ rate: 0.5 });
  const plans = Array.from({ length: 50 }, (_, i) => planCall(c, RETRYABLEHTTP, `op ${i}`));
  expect(plans.some((p) => p.faults.length > 0 && !p.gaveUp)).toBe(true);
  expect(plans.filter((p) => !p.gaveUp).every((p) => p.waits.length === p.faults.length)).toBe(true);
  expect(Array.from({ length: 50 }, (_, i) => planCall(c, RETRYABLEHTTP, `op ${i}`))).toEqual(plans);
});

describe("withFaults", () => {
  const saved = process.env.S2S_TWIN_FAULTS;
  afterEach(() => {
    if (saved === undefined) delete process.env.S2S_TWIN_FAULTS;
    else process.env.S2S_TWIN_FAULTS = saved;
  });

  test("without S2S_TWIN_FAULTS the call runs once, untouched", async () => {
    delete process.env.S2S_TWIN_FAULTS;
    let calls = 0;
    await expect(withFaults(AZCORE, "create", "urn", () => ++calls)).resolves.toBe(1);
  });

  test("every attempt refused: the body never runs, the error names the status, each fault is logged", async () => {
    const log = join(mkdtempSync(join(tmpdir(), "faults-")), "f.jsonl");
    process.env.S2S_TWIN_FAULTS = JSON.stringify({ seed: 1, rate: 0.999999, serverErrorShare: 0, timeScale: 0, log });
    let ran = false;
    const call = withFaults(RETRYABLEHTTP, "create", "urn:x", () => (ran = true));
    await expect(call).rejects.toBeInstanceOf(FaultError);
    await expect(call).rejects.toThrow(/Status=429/);
    expect(ran).toBe(false);
    const lines = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { status: number; retryInSeconds: number | null });
    expect(lines).toHaveLength(5);
    expect(lines.map((l) => l.retryInSeconds)).toEqual([2, 2, 2, 2, null]);
  });
});

test("waits follow the twin's clock (S2S_TWIN_TIME_SCALE) unless the fault config names its own timeScale", () => {
  expect(faultConfig({ S2S_TWIN_FAULTS: "{}", S2S_TWIN_TIME_SCALE: "0.05" })?.timeScale).toBe(0.05);
  expect(faultConfig({ S2S_TWIN_FAULTS: '{"timeScale":0.02}', S2S_TWIN_TIME_SCALE: "0.05" })?.timeScale).toBe(0.02);
  expect(faultConfig({ S2S_TWIN_FAULTS: "{}" })?.timeScale).toBe(1);
  expect(faultConfig({})).toBeUndefined();
});
