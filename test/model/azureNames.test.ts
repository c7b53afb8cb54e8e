// Every Azure name the program derives fits Azure's rule for its resource type, for every
// service name the config accepts, on every host. The rules and their sources (Microsoft Learn's
// naming rules, terraform-provider-azurerm's validators) are in model/azureNames.ts.
import * as fc from "fast-check";
import {
  AUTONAME_SUFFIX,
  AZURE_NAME_RULES,
  azureName,
  containerAppName,
  NAMED_BY_PARENT,
  nameProblem,
} from "../../model/azureNames.ts";
import { storageAccountName } from "../../components/hosting/functionApp.ts";
import { ConfigError, parseStackConfig } from "../../config.ts";
import { asPulumiConfig, siteName, validCase } from "../fixtures/arbitraries.ts";
import { fuzzParameters, CONFIG_RUNS, PROGRAM_RUNS } from "../fixtures/fuzz.ts";
import { baseConfig, runProgram, type ProgramRun } from "../fixtures/index.ts";

const suffix = fc.stringMatching(AUTONAME_SUFFIX);
const guidSuffix = fc.uuid();
/** Accepted names, with the longest ones (40 characters) drawn often. */
const longName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{28,38}[a-z0-9]$/).filter((s) => !s.includes("--"));
const serviceName = fc.oneof(siteName, longName, fc.stringMatching(/^[a-z0-9][a-z0-9]{38}[a-z0-9]$/));
const WEB_APP = "azure-native:web:WebApp";
const STORAGE = "azure-native:storage:StorageAccount";
const CONTAINER_APP = "azure-native:app:ContainerApp";

/** Fails with the rule and its source when a name does not fit. */
function expectFits(type: string, name: string): void {
  expect({ type, name, problem: nameProblem(type, name) }).toEqual({ type, name, problem: undefined });
}

/** Every Azure name of a program run, auto-names completed with `random` (8 hex) or `uuid`. */
function namesOf(run: ProgramRun, random: string, uuid: string): { type: string; name: string }[] {
  return run.resources
    .filter((r) => r.custom && r.type.startsWith("azure-native:"))
    .flatMap((r) => {
      if (NAMED_BY_PARENT.includes(r.type)) return [];
      const rule = AZURE_NAME_RULES[r.type];
      const name = azureName(r.type, r.name, r.inputs, rule?.autoname === "uuid" ? uuid : random);
      // A type without a rule fails here: a new Azure resource needs its rule first.
      return [{ type: r.type, name: name ?? `<no naming rule for ${r.type}>` }];
    });
}

describe("the rules themselves", () => {
  test.each([
    [CONTAINER_APP, "a".repeat(32), true],
    [CONTAINER_APP, "a".repeat(33), false],
    [CONTAINER_APP, "1abc", false],
    [CONTAINER_APP, "ab--c", false],
    [CONTAINER_APP, "abc-", false],
    [CONTAINER_APP, "Abc", false],
    [WEB_APP, "a".repeat(60), true],
    [WEB_APP, "a".repeat(61), false],
    [WEB_APP, "-abc", false],
    [STORAGE, "a".repeat(24), true],
    [STORAGE, "a".repeat(25), false],
    [STORAGE, "ab-c", false],
    ["azure-native:resources:ResourceGroup", "rg.", false],
    ["azure-native:app:ManagedEnvironment", "1env", false],
  ])("%s %j fits: %s", (type, name, fits) => {
    expect(nameProblem(type, name) === undefined).toBe(fits);
  });

  test("a problem names the rule and its source; a type without a rule is a problem too", () => {
    expect(nameProblem(STORAGE, "Ab")).toBe(
      `"Ab" is not 3-24 lowercase letters or digits (${AZURE_NAME_RULES[STORAGE]!.source})`,
    );
    expect(nameProblem("azure-native:cache:Redis", "r")).toBe("no naming rule is known for azure-native:cache:Redis");
    expect(azureName("azure-native:cache:Redis", "r", {}, "0a1b2c3d")).toBeUndefined();
    expect(azureName(WEB_APP, "a-site", { name: "explicit" }, "0a1b2c3d")).toBe("explicit");
    expect(azureName("azure-native:authorization:RoleAssignment", "grant", {}, "guid")).toBe("guid");
  });

  test("every rule names its source", () => {
    for (const rule of Object.values(AZURE_NAME_RULES))
      expect(rule.source).toMatch(/Microsoft Learn|terraform-provider-azurerm/);
  });
});

describe("derived names, per host, for every accepted service name", () => {
  test("the names are accepted by the config on every host", () => {
    fc.assert(
      fc.property(serviceName, fc.constantFrom("appService", "functionApp", "containerApp"), (name, host) => {
        parseStackConfig("dev", { environment: "dev", callees: [{ name, host }] }, "westeurope");
      }),
      fuzzParameters(CONFIG_RUNS, 300),
    );
  });

  test("appService and functionApp: the site's auto-name <name>-site<8 hex> fits Microsoft.Web/sites", () => {
    fc.assert(
      fc.property(serviceName, suffix, (name, random) =>
        expectFits(WEB_APP, azureName(WEB_APP, `${name}-site`, {}, random)!),
      ),
      fuzzParameters(CONFIG_RUNS, 1_000),
    );
  });

  test("functionApp: the host storage account's name fits Microsoft.Storage/storageAccounts", () => {
    const resourceGroupId = fc
      .tuple(fc.uuid(), fc.stringMatching(/^[-\w.()]{1,90}$/))
      .map(([sub, rg]) => `/subscriptions/${sub}/resourceGroups/${rg}`);
    fc.assert(
      fc.property(resourceGroupId, serviceName, (id, name) => expectFits(STORAGE, storageAccountName(id, name))),
      fuzzParameters(CONFIG_RUNS, 1_000),
    );
  });

  test("containerApp: the derived name fits Microsoft.App/containerApps", () => {
    fc.assert(
      fc.property(serviceName, (name) => expectFits(CONTAINER_APP, containerAppName(name))),
      fuzzParameters(CONFIG_RUNS, 1_000),
    );
  });

  test("containerApp: distinct service names give distinct container app names", () => {
    fc.assert(
      fc.property(serviceName, serviceName, (a, b) => {
        fc.pre(a !== b);
        expect(containerAppName(a)).not.toBe(containerAppName(b));
      }),
      fuzzParameters(CONFIG_RUNS, 1_000),
    );
  });

  test("containerApp: a name that fits is kept as it is, so the plan shows the service's own name", () => {
    expect(containerAppName("orders")).toBe("orders");
    expect(containerAppName("a".repeat(32))).toBe("a".repeat(32));
    const long = containerAppName("a".repeat(40));
    expect(long).toMatch(/^a{23}-[0-9a-f]{8}$/);
    expect(containerAppName("9lives")).toMatch(/^c9lives-[0-9a-f]{8}$/);
  });

  test("config refuses two services that would share a container app, in one line naming the key", () => {
    const taken = containerAppName("a".repeat(40));
    const config = {
      environment: "dev",
      callees: [
        { name: "a".repeat(40), host: "containerApp" },
        { name: taken, host: "containerApp" },
      ],
    };
    expect(() => parseStackConfig("dev", config, "westeurope")).toThrow(ConfigError);
    expect(() => parseStackConfig("dev", config, "westeurope")).toThrow(
      `Invalid configuration for stack "dev": s2s-auth:callees[1].name: "${taken}" and "${"a".repeat(40)}" ` +
        `would both be container app "${taken}"; rename one`,
    );
    // On other hosts the two names are two sites with auto-names of their own.
    expect(() =>
      parseStackConfig(
        "dev",
        { ...config, callees: config.callees.map((c) => ({ ...c, host: "appService" })) },
        "westeurope",
      ),
    ).not.toThrow();
  });
});

describe("the whole program under mocks: every Azure resource it declares has a name that fits", () => {
  test("40-character names on every host", async () => {
    const forty = (tag: string) => `${tag}-${"x".repeat(39 - tag.length)}`;
    const [web, fn, ca] = [forty("web"), forty("func"), forty("cont")];
    expect([web, fn, ca].map((n) => n.length)).toEqual([40, 40, 40]);
    const run = await runProgram("dev", {
      ...baseConfig("dev"),
      "s2s-auth:callees": [
        { name: web, host: "appService" },
        { name: ca, host: "containerApp" },
      ],
      "s2s-auth:callers": [
        { name: fn, host: "functionApp", calls: [{ callee: ca }] },
        { name: ca, host: "containerApp", calls: [{ callee: web }] },
      ],
    });
    const names = namesOf(run, "0a1b2c3d", "00000000-0000-0000-0000-000000000000");
    expect(new Set(names.map((n) => n.type))).toEqual(new Set([...Object.keys(AZURE_NAME_RULES)]));
    for (const { type, name } of names) expectFits(type, name);
    const container = run.named(`${ca}-container`);
    expect(container.inputs["containerAppName"]).toBe(containerAppName(ca));
    // An app auto-named before names were derived keeps its name (no replacement, no new identity).
    expect(container.ignoreChanges).toEqual(["containerAppName"]);
  });

  test("any accepted config", async () => {
    await fc.assert(
      fc.asyncProperty(validCase, suffix, guidSuffix, async (c, random, uuid) => {
        const run = await runProgram(c.stack, asPulumiConfig(c));
        for (const { type, name } of namesOf(run, random, uuid)) expectFits(type, name);
      }),
      fuzzParameters(PROGRAM_RUNS, 10),
    );
  });
});
