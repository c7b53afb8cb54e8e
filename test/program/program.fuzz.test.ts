// The whole program under Pulumi's mocks, fed fuzzed stack configs the way Pulumi hands them
// over (strings, structured values as JSON text). Either the stack is declared in full, as the
// config says, or the run stops with the ConfigError that parseStackConfig gives for the same
// config, before a single resource is declared.
// Cases: 5 in npm test, 50 in npm run test:deep (a valid case costs about 0.1 s), FUZZ_PROGRAM_RUNS
// overrides; replay with FUZZ_SEED/FUZZ_PATH.
import assert from "node:assert/strict";
import * as fc from "fast-check";
import { ConfigError, parseStackConfig, type StackConfig } from "../../config.ts";
import { recordDeclarations, type DeclarationLog } from "../fixtures/declarations.ts";
import { runProgram, type ProgramRun } from "../fixtures/index.ts";
import { asPulumiConfig, brokenCase, validCase, type ConfigCase } from "../fixtures/arbitraries.ts";
import { fuzzParameters, PROGRAM_RUNS } from "../fixtures/fuzz.ts";

const RUNS = 50;

/** A valid config with one value replaced by text Pulumi would pass through undecoded. */
const mangledCase: fc.Arbitrary<ConfigCase> = validCase.chain((c) =>
  fc
    .record({
      key: fc.constantFrom(...Object.keys(c.raw)),
      text: fc.constantFrom(
        "[",
        "{",
        "[1,",
        '{"name":',
        "",
        " ",
        "null",
        "true",
        "[]",
        "{}",
        "[[]]",
        '"quoted"',
        "B1 ",
      ),
    })
    .map(({ key, text }) => ({ ...c, fault: `${key} = ${JSON.stringify(text)}`, raw: { ...c.raw, [key]: text } })),
);

/** What the program must see: Pulumi's strings, JSON text decoded (restated from how loadConfig reads them). */
function decoded(config: Record<string, string>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith("s2s-auth:")) continue;
    const trimmed = value.trim();
    let parsed: unknown = value;
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        parsed = JSON.parse(trimmed);
      } catch {
        parsed = value;
      }
    }
    raw[key.slice("s2s-auth:".length)] = parsed;
  }
  return raw;
}

/** The stack `config` describes, resource by resource type. */
function expectStackOf(config: StackConfig, run: ProgramRun): void {
  const count = (type: string) => run.ofType(type).length;
  const dev = config.devAccess;
  const people = dev ? dev.userPrincipalNames.length + dev.userObjectIds.length + dev.groupObjectIds.length : 0;
  const calls = config.callers.reduce((n, c) => n + c.calls.length, 0);
  // Every callee is an app registration whatever its host; every call and every developer on
  // every callee is one assignment.
  assert.equal(count("azuread:index/application:Application"), config.callees.length);
  assert.equal(count("azuread:index/appRoleAssignment:AppRoleAssignment"), calls + people * config.callees.length);
  assert.equal(
    count("azuread:index/applicationPreAuthorized:ApplicationPreAuthorized"),
    (dev?.authorizedClients.length ?? 0) * config.callees.length,
  );
  for (const r of run.resources) assert.equal(r.protect, config.environment === "prod", `protect of ${r.urn}`);
  assert.equal(new Set(run.resources.map((r) => r.urn)).size, run.resources.length, "every URN is unique");
  // Sorted: JavaScript lists integer-like keys such as "10" first, whatever the insertion order.
  const names = (o: unknown) => Object.keys(o as object).sort();
  assert.deepEqual(names(run.outputs["callees"]), config.callees.map((c) => c.name).sort());
  assert.deepEqual(names(run.outputs["callers"]), config.callers.map((c) => c.name).sort());
}

describe("the program under fuzzed config", () => {
  let declarations: DeclarationLog;
  beforeAll(() => {
    declarations = recordDeclarations();
  });
  afterAll(() => {
    declarations.restore();
  });

  test("declares the stack its config describes, or nothing at all and one ConfigError", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          // Valid cases cost a full program run each; broken ones stop at validation.
          { arbitrary: validCase, weight: 1 },
          { arbitrary: brokenCase, weight: 4 },
          { arbitrary: mangledCase, weight: 1 },
        ),
        async (c) => {
          const pulumiConfig = asPulumiConfig(c);
          let expected: StackConfig | ConfigError;
          try {
            expected = parseStackConfig(c.stack, decoded(pulumiConfig), c.location || undefined);
          } catch (error) {
            if (!(error instanceof ConfigError)) throw error; // the config fuzz test reports these
            expected = error;
          }
          declarations.clear();
          let outcome: ProgramRun | unknown;
          try {
            outcome = await runProgram(c.stack, pulumiConfig);
          } catch (error) {
            outcome = error;
          }
          if (expected instanceof ConfigError) {
            assert.ok(outcome instanceof ConfigError, `expected ${expected.message}, got ${String(outcome)}`);
            assert.equal(outcome.message, expected.message);
            const declared = declarations.all().map((d) => `${d.type}::${d.name}`);
            assert.equal(declared.length, 0, `declared before the config error: ${declared.join(", ")}`);
          } else {
            if (outcome instanceof Error) throw outcome;
            const run = outcome as ProgramRun;
            expectStackOf(expected, run);
            assert.equal(declarations.all().length, run.resources.length, "every declared resource reached the engine");
          }
        },
      ),
      fuzzParameters(PROGRAM_RUNS, RUNS),
    );
    // Whole-program cases on a shared 2-core machine can pass the default timeout (test/setup.ts);
    // the recorder yields to the event loop after a refused config, so the timer does fire.
  }, 120_000);

  // Found by this fuzzer and fixed on main ("_to_" separates grant names): keeps it fixed.
  describe("regression: grant names of two caller/callee pairs", () => {
    // Run inside the tests, not in beforeAll, so Stryker's per-test coverage sees who runs what.
    let outcome: Promise<unknown> | undefined;
    const collide = () =>
      (outcome ??= runProgram("dev", {
        "azure-native:location": "westeurope",
        "s2s-auth:environment": "dev",
        "s2s-auth:callees": [{ name: "ss" }, { name: "rr-to-ss" }],
        "s2s-auth:callers": [
          { name: "qq-to-rr", calls: [{ callee: "ss" }] },
          { name: "qq", calls: [{ callee: "rr-to-ss" }] },
        ],
      }).catch((error: unknown) => error));

    test("the run itself completes or stops at config validation", async () => {
      const outcome = await collide();
      expect(outcome instanceof ConfigError || Array.isArray((outcome as ProgramRun).resources)).toBe(true);
    });

    test("no two grants share a URN (or the names are rejected)", async () => {
      const outcome = await collide();
      if (outcome instanceof ConfigError) return;
      const urns = (outcome as ProgramRun).resources.map((r) => r.urn);
      expect(new Set(urns).size).toBe(urns.length);
    });
  });
});
