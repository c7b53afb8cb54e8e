// Config validation under fuzzing: whatever a stack file holds, parseStackConfig either returns
// a consistent config or throws the one ConfigError that names the offending key, on one line.
// Cases per property: 100 in npm test, 1,000 in npm run test:deep, FUZZ_RUNS overrides; replay a
// failure with FUZZ_SEED/FUZZ_PATH.
import assert from "node:assert/strict";
import * as fc from "fast-check";
import { ConfigError, DEFAULT_APP_ROLE, parseStackConfig, type StackConfig } from "../../config.ts";
import {
  brokenCase,
  clientKey,
  GUID_PATTERN,
  INHERITED_NAMES,
  nameableKeys,
  setAt,
  shapelessCase,
  validCase,
  validConfig,
  type ConfigCase,
  type ValidConfig,
} from "../fixtures/arbitraries.ts";
import { CONFIG_RUNS, fuzzParameters } from "../fixtures/fuzz.ts";

const RUNS = 1_000;

/** Runs parseStackConfig and reports what came out: a config, or the error it threw. */
function parse(c: ConfigCase): { config: StackConfig } | { error: unknown } {
  try {
    return { config: parseStackConfig(c.stack, c.raw, c.location) };
  } catch (error) {
    return { error };
  }
}

/** The contract of every config error: ConfigError, one line, prefixed by stack and key. */
function expectUserError(error: unknown, c: ConfigCase): asserts error is ConfigError {
  if (!(error instanceof ConfigError)) {
    throw new Error(
      `expected a ConfigError for "${c.fault}", got ` +
        `${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
  }
  // Control characters from the config (a key with a tab, say) are shown escaped, as \u0009.
  const escaped = (text: string) =>
    text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const prefix = escaped(`Invalid configuration for stack "${c.stack}": ${error.key}: `);
  assert.doesNotMatch(
    error.message,
    /[\u0000-\u001f\u007f\u2028\u2029]/,
    "the message must be one line, without control characters",
  );
  assert.ok(
    error.message.startsWith(prefix),
    `the message must start with ${JSON.stringify(prefix)}: ${error.message}`,
  );
  assert.ok(error.message.length > prefix.length, "the message must say what is wrong");
}

/** What a valid config must come out as, derived from the raw config by the rules, not by config.ts. */
function expectedConfig(raw: ValidConfig, stack: string, location: string): StackConfig {
  const callees = raw.callees.map((c) => ({
    name: c.name,
    host: (c.host ?? "appService") as StackConfig["callees"][number]["host"],
    // The arbitraries never name an existing app registration.
    existingApplication: undefined,
    appRoles: (c.appRoles ?? [{ value: DEFAULT_APP_ROLE }]).map(
      (r: { value: string; displayName?: string; description?: string }) => ({
        value: r.value,
        displayName: r.displayName ?? r.value,
        description: r.description ?? `Call ${c.name} as ${r.value}.`,
      }),
    ),
  }));
  const dev = raw.devAccess;
  const users = dev?.users ?? [];
  return {
    stack,
    environment: raw.environment,
    location,
    appServicePlanSku: raw.appServicePlanSku ?? "B1",
    callees,
    callers: (raw.callers ?? []).map((c) => ({
      name: c.name,
      host: (c.host ?? "appService") as StackConfig["callers"][number]["host"],
      principalId: c.principalId?.toLowerCase(),
      calls: c.calls.map((call) => ({
        callee: call.callee,
        role: call.role ?? callees.find((x) => x.name === call.callee)!.appRoles[0]!.value,
      })),
    })),
    devAccess: dev && {
      authorizedClients: (dev.authorizedClients ?? []).map(clientKey),
      userPrincipalNames: users.filter((u) => !GUID_PATTERN.test(u)),
      userObjectIds: users.filter((u) => GUID_PATTERN.test(u)).map((u) => u.toLowerCase()),
      groupObjectIds: (dev.groups ?? []).map((g) => g.toLowerCase()),
    },
    ciAccess: undefined,
    owners: [],
  };
}

// node:assert rather than expect() inside properties: a thousand cases of expect's matchers cost
// seconds, and the suite has a time budget.
describe("config validation under fuzzing", () => {
  test("every valid config is accepted and normalized as the format says", () => {
    fc.assert(
      fc.property(validCase, (c) => {
        const out = parse(c);
        if ("error" in out) throw out.error;
        assert.deepStrictEqual(out.config, expectedConfig(c.config, c.stack, c.location!));
      }),
      fuzzParameters(CONFIG_RUNS, RUNS),
    );
  });

  test("a config with one fault is rejected with one error that names that key", () => {
    fc.assert(
      fc.property(brokenCase, (c) => {
        const out = parse(c);
        if (!("error" in out)) throw new Error(`accepted a config with a fault: ${c.fault}`);
        expectUserError(out.error, c);
        assert.equal(out.error.key, c.expect!.key);
        if (c.expect!.mention)
          assert.ok(
            out.error.message.includes(c.expect!.mention),
            `"${out.error.message}" should mention "${c.expect!.mention}"`,
          );
      }),
      fuzzParameters(CONFIG_RUNS, RUNS),
    );
  });

  test("arbitrary JSON under arbitrary keys never escapes as anything but a ConfigError naming a real key", () => {
    fc.assert(
      fc.property(fc.oneof(shapelessCase, brokenCase, validCase), (c) => {
        const out = parse(c);
        if ("config" in out) return;
        expectUserError(out.error, c);
        assert.ok(nameableKeys(c.raw).has(out.error.key), `${out.error.key} is not a key of this config`);
      }),
      fuzzParameters(CONFIG_RUNS, RUNS),
    );
  });

  test("a failing property reports the seed that replays it", () => {
    // The reporting itself is what CI relies on, so it is checked, not assumed.
    const failure = (() => {
      try {
        fc.assert(
          fc.property(fc.integer(), (n) => n < 10),
          { seed: 42, numRuns: 1000 },
        );
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    expect(failure).toMatch(/seed: 42, path: "[\d:]+"/);
  });
});

// Bugs this fuzzer found, fixed on main since; these keep them fixed.
describe("regressions", () => {
  test("a developer client named like an Object.prototype member is a ConfigError, not a TypeError", () => {
    fc.assert(
      fc.property(validConfig, fc.constantFrom(...INHERITED_NAMES), (config: ValidConfig, name) => {
        const raw = setAt(
          JSON.parse(JSON.stringify({ ...config, environment: "dev" })) as Record<string, unknown>,
          ["devAccess"],
          {
            authorizedClients: [name],
          },
        );
        const c: ConfigCase = { fault: `authorizedClients: [${name}]`, stack: "dev", raw, location: "westeurope" };
        const out = parse(c);
        if (!("error" in out)) throw new Error(`accepted client "${name}"`);
        expectUserError(out.error, c);
        assert.equal(out.error.key, "s2s-auth:devAccess.authorizedClients[0]");
      }),
      { numRuns: 20 },
    );
  });

  test("an unknown key with a line break still gives a one-line error", () => {
    const c: ConfigCase = {
      fault: "unknown key with a line break",
      stack: "dev",
      raw: { environment: "dev", callees: [{ name: "the-callee", "note\nhere": 1 }] },
      location: "westeurope",
    };
    const out = parse(c);
    expect("error" in out).toBe(true);
    if ("error" in out) expectUserError(out.error, c);
  });
});
