// The program under Pulumi's mocks: what each environment declares, and how it is wired.
import { WELL_KNOWN_CLIENTS } from "../../model/index.ts";
import { stableGuid } from "../../components/stableId.ts";
import {
  baseConfig,
  DEPLOYER_OBJECT_ID,
  runProgram,
  TENANT_ID,
  type ProgramRun,
  type Registered,
} from "../fixtures/index.ts";

const T = {
  webApp: "azure-native:web:WebApp",
  ftp: "azure-native:web:WebAppFtpAllowed",
  scm: "azure-native:web:WebAppScmAllowed",
  auth: "azure-native:web:WebAppAuthSettingsV2",
  app: "azuread:index/application:Application",
  uri: "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri",
  sp: "azuread:index/servicePrincipal:ServicePrincipal",
  assignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  preAuthorized: "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized",
};

const AZURE_CLI = WELL_KNOWN_CLIENTS["azure-cli"]!;
const GROUP = "11111111-2222-3333-4444-555555555555";
const INVOKE_ROLE_ID = stableGuid("the-callee", "app-role", "Invoke");
// What the harness's mocks answer for the caller's identity (see test/fixtures/program.ts).
const CALLER_PRINCIPAL = "the-caller-site-principal";
const CALLER_CLIENT_ID = `${CALLER_PRINCIPAL}-client-id`;

function devConfig(): Record<string, unknown> {
  return {
    ...baseConfig("dev"),
    "s2s-auth:devAccess": { authorizedClients: ["azure-cli"], users: ["dev@contoso.com"], groups: [GROUP] },
  };
}

/** A nested input, e.g. `get(site, "siteConfig.minTlsVersion")`. */
function get(resource: Registered, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], resource.inputs);
}

let dev: ProgramRun;
let test_: ProgramRun;
let prod: ProgramRun;
beforeAll(async () => {
  dev = await runProgram("dev", devConfig());
  test_ = await runProgram("test", baseConfig("test"));
  prod = await runProgram("prod", baseConfig("prod"));
});

describe("the caller", () => {
  test("has a system-assigned identity and is told where its callee is", () => {
    const site = dev.named("the-caller-site");
    expect(site.parent).toMatch(/s2s-auth:app:CallerApp::the-caller$/);
    expect(get(site, "identity")).toEqual({ type: "SystemAssigned" });
    expect(get(site, "siteConfig.appSettings")).toEqual([
      { name: "S2S_THE_CALLEE_URL", value: "https://the-callee-site.azurewebsites.net" },
      { name: "S2S_THE_CALLEE_RESOURCE", value: "api://the-callee-app-client-id" },
    ]);
  });
});

describe("every site", () => {
  test.each(["the-caller-site", "the-callee-site"])("%s is hardened", (name) => {
    for (const run of [dev, test_, prod]) {
      const site = run.named(name);
      expect(site.inputs["httpsOnly"]).toBe(true);
      expect(get(site, "identity.type")).toBe("SystemAssigned");
      expect(get(site, "siteConfig.minTlsVersion")).toBe("1.2");
      expect(get(site, "siteConfig.scmMinTlsVersion")).toBe("1.2");
      expect(get(site, "siteConfig.ftpsState")).toBe("Disabled");
      expect(get(site, "siteConfig.remoteDebuggingEnabled")).toBe(false);
      expect(get(site, "siteConfig.cors.allowedOrigins")).toEqual([]);
      // Basic-auth publishing off for FTP and SCM, on this very site.
      for (const policy of [run.named(`${name}-ftp`), run.named(`${name}-scm`)]) {
        expect(policy.inputs).toMatchObject({ name, allow: false });
      }
    }
  });

  test("all sites share the stack's one plan", () => {
    const plans = new Set(dev.ofType(T.webApp).map((s) => s.inputs["serverFarmId"]));
    expect(plans).toEqual(new Set(["s2s-auth-plan-id"]));
  });
});

describe("the callee's EasyAuth", () => {
  test("requires a token for the callee and answers 401 without one", () => {
    const auth = dev.named("the-callee-auth");
    expect(auth.inputs).toMatchObject({
      name: "the-callee-site",
      platform: { enabled: true },
      globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "Return401" },
      httpSettings: { requireHttps: true },
    });
    const aad = get(auth, "identityProviders.azureActiveDirectory") as Record<string, unknown>;
    expect(aad).toMatchObject({
      enabled: true,
      registration: {
        clientId: "the-callee-app-client-id",
        openIdIssuer: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
      },
    });
    expect(get(auth, "identityProviders.azureActiveDirectory.validation.allowedAudiences")).toEqual([
      "api://the-callee-app-client-id",
      "the-callee-app-client-id",
    ]);
    expect(get(auth, "identityProviders.azureActiveDirectory.registration.clientSecretSettingName")).toBeUndefined();
  });

  test("admits only granted callers (and, in dev, the authorized developer tools)", () => {
    const allowed = (run: ProgramRun) =>
      get(
        run.named("the-callee-auth"),
        "identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy.allowedApplications",
      );
    expect(allowed(dev)).toEqual([AZURE_CLI, CALLER_CLIENT_ID].sort());
    expect(allowed(test_)).toEqual([CALLER_CLIENT_ID]);
    expect(allowed(prod)).toEqual([CALLER_CLIENT_ID]);
  });

  test("a callee nobody calls admits only itself, never everyone", async () => {
    const run = await runProgram("test", { ...baseConfig("test"), "s2s-auth:callers": [] });
    expect(
      get(
        run.named("the-callee-auth"),
        "identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy.allowedApplications",
      ),
    ).toEqual(["the-callee-app-client-id"]);
    expect(run.ofType(T.assignment)).toHaveLength(0);
  });
});

describe("the callee's app registration", () => {
  test("has implicit grant explicitly off, stable application roles and the deployer as owner", () => {
    for (const run of [dev, test_, prod]) {
      const app = run.named("the-callee-app");
      expect(app.inputs).toMatchObject({
        displayName: `the-callee-${run === dev ? "dev" : run === test_ ? "test" : "prod"}`,
        signInAudience: "AzureADMyOrg",
        owners: [DEPLOYER_OBJECT_ID],
        web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
      });
      expect(app.inputs["password"]).toBeUndefined();
      const roles = app.inputs["appRoles"] as Record<string, unknown>[];
      expect(roles).toHaveLength(1);
      expect(roles[0]).toMatchObject({ id: INVOKE_ROLE_ID, value: "Invoke", enabled: true });
      expect(roles[0]!["allowedMemberTypes"]).toContain("Application");
    }
  });

  test("keeps the identifier URI it does not own out of its diff (pulumi-azuread#1036)", () => {
    expect(dev.named("the-callee-app").ignoreChanges).toEqual(["identifierUris", "owners"]);
  });

  test("gets api://<clientId> as its Application ID URI", () => {
    expect(dev.named("the-callee-uri").inputs).toEqual({
      applicationId: "the-callee-app-id",
      identifierUri: "api://the-callee-app-client-id",
    });
  });

  test("has a service principal that requires assignment and is hidden from users", () => {
    const sp = dev.named("the-callee-sp");
    expect(sp.inputs).toMatchObject({
      clientId: "the-callee-app-client-id",
      appRoleAssignmentRequired: true,
      owners: [DEPLOYER_OBJECT_ID],
      featureTags: [{ hide: true, enterprise: true }],
    });
  });
});

describe("the grant", () => {
  test("assigns the caller's identity the callee's role on the callee's service principal", () => {
    for (const run of [dev, test_, prod]) {
      const grant = run.named("the-caller_to_the-callee-assignment");
      expect(grant.type).toBe(T.assignment);
      expect(grant.parent).toMatch(/s2s-auth:access:AppRoleGrant::the-caller_to_the-callee$/);
      expect(grant.inputs).toEqual({
        principalObjectId: CALLER_PRINCIPAL,
        resourceObjectId: "the-callee-sp-object-id",
        appRoleId: INVOKE_ROLE_ID,
      });
    }
  });

  test("each call gets the role it names, and each callee admits only its own callers", async () => {
    const run = await runProgram("test", {
      ...baseConfig("test"),
      "s2s-auth:callees": [{ name: "orders", appRoles: [{ value: "Read" }, { value: "Write" }] }, { name: "billing" }],
      "s2s-auth:callers": [
        { name: "web", calls: [{ callee: "orders", role: "Read" }, { callee: "billing" }] },
        { name: "worker", calls: [{ callee: "orders", role: "Write" }] },
      ],
    });
    const roleOf = (name: string) => run.named(name).inputs["appRoleId"];
    expect(roleOf("web_to_orders-assignment")).toBe(stableGuid("orders", "app-role", "Read"));
    expect(roleOf("worker_to_orders-assignment")).toBe(stableGuid("orders", "app-role", "Write"));
    expect(roleOf("web_to_billing-assignment")).toBe(stableGuid("billing", "app-role", "Invoke"));
    expect(run.ofType(T.assignment)).toHaveLength(3);
    const allowed = (callee: string) =>
      get(
        run.named(`${callee}-auth`),
        "identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy.allowedApplications",
      );
    expect(allowed("orders")).toEqual(["web-site-principal-client-id", "worker-site-principal-client-id"]);
    expect(allowed("billing")).toEqual(["web-site-principal-client-id"]);
    expect(get(run.named("web-site"), "siteConfig.appSettings")).toEqual([
      { name: "S2S_ORDERS_URL", value: "https://orders-site.azurewebsites.net" },
      { name: "S2S_ORDERS_RESOURCE", value: "api://orders-app-client-id" },
      { name: "S2S_BILLING_URL", value: "https://billing-site.azurewebsites.net" },
      { name: "S2S_BILLING_RESOURCE", value: "api://billing-app-client-id" },
    ]);
  });
});

test("grant names cannot collide, whatever the service names", async () => {
  const run = await runProgram("dev", {
    ...baseConfig("dev"),
    "s2s-auth:callees": [{ name: "ss" }, { name: "rr-to-ss" }],
    "s2s-auth:callers": [
      { name: "qq-to-rr", calls: [{ callee: "ss" }] },
      { name: "qq", calls: [{ callee: "rr-to-ss" }] },
    ],
  });
  const urns = run.resources.map((r) => r.urn);
  expect(new Set(urns).size).toBe(urns.length);
  expect(
    run
      .ofType(T.assignment)
      .map((r) => r.name)
      .sort(),
  ).toEqual(["qq-to-rr_to_ss-assignment", "qq_to_rr-to-ss-assignment"]);
});

describe("developer access", () => {
  test("dev: a delegated scope, the Azure CLI pre-authorized for it, developers assigned", () => {
    const app = dev.named("the-callee-app");
    const scopeId = stableGuid("the-callee", "scope", "user_impersonation");
    expect(get(app, "api.oauth2PermissionScopes")).toEqual([
      expect.objectContaining({ id: scopeId, value: "user_impersonation", type: "User", enabled: true }),
    ]);
    expect((app.inputs["appRoles"] as Record<string, unknown>[])[0]!["allowedMemberTypes"]).toEqual([
      "Application",
      "User",
    ]);

    expect(dev.ofType(T.preAuthorized).map((r) => r.inputs)).toEqual([
      { applicationId: "the-callee-app-id", authorizedClientId: AZURE_CLI, permissionIds: [scopeId] },
    ]);
    const people = dev.ofType(T.assignment).filter((r) => r.name.startsWith("the-callee-dev-access-"));
    expect(Object.fromEntries(people.map((r) => [r.name, r.inputs]))).toEqual({
      "the-callee-dev-access-user-dev@contoso.com-assignment": {
        principalObjectId: "object-id-of-dev@contoso.com",
        resourceObjectId: "the-callee-sp-object-id",
        appRoleId: INVOKE_ROLE_ID,
      },
      [`the-callee-dev-access-group-${GROUP}-assignment`]: {
        principalObjectId: GROUP,
        resourceObjectId: "the-callee-sp-object-id",
        appRoleId: INVOKE_ROLE_ID,
      },
    });
  });

  test("dev without named developers keeps the roles application-only", async () => {
    const run = await runProgram("dev", {
      ...baseConfig("dev"),
      "s2s-auth:devAccess": { authorizedClients: ["azure-cli"] },
    });
    expect(
      (run.named("the-callee-app").inputs["appRoles"] as Record<string, unknown>[])[0]!["allowedMemberTypes"],
    ).toEqual(["Application"]);
    expect(run.ofType(T.preAuthorized)).toHaveLength(1);
  });

  test.each(["test", "prod"])("%s: no scope, no pre-authorized client, no people, application-only roles", (env) => {
    const run = env === "test" ? test_ : prod;
    const app = run.named("the-callee-app");
    expect(get(app, "api.oauth2PermissionScopes")).toEqual([]);
    expect((app.inputs["appRoles"] as Record<string, unknown>[])[0]!["allowedMemberTypes"]).toEqual(["Application"]);
    expect(run.ofType(T.preAuthorized)).toHaveLength(0);
    expect(run.resources.filter((r) => r.type === "s2s-auth:access:DevAccess")).toHaveLength(0);
    expect(run.ofType(T.assignment).map((r) => r.name)).toEqual(["the-caller_to_the-callee-assignment"]);
  });
});

describe("protection", () => {
  test("every prod resource is protected from destroy", () => {
    expect(prod.resources.length).toBeGreaterThan(10);
    expect(prod.resources.filter((r) => !r.protect).map((r) => r.urn)).toEqual([]);
  });

  test("dev and test destroy cleanly: nothing protected", () => {
    expect([...dev.resources, ...test_.resources].filter((r) => r.protect).map((r) => r.urn)).toEqual([]);
  });
});

describe("stack outputs", () => {
  test("name each callee's URL, resource id and client id, the caller's identity and the tenant", () => {
    expect(prod.outputs).toEqual({
      environment: "prod",
      tenantId: TENANT_ID,
      resourceGroupName: "s2s-auth-rg-name",
      callees: {
        "the-callee": {
          url: "https://the-callee-site.azurewebsites.net",
          appName: "the-callee-site",
          applicationIdUri: "api://the-callee-app-client-id",
          clientId: "the-callee-app-client-id",
          servicePrincipalObjectId: "the-callee-sp-object-id",
        },
      },
      callers: {
        "the-caller": {
          url: "https://the-caller-site.azurewebsites.net",
          appName: "the-caller-site",
          principalId: CALLER_PRINCIPAL,
        },
      },
    });
  });

  test("ship code: the resource group and each site's name, what `az webapp deploy` takes", () => {
    for (const run of [dev, test_, prod]) {
      expect(run.outputs["resourceGroupName"]).toBe("s2s-auth-rg-name");
      expect(run.outputs["callees"]).toMatchObject({ "the-callee": { appName: "the-callee-site" } });
      expect(run.outputs["callers"]).toMatchObject({ "the-caller": { appName: "the-caller-site" } });
    }
  });

  test("no top-level output is left undefined: Pulumi would warn of it on every run", () => {
    for (const run of [dev, test_, prod]) {
      expect(Object.entries(run.outputs).filter(([, value]) => value === undefined)).toEqual([]);
    }
    expect(Object.keys(test_.outputs)).not.toContain("ciPrincipalClientId");
    expect(Object.keys(test_.outputs)).not.toContain("developerTokenCommands");
  });

  test("dev adds the command a developer runs for a token", () => {
    expect(dev.outputs["developerTokenCommands"]).toEqual({
      "the-callee": "az account get-access-token --resource api://the-callee-app-client-id",
    });
  });
});

describe("stable ids", () => {
  test("role and scope ids do not change between runs, stacks or unrelated settings", async () => {
    const again = await runProgram("dev-2", { ...devConfig(), "s2s-auth:appServicePlanSku": "S1" });
    const ids = (run: ProgramRun) => ({
      roles: run.named("the-callee-app").inputs["appRoles"],
      scopes: get(run.named("the-callee-app"), "api.oauth2PermissionScopes"),
      grants: run.ofType(T.assignment).map((r) => r.inputs["appRoleId"]),
    });
    expect(ids(again)).toEqual(ids(dev));
    expect(INVOKE_ROLE_ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("bad config", () => {
  test("fails before any resource is declared", async () => {
    await expect(
      runProgram("prod", { ...baseConfig("prod"), "s2s-auth:devAccess": { authorizedClients: ["azure-cli"] } }),
    ).rejects.toThrow(
      'Invalid configuration for stack "prod": s2s-auth:devAccess: developer access is allowed only when ' +
        'environment is "dev"',
    );
  });
});

describe("the entry point", () => {
  // @pulumi/pulumi's run script refuses a module with both a default export and named exports
  // ("expected entrypoint module to have either a default export or named exports but not
  // both", cmd/run/run.js): found when the real engine first ran index.ts.
  it("exports only the default main function", async () => {
    const entry = await import("../../index.ts");
    expect(Object.keys(entry).filter((key) => key !== "__esModule")).toEqual(["default"]);
    expect(typeof entry.default).toBe("function");
  });
});
