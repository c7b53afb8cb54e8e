/**
 * Throttling and server errors on demand, and the retries the real providers' HTTP clients make.
 *
 * With `S2S_TWIN_FAULTS` set (JSON, see `FaultConfig`), a set fraction of the plugins' cloud calls is
 * answered 429 with a `Retry-After` header, or 500/502/503/504, before the call takes effect. The plugin
 * then retries the way the provider it stands in for does:
 * - azure-native: the azcore pipeline of pulumi-azure-native (provider/pkg/azure/client_azcore.go,
 *   `initPipelineOpts`): retried statuses 408, 429, 500, 502, 503, 504 (azcore's defaults, restated
 *   there); `RetryDelay` 20 s and `MaxRetryDelay` 120 s ("the new backoff sequence is 20s, 60s, 120s");
 *   azcore's default `MaxRetries` 3; a `Retry-After` header replaces the computed delay (azcore
 *   `policy.RetryOptions`, Learn "Configure retry options" for the Azure SDK for Go).
 * - azuread: the go-azure-sdk base client of terraform-provider-azuread (hashicorp/go-azure-sdk
 *   sdk/client/client.go, `retryableClient`): go-retryablehttp's `DefaultRetryPolicy` (429, and 5xx but
 *   501), its defaults `RetryMax` 4 and `RetryWaitMin` 1 s / `RetryWaitMax` 30 s, a backoff of
 *   2^attempt × 1 s capped at 30 s, and the `Retry-After` seconds when the response has them.
 * - github: terraform-provider-github v6.13.0's legacy REST client (the default, `legacy_client` true):
 *   its RetryTransport retries 500, 502, 503 and 504 (`getDefaultRetryableErrors`, github/provider.go)
 *   up to `max_retries` 3 times, `retry_delay_ms` 1000 apart; its RateLimitTransport waits out a 429 or
 *   secondary rate limit for the `Retry-After` and tries again (github/transport.go), modelled here as
 *   retries like the others.
 * Each call is one request here; the real providers make several per operation (PUT then polling GETs),
 * so the twin draws fewer faults per operation than a real throttled tenant would.
 *
 * Waits are multiplied by `timeScale` (CI cannot wait 20 s per retry); their number and order are the
 * clients'. Decisions hash the seed with the call's URN, operation and attempt, so a run can be replayed
 * with the same seed whatever order the engine makes its calls in. Every fault and retry is appended to
 * `log` as a JSON line, which `npm run e2e:faults` counts.
 */
import { appendFileSync } from "node:fs";
import { timeScale } from "./clock.ts";

export interface FaultConfig {
  seed: number;
  /** Fraction of calls (0..1) answered with a fault. */
  rate: number;
  /** Of the faults, the fraction that are 5xx rather than 429. */
  serverErrorShare: number;
  /** The `Retry-After` of a 429, in seconds (the service's value; scaled like every wait). */
  retryAfterSeconds: number;
  /** Multiplies every wait: 1 is real time (default: the twin's clock, twin/src/clock.ts). */
  timeScale: number;
  /**
   * Seconds a create, update or delete takes after the cloud has made the change and before the plugin
   * answers: azure-native polls long-running operations (every 10 s, `updatePollingIntervalSeconds` in
   * client_azcore.go) and azuread waits for a new object to be readable. An engine killed in this window
   * leaves a change made in the cloud that the state never recorded. Scaled like every wait.
   */
  settleSeconds: number;
  /** Where to append one JSON line per fault (optional). */
  log?: string;
}

export interface RetryPolicy {
  /** Who this is, for the log and the docs. */
  client: string;
  maxRetries: number;
  retries(status: number): boolean;
  /** Seconds to wait before retry number `attempt` (1-based) when the answer had no Retry-After. */
  backoffSeconds(attempt: number): number;
}

/** pulumi-azure-native's azcore pipeline (client_azcore.go). */
export const AZCORE: RetryPolicy = {
  client: "azure-native (azcore)",
  maxRetries: 3,
  retries: (status) => [408, 429, 500, 502, 503, 504].includes(status),
  backoffSeconds: (attempt) => [20, 60, 120][Math.min(attempt, 3) - 1]!,
};

/** terraform-provider-azuread's go-azure-sdk client over go-retryablehttp. */
export const RETRYABLEHTTP: RetryPolicy = {
  client: "azuread (go-azure-sdk + go-retryablehttp)",
  maxRetries: 4,
  retries: (status) => status === 429 || (status >= 500 && status !== 501),
  backoffSeconds: (attempt) => Math.min(2 ** (attempt - 1), 30),
};

/** terraform-provider-github's RetryTransport and RateLimitTransport (github/transport.go). */
export const GITHUB_CLIENT: RetryPolicy = {
  client: "github (go-github over the provider's RetryTransport)",
  maxRetries: 3,
  retries: (status) => [429, 500, 502, 503, 504].includes(status),
  backoffSeconds: () => 1,
};

export class FaultError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** FNV-1a over the text, then a 32-bit mix: a uniform number in [0, 1) per (seed, text). */
export function draw(seed: number, text: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/** The fault (if any) answering attempt `attempt` of the call named `key`. */
export function faultFor(
  config: FaultConfig,
  key: string,
  attempt: number,
): { status: number; retryAfter?: number } | undefined {
  if (draw(config.seed, `${key}#${attempt}`) >= config.rate) return undefined;
  if (draw(config.seed, `${key}#${attempt}#kind`) < config.serverErrorShare) {
    const codes = [500, 502, 503, 504];
    return { status: codes[Math.floor(draw(config.seed, `${key}#${attempt}#code`) * codes.length)]! };
  }
  return { status: 429, retryAfter: config.retryAfterSeconds };
}

/** What one call went through: the faults it met, the waits (seconds, unscaled), and whether it gave up. */
export interface CallPlan {
  faults: { status: number; retryAfter?: number }[];
  waits: number[];
  gaveUp: boolean;
}

/** The faults a call meets and the client's answer to each, decided before anything waits. */
export function planCall(config: FaultConfig, policy: RetryPolicy, key: string): CallPlan {
  const plan: CallPlan = { faults: [], waits: [], gaveUp: false };
  for (let attempt = 0; ; attempt++) {
    const fault = faultFor(config, key, attempt);
    if (fault === undefined) return plan;
    plan.faults.push(fault);
    if (!policy.retries(fault.status) || attempt >= policy.maxRetries) {
      plan.gaveUp = true;
      return plan;
    }
    plan.waits.push(fault.retryAfter ?? policy.backoffSeconds(attempt + 1));
  }
}

export function faultConfig(env: NodeJS.ProcessEnv = process.env): FaultConfig | undefined {
  const raw = env.S2S_TWIN_FAULTS;
  if (raw === undefined || raw.trim() === "") return undefined;
  const parsed = JSON.parse(raw) as Partial<FaultConfig>;
  return {
    seed: Number(parsed.seed ?? 1),
    rate: Number(parsed.rate ?? 0),
    serverErrorShare: Number(parsed.serverErrorShare ?? 0.25),
    retryAfterSeconds: Number(parsed.retryAfterSeconds ?? 2),
    timeScale: Number(parsed.timeScale ?? timeScale(env)),
    settleSeconds: Number(parsed.settleSeconds ?? 0),
    ...(parsed.log === undefined ? {} : { log: parsed.log }),
  };
}

// Per process: how many times each (operation, URN) was called, so a second call of the same
// operation (an update after a create, a refresh's reads) draws afresh, the same way on replay.
const calls = new Map<string, number>();

/**
 * Runs `body` (a call that changes or reads the cloud) behind the configured faults, waiting and
 * retrying as `policy` says. Without S2S_TWIN_FAULTS it just runs `body`.
 */
export async function withFaults<T>(
  policy: RetryPolicy,
  operation: string,
  urn: string,
  body: () => T | Promise<T>,
  changes = false,
): Promise<T> {
  const config = faultConfig();
  if (config === undefined) return body();
  const settle = async (result: T): Promise<T> => {
    if (changes && config.settleSeconds > 0)
      await new Promise((resolve) => setTimeout(resolve, config.settleSeconds * 1000 * config.timeScale));
    return result;
  };
  if (config.rate <= 0) return settle(await body());
  const base = `${operation} ${urn}`;
  const nth = calls.get(base) ?? 0;
  calls.set(base, nth + 1);
  const key = `${base} #${nth}`;
  const plan = planCall(config, policy, key);
  const record = (line: Record<string, unknown>) => {
    if (config.log)
      appendFileSync(config.log, `${JSON.stringify({ client: policy.client, operation, urn, ...line })}\n`);
  };
  for (let i = 0; i < plan.faults.length; i++) {
    const fault = plan.faults[i]!;
    const wait = plan.waits[i];
    record({ status: fault.status, retryAfter: fault.retryAfter ?? null, retryInSeconds: wait ?? null });
    if (wait === undefined) {
      throw new FaultError(
        fault.status,
        fault.status === 429
          ? `Status=429 Code="TooManyRequests" Message="Too many requests; retry after ${fault.retryAfter} s" ` +
              `(gave up after ${policy.maxRetries} retries, ${policy.client})`
          : `Status=${fault.status} Message="The service is temporarily unavailable" (gave up after ` +
              `${policy.maxRetries} retries, ${policy.client})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 * config.timeScale));
  }
  return settle(await body());
}
