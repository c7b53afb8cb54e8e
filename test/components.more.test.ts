// The components' exact contract with Azure and Entra ID, to the last input: which resources a
// stack is made of (names are identity: a renamed resource is a replaced one) and the settings
// that keep a callee closed to strangers, checked whole rather than property by property. Written
// against the mutants Stryker found surviving the determinism and lifecycle tests, which
// compare runs with each other and so cannot see a change that hits both alike.
import { calleeAppSettings } from "../components/callerApp.ts";
import { DEV_SCOPE } from "../components/devAccess.ts";
import { SITE_RUNTIME } from "../components/hosts/appService.ts";
import { recordDeclarations, type DeclarationLog } from "./declarations.ts";
import { DEPLOYER_OBJECT_ID, runProgram, TENANT_ID, type ProgramRun } from "./harness.ts";

const GROUP = "11111111-2222-3333-4444-555555555555";
const USER_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const INVOKE_ROLE_ID = "13d0770a-6cd8-5c67-80fe-3e5a4cfd6f49"; // stableGuid("the-callee", "app-role", "Invoke")
const SCOPE_ID = "7c32bfe7-d384-54c6-b2db-b7b2f1c3278a"; // stableGuid("the-callee", "scope", DEV_SCOPE)

function seedConfig(environment: "dev" | "test", devAccess: boolean): Record<string, unknown> {
  return {
    "azure-native:location": "westeurope",
    "s2s-auth:environment": environment,
    "s2s-auth:callees": [{ name: "the-callee" }, ...(environment === "test" ? [{ name: "lonely-api" }] : [])],
    "s2s-auth:callers": [{ name: "the-caller", calls: [{ callee: "the-callee" }] }],
    ...(devAccess
      ? {
          "s2s-auth:devAccess": {
            authorizedClients: ["azure-cli"],
            users: ["dev@contoso.example", USER_ID],
            groups: [GROUP],
          },
        }
      : {}),
  };
}

describe("the stack the components declare", () => {
  let declarations: DeclarationLog;
  const input = (run: ProgramRun, name: string) => run.named(name).inputs;

  beforeAll(() => {
    declarations = recordDeclarations();
  });
  afterAll(() => {
    declarations.restore();
  });

  // One program run per test, checked from every side in that test: Stryker's per-test coverage
  // then knows exactly which test reaches which code (a run shared between tests would be
  // credited to the first of them only).
  test("the dev seed stack, resource by resource", async () => {
    declarations.clear();
    const run = await runProgram("dev", seedConfig("dev", true));
    const declared = declarations.all();

    // resource types, names and parents are exactly these (URNs chain every ancestor's type, as the engine's do)
    {
      const p = "urn:pulumi:dev::s2s-auth::";
      const [API, DEV, GRANT] = [
        "s2s-auth:api:ProtectedApi",
        "s2s-auth:access:DevAccess",
        "s2s-auth:access:AppRoleGrant",
      ];
      const ASSIGNMENT = "azuread:index/appRoleAssignment:AppRoleAssignment";
      const PRE_AUTHORIZED = "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized";
      expect(run.resources.map((r) => r.urn).sort()).toEqual(
        [
          "s2s-auth:api:ProtectedApi$azure-native:web:WebApp::the-callee-site",
          "s2s-auth:api:ProtectedApi$azure-native:web:WebAppAuthSettingsV2::the-callee-auth",
          "s2s-auth:api:ProtectedApi$azure-native:web:WebAppFtpAllowed::the-callee-site-ftp",
          "s2s-auth:api:ProtectedApi$azure-native:web:WebAppScmAllowed::the-callee-site-scm",
          "s2s-auth:api:ProtectedApi$azuread:index/application:Application::the-callee-app",
          "s2s-auth:api:ProtectedApi$azuread:index/applicationIdentifierUri:ApplicationIdentifierUri::the-callee-uri",
          "s2s-auth:api:ProtectedApi$azuread:index/servicePrincipal:ServicePrincipal::the-callee-sp",
          `${API}$${GRANT}$${ASSIGNMENT}::the-caller_to_the-callee-assignment`,
          "s2s-auth:api:ProtectedApi$s2s-auth:access:AppRoleGrant::the-caller_to_the-callee",
          `${API}$${DEV}$${PRE_AUTHORIZED}::the-callee-dev-access-client-azure-cli`,
          `${API}$${DEV}$${GRANT}$${ASSIGNMENT}::the-callee-dev-access-group-${GROUP}-assignment`,
          `${API}$${DEV}$${GRANT}$${ASSIGNMENT}::the-callee-dev-access-user-${USER_ID}-assignment`,
          `${API}$${DEV}$${GRANT}$${ASSIGNMENT}::the-callee-dev-access-user-dev@contoso.example-assignment`,
          `${API}$${DEV}$${GRANT}::the-callee-dev-access-group-${GROUP}`,
          `${API}$${DEV}$${GRANT}::the-callee-dev-access-user-${USER_ID}`,
          `${API}$${DEV}$${GRANT}::the-callee-dev-access-user-dev@contoso.example`,
          "s2s-auth:api:ProtectedApi$s2s-auth:access:DevAccess::the-callee-dev-access",
          "s2s-auth:api:ProtectedApi::the-callee",
          "s2s-auth:app:CallerApp$azure-native:web:WebApp::the-caller-site",
          "s2s-auth:app:CallerApp$azure-native:web:WebAppFtpAllowed::the-caller-site-ftp",
          "s2s-auth:app:CallerApp$azure-native:web:WebAppScmAllowed::the-caller-site-scm",
          "s2s-auth:app:CallerApp::the-caller",
          "s2s-auth:hosting:Hosting$azure-native:resources:ResourceGroup::s2s-auth-rg",
          "s2s-auth:hosting:Hosting$azure-native:web:AppServicePlan::s2s-auth-plan",
          "s2s-auth:hosting:Hosting::s2s-auth",
        ].map((urn) => p + urn),
      );
    }

    // one Linux plan of the configured SKU in the stack's resource group
    {
      expect(input(run, "s2s-auth-rg")).toEqual({ location: "westeurope" });
      expect(input(run, "s2s-auth-plan")).toEqual({
        resourceGroupName: "s2s-auth-rg-name",
        location: "westeurope",
        kind: "linux",
        reserved: true,
        sku: { name: "B1" },
      });
    }

    // every site is hardened, and a caller's settings say where its callees are
    {
      const hardened = (appSettings: unknown[]) => ({
        resourceGroupName: "s2s-auth-rg-name",
        location: "westeurope",
        serverFarmId: "s2s-auth-plan-id",
        kind: "app,linux",
        httpsOnly: true,
        identity: { type: "SystemAssigned" },
        siteConfig: {
          linuxFxVersion: "NODE|22-lts",
          minTlsVersion: "1.2",
          scmMinTlsVersion: "1.2",
          ftpsState: "Disabled",
          remoteDebuggingEnabled: false,
          http20Enabled: true,
          cors: { allowedOrigins: [] },
          appSettings,
        },
      });
      expect(SITE_RUNTIME).toBe("NODE|22-lts");
      expect(input(run, "the-callee-site")).toMatchObject(hardened([]));
      expect(input(run, "the-caller-site")).toMatchObject(
        hardened([
          { name: "S2S_THE_CALLEE_URL", value: "https://the-callee-site.azurewebsites.net" },
          { name: "S2S_THE_CALLEE_RESOURCE", value: "api://the-callee-app-client-id" },
        ]),
      );
      for (const site of ["the-callee-site", "the-caller-site"]) {
        for (const suffix of ["ftp", "scm"]) {
          expect(input(run, `${site}-${suffix}`)).toEqual({
            resourceGroupName: "s2s-auth-rg-name",
            name: site,
            allow: false,
          });
        }
      }
    }

    // app setting names are the callee's name in upper case, hyphens as underscores
    {
      expect(calleeAppSettings([{ name: "orders-api-v2", url: "u", resourceId: "r" }])).toEqual([
        { name: "S2S_ORDERS_API_V2_URL", value: "u" },
        { name: "S2S_ORDERS_API_V2_RESOURCE", value: "r" },
      ]);
    }

    // the callee's app registration: single tenant, v2 tokens, no implicit grant, stable role and scope ids
    {
      expect(input(run, "the-callee-app")).toEqual({
        displayName: "the-callee-dev",
        signInAudience: "AzureADMyOrg",
        owners: [DEPLOYER_OBJECT_ID],
        appRoles: [
          {
            id: INVOKE_ROLE_ID,
            value: "Invoke",
            displayName: "Invoke",
            description: "Call the-callee as Invoke.",
            allowedMemberTypes: ["Application", "User"],
            enabled: true,
          },
        ],
        api: {
          requestedAccessTokenVersion: 2,
          oauth2PermissionScopes: [
            {
              id: SCOPE_ID,
              value: DEV_SCOPE,
              type: "User",
              enabled: true,
              adminConsentDisplayName: "Call the-callee as the signed-in developer",
              adminConsentDescription:
                "Lets developer tools call the-callee on behalf of the signed-in developer (dev only).",
              userConsentDisplayName: "Call the-callee as you",
              userConsentDescription: "Lets developer tools call the-callee on your behalf (dev only).",
            },
          ],
        },
        web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
      });
      expect(DEV_SCOPE).toBe("user_impersonation");
      // The identifier URI belongs to ApplicationIdentifierUri; the app must not fight over it.
      expect(declared.find((d) => d.name === "the-callee-app")!.ignoreChanges).toEqual(["identifierUris", "owners"]);
      expect(input(run, "the-callee-uri")).toEqual({
        applicationId: "the-callee-app-id",
        identifierUri: "api://the-callee-app-client-id",
      });
    }

    // the callee's service principal requires an assignment and is hidden
    {
      expect(input(run, "the-callee-sp")).toEqual({
        clientId: "the-callee-app-client-id",
        appRoleAssignmentRequired: true,
        owners: [DEPLOYER_OBJECT_ID],
        featureTags: [{ hide: true, enterprise: true }],
      });
    }

    // EasyAuth returns 401 without a token for the callee, from a granted caller or tool
    {
      expect(input(run, "the-callee-auth")).toEqual({
        name: "the-callee-site",
        resourceGroupName: "s2s-auth-rg-name",
        platform: { enabled: true },
        globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "Return401" },
        httpSettings: { requireHttps: true },
        login: { tokenStore: { enabled: false } },
        identityProviders: {
          azureActiveDirectory: {
            enabled: true,
            registration: {
              clientId: "the-callee-app-client-id",
              openIdIssuer: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
            },
            validation: {
              allowedAudiences: ["api://the-callee-app-client-id", "the-callee-app-client-id"],
              defaultAuthorizationPolicy: { allowedApplications: [AZURE_CLI, "the-caller-site-principal-client-id"] },
            },
          },
        },
      });
    }

    // grants: the caller's identity, and each developer, get the callee's role
    {
      const grant = (name: string, principalObjectId: string) =>
        expect(input(run, `${name}-assignment`)).toEqual({
          principalObjectId,
          resourceObjectId: "the-callee-sp-object-id",
          appRoleId: INVOKE_ROLE_ID,
        });
      grant("the-caller_to_the-callee", "the-caller-site-principal");
      grant("the-callee-dev-access-user-dev@contoso.example", "object-id-of-dev@contoso.example");
      grant(`the-callee-dev-access-user-${USER_ID}`, USER_ID);
      grant(`the-callee-dev-access-group-${GROUP}`, GROUP);
      expect(input(run, "the-callee-dev-access-client-azure-cli")).toEqual({
        applicationId: "the-callee-app-id",
        authorizedClientId: AZURE_CLI,
        permissionIds: [SCOPE_ID],
      });
    }

    // outputs: where everything is, and the developer's token command
    {
      expect(run.outputs).toEqual({
        environment: "dev",
        tenantId: TENANT_ID,
        callees: {
          "the-callee": {
            url: "https://the-callee-site.azurewebsites.net",
            resourceId: "api://the-callee-app-client-id",
            clientId: "the-callee-app-client-id",
            servicePrincipalObjectId: "the-callee-sp-object-id",
          },
        },
        callers: {
          "the-caller": { url: "https://the-caller-site.azurewebsites.net", principalId: "the-caller-site-principal" },
        },
        developerTokenCommands: {
          "the-callee": "az account get-access-token --resource api://the-callee-app-client-id",
        },
      });
    }

    // what each component registers as its outputs (kept in the stack's state)
    expect(declarations.componentOutputs()).toMatchObject({
      "s2s-auth": ["planId", "resourceGroupName"],
      "the-callee": ["clientId", "resourceId", "url"],
      "the-caller": ["principalId", "url"],
      "the-caller_to_the-callee": ["assignmentId"],
      "the-callee-dev-access": [],
    });
  });

  test("outside dev: app-only roles, no scope, no token command; a caller-less callee admits only itself", async () => {
    const run = await runProgram("test", seedConfig("test", false));
    const app = input(run, "the-callee-app") as {
      appRoles: { allowedMemberTypes: string[] }[];
      api: { oauth2PermissionScopes: unknown[] };
    };
    expect(app.appRoles.map((r) => r.allowedMemberTypes)).toEqual([["Application"]]);
    expect(app.api.oauth2PermissionScopes).toEqual([]);
    expect(run.outputs["developerTokenCommands"]).toBeUndefined();
    expect(run.ofType("s2s-auth:access:DevAccess")).toEqual([]);
    const policy = (name: string) =>
      (
        input(run, name) as {
          identityProviders: { azureActiveDirectory: { validation: { defaultAuthorizationPolicy: unknown } } };
        }
      ).identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy;
    expect(policy("the-callee-auth")).toEqual({ allowedApplications: ["the-caller-site-principal-client-id"] });
    expect(policy("lonely-api-auth")).toEqual({ allowedApplications: ["lonely-api-app-client-id"] });
  });

  test("developer access without people keeps roles application-only", async () => {
    const run = await runProgram("dev", {
      ...seedConfig("dev", false),
      "s2s-auth:devAccess": { authorizedClients: ["visual-studio", "AAAAAAAA-0000-4000-8000-000000000000"] },
    });
    const app = input(run, "the-callee-app") as { appRoles: { allowedMemberTypes: string[] }[] };
    expect(app.appRoles.map((r) => r.allowedMemberTypes)).toEqual([["Application"]]);
    expect(
      run
        .ofType("azuread:index/applicationPreAuthorized:ApplicationPreAuthorized")
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "the-callee-dev-access-client-aaaaaaaa-0000-4000-8000-000000000000",
      "the-callee-dev-access-client-visual-studio",
    ]);
    expect(run.ofType("azuread:index/appRoleAssignment:AppRoleAssignment").map((r) => r.name)).toEqual([
      "the-caller_to_the-callee-assignment",
    ]);
  });

  test("a developer named by object id alone opens the roles to people", async () => {
    const run = await runProgram("dev", { ...seedConfig("dev", false), "s2s-auth:devAccess": { users: [USER_ID] } });
    const roles = input(run, "the-callee-app")["appRoles"] as { allowedMemberTypes: string[] }[];
    expect(roles.map((r) => r.allowedMemberTypes)).toEqual([["Application", "User"]]);
  });

  test("developers are assigned the callee's first role", async () => {
    const run = await runProgram("dev", {
      ...seedConfig("dev", false),
      "s2s-auth:callees": [{ name: "the-callee", appRoles: [{ value: "Second.First" }, { value: "Other" }] }],
      "s2s-auth:callers": [{ name: "the-caller", calls: [{ callee: "the-callee", role: "Other" }] }],
      "s2s-auth:devAccess": { groups: [GROUP] },
    });
    const ids = Object.fromEntries(
      (input(run, "the-callee-app")["appRoles"] as { id: string; value: string }[]).map((r) => [r.value, r.id]),
    );
    expect(input(run, `the-callee-dev-access-group-${GROUP}-assignment`)["appRoleId"]).toBe(ids["Second.First"]);
    // a group alone is enough to open the roles to people
    const roles = input(run, "the-callee-app")["appRoles"] as { allowedMemberTypes: string[] }[];
    expect(roles.map((r) => r.allowedMemberTypes)).toEqual([
      ["Application", "User"],
      ["Application", "User"],
    ]);
    expect(input(run, "the-caller_to_the-callee-assignment")["appRoleId"]).toBe(ids["Other"]);
  });
});
