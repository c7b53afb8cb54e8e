// config.ts: parseStackConfig's defaults, normalization and the ConfigError each bad value gives.
import { configErrorFrom } from "../fixtures/configError.ts";
import { type ConfigError, DEFAULT_APP_ROLE, formatKeyPath, parseStackConfig } from "../../config.ts";
import { WELL_KNOWN_CLIENTS } from "../../model/index.ts";

const seed = () => ({
  environment: "dev",
  callees: [{ name: "the-callee" }],
  callers: [{ name: "the-caller", calls: [{ callee: "the-callee" }] }],
});

function errorOf(
  raw: Record<string, unknown>,
  stack = "dev",
  location: { value?: string } = { value: "westeurope" },
): ConfigError {
  return configErrorFrom(() => parseStackConfig(stack, raw, location.value));
}

describe("valid config", () => {
  test("the seed pair gets the default role, SKU and no developer access", () => {
    const cfg = parseStackConfig("dev", seed(), "westeurope");
    expect(cfg).toEqual({
      stack: "dev",
      environment: "dev",
      location: "westeurope",
      appServicePlanSku: "B1",
      callees: [
        {
          name: "the-callee",
          host: "appService",
          appRoles: [
            { value: DEFAULT_APP_ROLE, displayName: DEFAULT_APP_ROLE, description: "Call the-callee as Invoke." },
          ],
        },
      ],
      callers: [
        {
          name: "the-caller",
          host: "appService",
          principalId: undefined,
          calls: [{ callee: "the-callee", role: DEFAULT_APP_ROLE }],
        },
      ],
      devAccess: undefined,
      owners: [],
    });
  });

  test("a call names one of several roles; display names and descriptions are kept", () => {
    const cfg = parseStackConfig(
      "dev",
      {
        ...seed(),
        callees: [
          {
            name: "the-callee",
            appRoles: [{ value: "Read", displayName: "Reader", description: "Reads." }, { value: "Write" }],
          },
        ],
        callers: [{ name: "the-caller", calls: [{ callee: "the-callee", role: "Write" }] }],
      },
      "westeurope",
    );
    expect(cfg.callees[0]!.appRoles[0]).toEqual({ value: "Read", displayName: "Reader", description: "Reads." });
    expect(cfg.callers[0]!.calls[0]!.role).toBe("Write");
  });

  test("developer access resolves well-known clients and splits users into UPNs and object ids", () => {
    const cfg = parseStackConfig(
      "dev",
      {
        ...seed(),
        devAccess: {
          authorizedClients: ["azure-cli", "AAAAAAAA-0000-0000-0000-000000000001"],
          users: ["dev@contoso.com", "BBBBBBBB-0000-0000-0000-000000000002"],
          groups: ["CCCCCCCC-0000-0000-0000-000000000003"],
        },
      },
      "westeurope",
    );
    expect(cfg.devAccess).toEqual({
      authorizedClients: [WELL_KNOWN_CLIENTS["azure-cli"], "aaaaaaaa-0000-0000-0000-000000000001"],
      userPrincipalNames: ["dev@contoso.com"],
      userObjectIds: ["bbbbbbbb-0000-0000-0000-000000000002"],
      groupObjectIds: ["cccccccc-0000-0000-0000-000000000003"],
    });
  });

  test("the Azure CLI's well-known client id is the one Microsoft publishes", () => {
    expect(WELL_KNOWN_CLIENTS["azure-cli"]).toBe("04b07795-8ddb-461a-bbee-02f9e1bf7b46");
  });
});

describe("bad config fails with one line naming the stack and the key", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["missing environment", { callees: seed().callees }, "s2s-auth:environment", /required/],
    ["unknown environment", { ...seed(), environment: "staging" }, "s2s-auth:environment", /"dev", "test", "prod"/],
    ["unknown top-level key", { ...seed(), calees: [] }, "s2s-auth:calees", /unknown key/],
    [
      "unknown nested key",
      { ...seed(), callees: [{ name: "the-callee", roles: [] }] },
      "s2s-auth:callees[0]",
      /unknown key\(s\): roles/,
    ],
    [
      "callees not a list",
      { ...seed(), callees: "the-callee" },
      "s2s-auth:callees",
      /must be an array, not string "the-callee"/,
    ],
    ["no callees", { ...seed(), callees: [], callers: [] }, "s2s-auth:callees", /at least one callee/],
    ["name with capitals", { ...seed(), callees: [{ name: "The-Callee" }] }, "s2s-auth:callees[0].name", /lowercase/],
    [
      "name ending with a hyphen",
      { ...seed(), callees: [{ name: "callee-" }] },
      "s2s-auth:callees[0].name",
      /lowercase/,
    ],
    ["name too long", { ...seed(), callees: [{ name: "a".repeat(41) }] }, "s2s-auth:callees[0].name", /2-40/],
    [
      "name with a double hyphen",
      { ...seed(), callees: [{ name: "the--callee" }] },
      "s2s-auth:callees[0].name",
      /'--'/,
    ],
    [
      "duplicate callee",
      { ...seed(), callees: [{ name: "the-callee" }, { name: "the-callee" }] },
      "s2s-auth:callees[1].name",
      /duplicate callee/,
    ],
    [
      "duplicate caller",
      { ...seed(), callers: [seed().callers[0], seed().callers[0]] },
      "s2s-auth:callers[1].name",
      /duplicate caller/,
    ],
    [
      "a service that is caller and callee on two hosts",
      {
        ...seed(),
        callees: [{ name: "the-callee" }, { name: "middle", host: "containerApp" }],
        callers: [{ name: "middle", calls: [{ callee: "the-callee" }] }],
      },
      "s2s-auth:callers[0].host",
      /also a callee hosted on containerApp/,
    ],
    [
      "a call cycle through services that are both",
      {
        ...seed(),
        callees: [{ name: "front" }, { name: "back" }],
        callers: [
          { name: "front", calls: [{ callee: "back" }] },
          { name: "back", calls: [{ callee: "front" }] },
        ],
      },
      "s2s-auth:callers[0].calls",
      /call cycle front → back → front/,
    ],
    [
      "unknown host",
      { ...seed(), callees: [{ name: "the-callee", host: "vm" }] },
      "s2s-auth:callees[0].host",
      /"appService", "functionApp", "containerApp"/,
    ],
    [
      "external callee",
      { ...seed(), callees: [{ name: "the-callee", host: "external" }] },
      "s2s-auth:callees[0].host",
      /must be one of/,
    ],
    [
      "external caller without its identity",
      { ...seed(), callers: [{ name: "vm", host: "external", calls: [{ callee: "the-callee" }] }] },
      "s2s-auth:callers[0].principalId",
      /required with host external/,
    ],
    [
      "hosted caller with a principal id",
      {
        ...seed(),
        callers: [
          { name: "web", principalId: "aaaaaaaa-0000-0000-0000-000000000001", calls: [{ callee: "the-callee" }] },
        ],
      },
      "s2s-auth:callers[0].principalId",
      /only for host external/,
    ],
    [
      "external caller with a malformed principal id",
      {
        ...seed(),
        callers: [{ name: "vm", host: "external", principalId: "vm-1", calls: [{ callee: "the-callee" }] }],
      },
      "s2s-auth:callers[0].principalId",
      /GUID/,
    ],
    [
      "unknown callee in calls",
      { ...seed(), callers: [{ name: "the-caller", calls: [{ callee: "the-callee" }, { callee: "nobody" }] }] },
      "s2s-auth:callers[0].calls[1].callee",
      /unknown callee "nobody"/,
    ],
    [
      "callee listed twice in calls",
      { ...seed(), callers: [{ name: "the-caller", calls: [{ callee: "the-callee" }, { callee: "the-callee" }] }] },
      "s2s-auth:callers[0].calls[1].callee",
      /listed twice/,
    ],
    [
      "unknown role",
      { ...seed(), callers: [{ name: "the-caller", calls: [{ callee: "the-callee", role: "Admin" }] }] },
      "s2s-auth:callers[0].calls[0].role",
      /unknown role "Admin".*Invoke/,
    ],
    [
      "role required when the callee has several",
      { ...seed(), callees: [{ name: "the-callee", appRoles: [{ value: "Read" }, { value: "Write" }] }] },
      "s2s-auth:callers[0].calls[0].role",
      /several roles \(Read, Write\)/,
    ],
    [
      "duplicate role",
      { ...seed(), callees: [{ name: "the-callee", appRoles: [{ value: "Read" }, { value: "Read" }] }] },
      "s2s-auth:callees[0].appRoles[1].value",
      /duplicate role/,
    ],
    [
      "role with a space",
      { ...seed(), callees: [{ name: "the-callee", appRoles: [{ value: "Do it" }] }] },
      "s2s-auth:callees[0].appRoles[0].value",
      /letters/,
    ],
    [
      "caller without calls",
      { ...seed(), callers: [{ name: "the-caller", calls: [] }] },
      "s2s-auth:callers[0].calls",
      /at least one callee/,
    ],
    [
      "malformed group GUID",
      { ...seed(), devAccess: { groups: ["not-a-guid"] } },
      "s2s-auth:devAccess.groups[0]",
      /GUID/,
    ],
    [
      "malformed UPN",
      { ...seed(), devAccess: { users: ["developer"] } },
      "s2s-auth:devAccess.users[0]",
      /user principal name/,
    ],
    [
      "unknown client name",
      { ...seed(), devAccess: { authorizedClients: ["postman"] } },
      "s2s-auth:devAccess.authorizedClients[0]",
      /azure-cli/,
    ],
    [
      "duplicate client, by name and by id",
      { ...seed(), devAccess: { authorizedClients: ["azure-cli", "04B07795-8DDB-461A-BBEE-02F9E1BF7B46"] } },
      "s2s-auth:devAccess.authorizedClients[1]",
      /duplicate client/,
    ],
    [
      "devAccess in prod",
      { ...seed(), environment: "prod", devAccess: { authorizedClients: ["azure-cli"] } },
      "s2s-auth:devAccess",
      /only when environment is "dev".*"prod"/,
    ],
    ["devAccess in test", { ...seed(), environment: "test", devAccess: {} }, "s2s-auth:devAccess", /"test"/],
    ["bad SKU", { ...seed(), appServicePlanSku: "big one" }, "s2s-auth:appServicePlanSku", /SKU/],
  ];

  test.each(cases)("%s", (_, raw, key, problem) => {
    const err = errorOf(raw, "dev");
    expect(err.key).toBe(key);
    expect(err.message).toContain(`Invalid configuration for stack "dev": ${key}: `);
    expect(err.message).toMatch(problem);
    expect(err.message).not.toContain("\n");
  });

  test("a client named like an Object.prototype member is refused, not crashed on", () => {
    const err = errorOf({ ...seed(), devAccess: { authorizedClients: ["toString"] } });
    expect(err.key).toBe("s2s-auth:devAccess.authorizedClients[0]");
  });

  test("a key with a line break still gives one line", () => {
    const err = errorOf({ ...seed(), callees: [{ name: "the-callee", "note\nhere": 1 }] });
    expect(err.message).not.toMatch(/[\n\r]/);
    expect(err.message).toContain("note\\u000ahere");
  });

  test("a missing location names the provider key", () => {
    const err = errorOf(seed(), "dev", {});
    expect(err.key).toBe("azure-native:location");
  });

  test("the stack's name is in the message", () => {
    expect(errorOf({ ...seed(), environment: "qa" }, "team-a-qa").message).toMatch(
      /^Invalid configuration for stack "team-a-qa": /,
    );
  });

  test("several problems are counted, the first is named", () => {
    const err = errorOf({ ...seed(), environment: "qa", appServicePlanSku: "x y" });
    expect(err.message).toMatch(/\(and 1 more problem\)$/);
  });
});

test("key paths are written the way Pulumi config is", () => {
  expect(formatKeyPath(["callers", 0, "calls", 1, "callee"])).toBe("s2s-auth:callers[0].calls[1].callee");
  expect(formatKeyPath([])).toBe("s2s-auth");
});
