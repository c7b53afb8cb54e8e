// Exact behaviour of config.ts that the fuzz tests cannot pin down: limits at their edges,
// the wording users see, the constants other code relies on, and loadConfig's reading of
// Pulumi's config. Written against the mutants Stryker found surviving the fuzz tests.
import * as pulumi from "@pulumi/pulumi";
import {
  ConfigError,
  DEFAULT_APP_ROLE,
  ENVIRONMENTS,
  formatKeyPath,
  loadConfig,
  parseStackConfig,
  PROJECT,
  type StackConfig,
} from "../../config.ts";
import { WELL_KNOWN_CLIENTS } from "../../model/index.ts";
import { configErrorFrom } from "../fixtures/configError.ts";

const LOCATION = "westeurope";

/** The smallest valid raw config, with `extra` merged over it. */
function raw(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { environment: "dev", callees: [{ name: "the-callee" }], ...extra };
}

function parse(config: Record<string, unknown>, location: string | undefined = LOCATION): StackConfig {
  return parseStackConfig("dev", config, location);
}

/** The ConfigError that `config` is rejected with. */
function rejection(config: Record<string, unknown>, location: string | undefined = LOCATION): ConfigError {
  return configErrorFrom(() => parse(config, location));
}

describe("constants other code relies on", () => {
  test("project, environments and default role", () => {
    expect(PROJECT).toBe("s2s-auth");
    expect(ENVIRONMENTS).toEqual(["dev", "test", "prod"]);
    expect(DEFAULT_APP_ROLE).toBe("Invoke");
  });

  test("well-known developer tools resolve to Microsoft's first-party client ids", () => {
    expect(WELL_KNOWN_CLIENTS).toEqual({
      "azure-cli": "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
      "azure-powershell": "1950a258-227b-4e31-a9cf-717495945fc2",
      "visual-studio": "872cd9fa-d31f-45e0-9eab-6e460a02d1f1",
    });
  });
});

describe("formatKeyPath", () => {
  test("writes paths the way Pulumi config names them", () => {
    expect(formatKeyPath([])).toBe("s2s-auth");
    expect(formatKeyPath(["environment"])).toBe("s2s-auth:environment");
    expect(formatKeyPath(["callers", 0, "calls", 12, "callee"])).toBe("s2s-auth:callers[0].calls[12].callee");
    expect(formatKeyPath(["devAccess", "users", 1])).toBe("s2s-auth:devAccess.users[1]");
  });
});

describe("limits at their edges", () => {
  test.each([
    ["ab", true],
    ["a", false],
    ["a".repeat(40), true],
    ["a".repeat(41), false],
    ["a-b", true],
    ["-ab", false],
    ["ab-", false],
    ["a--b", false],
    ["Ab", false],
    ["a_b", false],
    ["0123", true],
  ])("site name %j accepted: %s", (name, ok) => {
    const config = raw({ callees: [{ name }] });
    if (ok) expect(parse(config).callees[0]!.name).toBe(name);
    else expect(rejection(config).key).toBe("s2s-auth:callees[0].name");
  });

  test.each([
    ["R", true],
    ["_r", true],
    ["9", true],
    ["a".repeat(120), true],
    ["a".repeat(121), false],
    ["Orders.Read-all_v2", true],
    [".r", false],
    ["-r", false],
    ["r w", false],
    ["", false],
  ])("role value %j accepted: %s", (value, ok) => {
    const config = raw({ callees: [{ name: "the-callee", appRoles: [{ value }] }] });
    if (ok) expect(parse(config).callees[0]!.appRoles[0]!.value).toBe(value);
    else expect(rejection(config).key).toBe("s2s-auth:callees[0].appRoles[0].value");
  });

  test.each([
    ["B1", true],
    ["P0v3", true],
    ["P1mv3", true],
    ["S", false],
    ["Abcdefghij", false],
    ["1B", false],
    ["B-1", false],
  ])("SKU %j accepted: %s", (sku, ok) => {
    const config = raw({ appServicePlanSku: sku });
    if (ok) expect(parse(config).appServicePlanSku).toBe(sku);
    else expect(rejection(config).key).toBe("s2s-auth:appServicePlanSku");
  });

  test.each([
    ["displayName", 1, true],
    ["displayName", 100, true],
    ["displayName", 101, false],
    ["displayName", 0, false],
    ["description", 1, true],
    ["description", 1000, true],
    ["description", 1001, false],
    ["description", 0, false],
  ])("role %s of %i characters accepted: %s", (field, length, ok) => {
    const config = raw({ callees: [{ name: "the-callee", appRoles: [{ value: "R", [field]: "x".repeat(length) }] }] });
    if (ok)
      expect(parse(config).callees[0]!.appRoles[0]![field as "displayName" | "description"]).toBe("x".repeat(length));
    else expect(rejection(config).key).toBe(`s2s-auth:callees[0].appRoles[0].${field}`);
  });

  test.each([
    ["3F2504E0-4F89-41D3-9A0C-0305E82C3301", true],
    ["3f2504e0-4f89-41d3-9a0c-0305e82c3301", true],
    ["3f2504e0-4f89-41d3-9a0c-0305e82c330", false],
    ["3f2504e0-4f89-41d3-9a0c-0305e82c33011", false],
    ["x3f2504e0-4f89-41d3-9a0c-0305e82c3301", false],
    ["3f2504e04f8941d39a0c0305e82c3301", false],
    ["3f2504e0-4f89-41d3-9a0c-0305e82c330g", false],
  ])("group id %j accepted: %s", (id, ok) => {
    const config = raw({ devAccess: { groups: [id] } });
    if (ok) expect(parse(config).devAccess!.groupObjectIds).toEqual([id.toLowerCase()]);
    else expect(rejection(config).key).toBe("s2s-auth:devAccess.groups[0]");
  });

  test.each([
    ["dev@contoso.com", true],
    ["first.last@sub.contoso.co", true],
    ["dev@contoso", false],
    ["dev@@contoso.com", false],
    ["@contoso.com", false],
    ["dev@.com", false],
    ["dév@contoso.com", false], // Entra ID's username policy allows A-Z, a-z, 0-9 and ' . - _ ! # ^ ~ only
    ["dev@contoso.", false],
    ["dev name@contoso.com", false],
    ["dev@contoso.com ", false],
    ["dev@con toso.com", false],
    ["dev@contoso.c m", false],
  ])("user %j accepted: %s", (user, ok) => {
    const config = raw({ devAccess: { users: [user] } });
    if (ok) expect(parse(config).devAccess!.userPrincipalNames).toEqual([user]);
    else expect(rejection(config).key).toBe("s2s-auth:devAccess.users[0]");
  });

  test("a client is a well-known name or a GUID, nothing else", () => {
    expect(
      parse(raw({ devAccess: { authorizedClients: ["visual-studio", "AAAAAAAA-0000-4000-8000-000000000000"] } }))
        .devAccess!.authorizedClients,
    ).toEqual(["872cd9fa-d31f-45e0-9eab-6e460a02d1f1", "aaaaaaaa-0000-4000-8000-000000000000"]);
    const error = rejection(raw({ devAccess: { authorizedClients: ["azure-cli", "Azure-CLI"] } }));
    expect(error.message).toBe(
      'Invalid configuration for stack "dev": s2s-auth:devAccess.authorizedClients[1]: must be a client id GUID ' +
        "or one of: azure-cli, azure-powershell, visual-studio",
    );
  });
});

describe("messages users read", () => {
  const message = (config: Record<string, unknown>, location?: string) =>
    rejection(config, location ?? LOCATION).message;
  const prefix = 'Invalid configuration for stack "dev": ';

  test("an unknown top-level key is named as the key", () => {
    const error = rejection(raw({ calees: [] }));
    expect(error.key).toBe("s2s-auth:calees");
    expect(error.message).toBe(`${prefix}s2s-auth:calees: unknown key`);
  });

  test("unknown keys inside an object are listed after the object's key", () => {
    expect(message(raw({ callees: [{ name: "the-callee", role: "x", size: 1 }] }))).toBe(
      `${prefix}s2s-auth:callees[0]: unknown key(s): role, size`,
    );
  });

  test("a missing key is 'required', a wrong value lists the choices", () => {
    expect(message({ environment: "dev" })).toBe(`${prefix}s2s-auth:callees: required`);
    expect(message(raw({ environment: "staging" }))).toBe(
      `${prefix}s2s-auth:environment: must be one of "dev", "test", "prod"`,
    );
    expect(message(raw({ callees: [{ name: "the-callee" }], callers: [{ name: "a-caller" }] }))).toBe(
      `${prefix}s2s-auth:callers[0].calls: required`,
    );
  });

  test("the count of further problems follows the first", () => {
    expect(message({ environment: "staging", callees: [] })).toBe(
      `${prefix}s2s-auth:environment: must be one of "dev", "test", "prod" (and 1 more problem)`,
    );
    expect(message({ environment: "staging", callees: [], devAccess: 1 })).toBe(
      `${prefix}s2s-auth:environment: must be one of "dev", "test", "prod" (and 2 more problems)`,
    );
  });

  test("rule violations say what is wrong and with which names", () => {
    const callees = [{ name: "orders", appRoles: [{ value: "Read" }, { value: "Write" }] }, { name: "billing" }];
    expect(message(raw({ callees: [{ name: "the-callee" }, { name: "the-callee" }] }))).toBe(
      `${prefix}s2s-auth:callees[1].name: duplicate callee name "the-callee"`,
    );
    expect(
      message(
        raw({
          callers: [
            { name: "c1", calls: [{ callee: "the-callee" }] },
            { name: "c1", calls: [{ callee: "the-callee" }] },
          ],
        }),
      ),
    ).toBe(`${prefix}s2s-auth:callers[1].name: duplicate caller name "c1"`);
    expect(
      message(raw({ callers: [{ name: "the-callee", host: "functionApp", calls: [{ callee: "the-callee" }] }] })),
    ).toBe(
      // the self-call is a cycle too
      `${prefix}s2s-auth:callers[0].host: "the-callee" is also a callee hosted on appService; one service has ` +
        `one host (and 1 more problem)`,
    );
    expect(message(raw({ callers: [{ name: "the-callee", calls: [{ callee: "the-callee" }] }] }))).toBe(
      `${prefix}s2s-auth:callers[0].calls: call cycle the-callee → the-callee: a callee's site needs its ` +
        `callees' addresses first`,
    );
    expect(message(raw({ callees: [{ name: "orders", appRoles: [{ value: "Read" }, { value: "Read" }] }] }))).toBe(
      `${prefix}s2s-auth:callees[0].appRoles[1].value: duplicate role "Read"`,
    );
    expect(
      message(raw({ callees, callers: [{ name: "c1", calls: [{ callee: "billing" }, { callee: "billing" }] }] })),
    ).toBe(`${prefix}s2s-auth:callers[0].calls[1].callee: "billing" is listed twice`);
    expect(message(raw({ callees, callers: [{ name: "c1", calls: [{ callee: "stock" }] }] }))).toBe(
      `${prefix}s2s-auth:callers[0].calls[0].callee: unknown callee "stock" (declared: orders, billing)`,
    );
    expect(message(raw({ callees, callers: [{ name: "c1", calls: [{ callee: "orders" }] }] }))).toBe(
      `${prefix}s2s-auth:callers[0].calls[0].role: required: "orders" has several roles (Read, Write)`,
    );
    expect(message(raw({ callees, callers: [{ name: "c1", calls: [{ callee: "orders", role: "Delete" }] }] }))).toBe(
      `${prefix}s2s-auth:callers[0].calls[0].role: unknown role "Delete" of "orders" (roles: Read, Write)`,
    );
    expect(message(raw({ callees, callers: [{ name: "c1", calls: [{ callee: "billing", role: "Read" }] }] }))).toBe(
      `${prefix}s2s-auth:callers[0].calls[0].role: unknown role "Read" of "billing" (roles: Invoke)`,
    );
    expect(message(raw({ callees: [] }))).toBe(`${prefix}s2s-auth:callees: must declare at least one callee`);
    expect(message(raw({ callees: [{ name: "orders", appRoles: [] }] }))).toBe(
      `${prefix}s2s-auth:callees[0].appRoles: must list at least one role (or be left out for the default)`,
    );
    expect(message(raw({ callers: [{ name: "c1", calls: [] }] }))).toBe(
      `${prefix}s2s-auth:callers[0].calls: must list at least one callee`,
    );
  });

  test("developer access: only in dev, no duplicates in any spelling", () => {
    expect(parseStackConfig.bind(null, "prod", raw({ environment: "prod", devAccess: {} }), LOCATION)).toThrow(
      'Invalid configuration for stack "prod": s2s-auth:devAccess: developer access is allowed only when ' +
        'environment is "dev" (this stack is "prod")',
    );
    expect(
      message(raw({ devAccess: { authorizedClients: ["azure-cli", "04B07795-8DDB-461A-BBEE-02F9E1BF7B46"] } })),
    ).toBe(`${prefix}s2s-auth:devAccess.authorizedClients[1]: duplicate client 04b07795-8ddb-461a-bbee-02f9e1bf7b46`);
    expect(message(raw({ devAccess: { users: ["Dev@Contoso.com", "dev@contoso.com"] } }))).toBe(
      `${prefix}s2s-auth:devAccess.users[1]: duplicate user dev@contoso.com`,
    );
    expect(
      message(
        raw({
          devAccess: { groups: ["AAAAAAAA-0000-4000-8000-000000000000", "aaaaaaaa-0000-4000-8000-000000000000"] },
        }),
      ),
    ).toBe(`${prefix}s2s-auth:devAccess.groups[1]: duplicate group aaaaaaaa-0000-4000-8000-000000000000`);
    expect(message(raw({ devAccess: { groups: ["not-a-guid"] } }))).toBe(
      `${prefix}s2s-auth:devAccess.groups[0]: must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`,
    );
    expect(message(raw({ devAccess: { users: ["someone"] } }))).toBe(
      `${prefix}s2s-auth:devAccess.users[0]: must be a user principal name (name@domain: letters, digits and ` +
        "' . - _ ! # ^ ~, at most 64 characters before the @ and 48 after) or an object id GUID",
    );
  });

  test("name rules are spelled out", () => {
    expect(message(raw({ callees: [{ name: "The-Callee" }] }))).toBe(
      `${prefix}s2s-auth:callees[0].name: must be 2-40 lowercase letters, digits or inner hyphens (it becomes an ` +
        `App Service host name)`,
    );
    expect(message(raw({ callees: [{ name: "the--callee" }] }))).toBe(
      `${prefix}s2s-auth:callees[0].name: must not contain '--'`,
    );
    expect(message(raw({ callees: [{ name: "the-callee", appRoles: [{ value: ".read" }] }] }))).toBe(
      `${prefix}s2s-auth:callees[0].appRoles[0].value: must be 1-120 letters, digits, '.', '_' or '-', not ` +
        `starting with '.' or '-'`,
    );
    expect(message(raw({ appServicePlanSku: "cheap one" }))).toBe(
      `${prefix}s2s-auth:appServicePlanSku: must be an App Service plan SKU name: F1, B1, B2, B3, S1, S2, S3, ` +
        `P1v2, P2v2, P3v2, P0v3, P1v3, P2v3, P3v3, P1mv3, P2mv3, P3mv3, P4mv3, P5mv3, P0v4, P1v4, P2v4, P3v4`,
    );
  });

  test("a stack without a region says how to set one", () => {
    for (const location of [undefined, ""]) {
      // Not rejection(): its default location would stand in for an undefined one.
      const error = configErrorFrom(() => parseStackConfig("dev", raw(), location));
      expect(error.key).toBe("azure-native:location");
      expect(error.message).toBe(
        `${prefix}azure-native:location: required (e.g. \`pulumi config set azure-native:location westeurope\`)`,
      );
    }
  });

  test("the error is a Pulumi RunError, which Pulumi prints without a stack trace", () => {
    expect(rejection(raw({ environment: "x" }))).toBeInstanceOf(pulumi.RunError);
  });
});

describe("normalization", () => {
  test("defaults: SKU B1, no callers, the Invoke role with a generated description, no developer access", () => {
    expect(parse(raw())).toEqual({
      stack: "dev",
      environment: "dev",
      location: LOCATION,
      appServicePlanSku: "B1",
      callees: [
        {
          name: "the-callee",
          host: "appService",
          appRoles: [{ value: "Invoke", displayName: "Invoke", description: "Call the-callee as Invoke." }],
        },
      ],
      callers: [],
      devAccess: undefined,
      ciAccess: undefined,
      owners: [],
    });
  });

  test("a call without a role gets its callee's only role", () => {
    const config = parse(
      raw({
        callees: [
          { name: "orders", appRoles: [{ value: "Orders.Call", displayName: "Call orders" }] },
          { name: "billing" },
        ],
        callers: [{ name: "web", calls: [{ callee: "orders" }, { callee: "billing" }] }],
      }),
    );
    expect(config.callers).toEqual([
      {
        name: "web",
        host: "appService",
        principalId: undefined,
        calls: [
          { callee: "orders", role: "Orders.Call" },
          { callee: "billing", role: "Invoke" },
        ],
      },
    ]);
    expect(config.callees[0]!.appRoles).toEqual([
      { value: "Orders.Call", displayName: "Call orders", description: "Call orders as Orders.Call." },
    ]);
  });

  test("developer access: users split into names and ids, ids and clients lower-cased", () => {
    expect(
      parse(
        raw({
          devAccess: {
            authorizedClients: ["azure-cli", "AAAAAAAA-0000-4000-8000-000000000000"],
            users: ["Dev@Contoso.com", "BBBBBBBB-0000-4000-8000-000000000000"],
            groups: ["CCCCCCCC-0000-4000-8000-000000000000"],
          },
        }),
      ).devAccess,
    ).toEqual({
      authorizedClients: ["04b07795-8ddb-461a-bbee-02f9e1bf7b46", "aaaaaaaa-0000-4000-8000-000000000000"],
      userPrincipalNames: ["Dev@Contoso.com"],
      userObjectIds: ["bbbbbbbb-0000-4000-8000-000000000000"],
      groupObjectIds: ["cccccccc-0000-4000-8000-000000000000"],
    });
    expect(parse(raw({ devAccess: {} })).devAccess).toEqual({
      authorizedClients: [],
      userPrincipalNames: [],
      userObjectIds: [],
      groupObjectIds: [],
    });
  });
});

describe("loadConfig reads Pulumi's config", () => {
  /** Pulumi hands the program every value as a string. */
  async function load(stack: string, config: Record<string, string>): Promise<StackConfig> {
    await pulumi.runtime.setMocks(
      { newResource: () => ({ id: "", state: {} }), call: () => ({}) },
      "s2s-auth",
      stack,
      false,
    );
    pulumi.runtime.setAllConfig(config);
    return loadConfig();
  }

  test("structured values arrive as JSON text, padded or not; other projects' keys are not ours", async () => {
    const config = await load("qa", {
      "azure-native:location": "northeurope",
      "other-project:callees": "whatever",
      "s2s-auth:environment": "test",
      "s2s-auth:appServicePlanSku": "S1",
      "s2s-auth:callees": '  [{"name": "the-callee"}]',
      "s2s-auth:callers": '\n[{"name":"the-caller","calls":[{"callee":"the-callee"}]}] ',
    });
    expect(config).toMatchObject({
      stack: "qa",
      environment: "test",
      location: "northeurope",
      appServicePlanSku: "S1",
      callers: [{ name: "the-caller", calls: [{ callee: "the-callee", role: "Invoke" }] }],
    });
    expect(config.callees.map((c) => c.name)).toEqual(["the-callee"]);
  });

  test("an object value is decoded too", async () => {
    const config = await load("dev", {
      "azure-native:location": LOCATION,
      "s2s-auth:environment": "dev",
      "s2s-auth:callees": '[{"name":"the-callee"}]',
      "s2s-auth:devAccess": ' {"groups":["aaaaaaaa-0000-4000-8000-000000000000"]}',
    });
    expect(config.devAccess?.groupObjectIds).toEqual(["aaaaaaaa-0000-4000-8000-000000000000"]);
  });

  test("text that is not JSON stays text, and is rejected where a list belongs", async () => {
    await expect(
      load("dev", {
        "azure-native:location": LOCATION,
        "s2s-auth:environment": "dev",
        "s2s-auth:callees": '[{"name":',
      }),
    ).rejects.toMatchObject({ key: "s2s-auth:callees" });
    await expect(
      load("dev", {
        "azure-native:location": LOCATION,
        "s2s-auth:environment": "dev",
        "s2s-auth:callees": "the-callee",
      }),
    ).rejects.toMatchObject({ key: "s2s-auth:callees" });
  });

  test("broken JSON is not dropped: an optional key with it is still rejected", async () => {
    await expect(
      load("dev", {
        "azure-native:location": LOCATION,
        "s2s-auth:environment": "dev",
        "s2s-auth:callees": '[{"name":"the-callee"}]',
        "s2s-auth:devAccess": '{"groups": [',
      }),
    ).rejects.toMatchObject({ key: "s2s-auth:devAccess" });
  });

  test("only lists and objects are JSON: a scalar stays the text Pulumi passed", async () => {
    // "null" and "true" parse as JSON, but a scalar config value is always a string.
    // Read as JSON it would be null ("must be a string"); as text it is an unknown SKU name.
    await expect(
      load("dev", {
        "azure-native:location": LOCATION,
        "s2s-auth:environment": "dev",
        "s2s-auth:appServicePlanSku": "null",
        "s2s-auth:callees": '[{"name":"the-callee"}]',
      }),
    ).rejects.toMatchObject({
      key: "s2s-auth:appServicePlanSku",
      message: expect.stringContaining("must be an App Service plan SKU name: "),
    });
  });

  test("the region comes from azure-native:location", async () => {
    await expect(
      load("dev", { "s2s-auth:environment": "dev", "s2s-auth:callees": '[{"name":"the-callee"}]' }),
    ).rejects.toMatchObject({
      key: "azure-native:location",
    });
  });
});

// Found while writing these tests and fixed on main (zod reports inputs now): keeps it fixed.
test("a value of the wrong type is not reported as missing", () => {
  expect(rejection(raw({ callees: "the-callee" })).message).toBe(
    'Invalid configuration for stack "dev": s2s-auth:callees: must be an array, not string "the-callee"',
  );
});

describe("wrong types are named for what they are", () => {
  const message = (config: Record<string, unknown>) =>
    rejection(config).message.replace('Invalid configuration for stack "dev": ', "");
  test.each([
    [{ callees: "the-callee" }, 's2s-auth:callees: must be an array, not string "the-callee"'],
    [{ callees: null }, "s2s-auth:callees: must be an array, not null"],
    [{ callees: {} }, "s2s-auth:callees: must be an array, not an object"],
    [{ callees: ["the-callee"] }, 's2s-auth:callees[0]: must be an object, not string "the-callee"'],
    [{ callees: [{ name: ["a"] }] }, "s2s-auth:callees[0].name: must be a string, not a list"],
    [{ callees: [{ name: 5 }] }, "s2s-auth:callees[0].name: must be a string, not number 5"],
    [{ callees: [{ name: true }] }, "s2s-auth:callees[0].name: must be a string, not boolean true"],
  ])("%j", (extra, expected) => {
    expect(message(raw(extra))).toBe(expected);
  });
});

describe("call cycles", () => {
  const callees = (...names: string[]) => names.map((name) => ({ name }));
  test("a chain through services that are callee and caller is fine", () => {
    const config = parse(
      raw({
        callees: callees("aa", "bb", "cc", "dd"),
        callers: [
          { name: "aa", calls: [{ callee: "bb" }, { callee: "cc" }] },
          { name: "bb", calls: [{ callee: "dd" }] },
          { name: "cc", calls: [{ callee: "dd" }] },
        ],
      }),
    );
    expect(config.callers.map((c) => c.name)).toEqual(["aa", "bb", "cc"]);
  });

  test("a cycle is named from where it closes, at the first caller that reaches it", () => {
    const error = rejection(
      raw({
        callees: callees("xx", "aa", "bb"),
        callers: [
          {
            name: "ext",
            host: "external",
            principalId: "aaaaaaaa-0000-4000-8000-000000000000",
            calls: [{ callee: "aa" }],
          },
          { name: "xx", calls: [{ callee: "aa" }] },
          { name: "aa", calls: [{ callee: "bb" }] },
          { name: "bb", calls: [{ callee: "aa" }] },
        ],
      }),
    );
    expect(error.message).toBe(
      'Invalid configuration for stack "dev": s2s-auth:callers[1].calls: call cycle aa → bb → aa: a callee\'s ' +
        "site needs its callees' addresses first",
    );
  });

  test("a cycle behind another call is found too", () => {
    const error = rejection(
      raw({
        callees: callees("aa", "bb", "cc"),
        callers: [
          { name: "aa", calls: [{ callee: "cc" }, { callee: "bb" }] },
          { name: "bb", calls: [{ callee: "aa" }] },
        ],
      }),
    );
    expect(error.key).toBe("s2s-auth:callers[0].calls");
    expect(error.message).toContain("call cycle aa → bb → aa");
  });
});

describe("ciAccess", () => {
  const ci = (extra: Record<string, unknown> = {}) => ({
    repository: "contoso/orders",
    subjects: ["pull_request"],
    calls: [{ callee: "the-callee" }],
    ...extra,
  });

  test("dev and test may declare an integration-test principal; its calls get roles like callers'", () => {
    expect(
      parseStackConfig(
        "test",
        raw({ environment: "test", ciAccess: ci({ subjects: ["environment:test", "ref:refs/heads/main"] }) }),
        LOCATION,
      ).ciAccess,
    ).toEqual({
      repository: "contoso/orders",
      subjects: ["environment:test", "ref:refs/heads/main"],
      calls: [{ callee: "the-callee", role: "Invoke" }],
    });
    expect(parse(raw()).ciAccess).toBeUndefined();
  });

  test("prod may not", () => {
    expect(() => parseStackConfig("prod", raw({ environment: "prod", ciAccess: ci() }), LOCATION)).toThrow(
      'Invalid configuration for stack "prod": s2s-auth:ciAccess: an integration-test principal is not allowed ' +
        "in prod (only dev and test stacks may declare one; prod is reached only by its callers' managed " +
        "identities)",
    );
  });

  test.each([
    ["owner/name", true],
    [`${"o".repeat(39)}/name`, true],
    [`${"o".repeat(40)}/name`, false],
    [`owner/${"n".repeat(100)}`, true],
    [`owner/${"n".repeat(101)}`, false],
    ["my-org/my.repo_2", true],
    ["owner", false],
    ["owner/", false],
    ["/name", false],
    ["own_er/name", false],
    ["owner/na me", false],
    ["owner/name/more", false],
    [" owner/name", false],
  ])("repository %j accepted: %s", (repository, ok) => {
    const config = raw({ ciAccess: ci({ repository }) });
    if (ok) expect(parse(config).ciAccess!.repository).toBe(repository);
    else
      expect(rejection(config).message).toBe(
        `Invalid configuration for stack "dev": s2s-auth:ciAccess.repository: must be a GitHub repository "owner/name"`,
      );
  });

  test.each([
    ["pull_request", true],
    ["environment:dev", true],
    [`environment:${"e".repeat(255)}`, true],
    [`environment:${"e".repeat(256)}`, false],
    ["environment:", false],
    ["ref:refs/heads/main", true],
    ["ref:refs/tags/v1.2.3", true],
    [`ref:refs/heads/${"b".repeat(255)}`, true],
    [`ref:refs/heads/${"b".repeat(256)}`, false],
    ["ref:refs/heads/", false],
    ["ref:refs/pull/1/merge", false],
    ["push", false],
    ["xpull_request", false],
    ["pull_requests", false],
  ])("subject %j accepted: %s", (subject, ok) => {
    const config = raw({ ciAccess: ci({ subjects: [subject] }) });
    if (ok) expect(parse(config).ciAccess!.subjects).toEqual([subject]);
    else
      expect(rejection(config).message).toBe(
        'Invalid configuration for stack "dev": s2s-auth:ciAccess.subjects[0]: must be "pull_request", ' +
          '"environment:<name>", "ref:refs/heads/<branch>" or "ref:refs/tags/<tag>"',
      );
  });

  test("subjects: at least one, at most Entra ID's 20, no duplicates", () => {
    const prefix = 'Invalid configuration for stack "dev": s2s-auth:ciAccess.subjects';
    const many = (n: number) => Array.from({ length: n }, (_, i) => `environment:e${i}`);
    expect(parse(raw({ ciAccess: ci({ subjects: many(20) }) })).ciAccess!.subjects).toHaveLength(20);
    expect(rejection(raw({ ciAccess: ci({ subjects: many(21) }) })).message).toBe(
      `${prefix}: at most 20 subjects (Entra ID's limit of federated credentials per application)`,
    );
    expect(rejection(raw({ ciAccess: ci({ subjects: [] }) })).message).toBe(
      `${prefix}: must list at least one subject`,
    );
    expect(rejection(raw({ ciAccess: ci({ subjects: ["pull_request", "pull_request"] }) })).message).toBe(
      `${prefix}[1]: duplicate subject "pull_request"`,
    );
  });

  test("its calls follow the callers' rules", () => {
    const prefix = 'Invalid configuration for stack "dev": s2s-auth:ciAccess.calls';
    expect(rejection(raw({ ciAccess: ci({ calls: [] }) })).message).toBe(`${prefix}: must list at least one callee`);
    expect(rejection(raw({ ciAccess: ci({ calls: [{ callee: "stock" }] }) })).message).toBe(
      `${prefix}[0].callee: unknown callee "stock" (declared: the-callee)`,
    );
    expect(
      rejection(raw({ ciAccess: ci({ calls: [{ callee: "the-callee" }, { callee: "the-callee" }] }) })).message,
    ).toBe(`${prefix}[1].callee: "the-callee" is listed twice`);
    expect(rejection(raw({ ciAccess: ci({ token: "x" }) })).message).toBe(
      'Invalid configuration for stack "dev": s2s-auth:ciAccess: unknown key(s): token',
    );
  });
});
