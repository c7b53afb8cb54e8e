// The callee (components/api/protectedApi.ts): its app registration, service principal and
// built-in authentication to the last input, and how allow() and seal() admit callers, used
// rightly (through the program) and wrongly (on its own).
import * as pulumi from "@pulumi/pulumi";
import type { WebAppAuthSettingsV2 } from "@pulumi/azure-native/web/index.js";
import { DEV_SCOPE } from "../../../model/index.ts";
import { Hosting } from "../../../components/hosting/hosting.ts";
import { ProtectedApi } from "../../../components/api/protectedApi.ts";
import { recordDeclarations, type DeclarationLog } from "../../fixtures/declarations.ts";
import { DEPLOYER_OBJECT_ID, runProgram, TENANT_ID, type ProgramRun } from "../../fixtures/index.ts";
import { recordProgram } from "../../../tools/plan/recorder.ts";
import { AZURE_CLI, INVOKE_ROLE_ID, SCOPE_ID, seedConfig } from "../seedStack.ts";
let n = 0;
function declareApi(): ProtectedApi {
  const hosting = new Hosting(`h-${++n}`, { location: "westeurope", sku: "B1", containerApps: false });
  return new ProtectedApi(`api`, {
    hosting,
    host: "appService",
    displayName: "api-dev",
    appRoles: [{ value: "Invoke", displayName: "Invoke", description: "Call it." }],
  });
}

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("on its own", () => {
  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({
          id: `${args.name}-id`,
          state: { ...args.inputs, identity: { principalId: `${args.name}-principal` } },
        }),
        call: () => ({ objectId: "o", clientId: "c", tenantId: "t" }),
      },
      "s2s-auth",
      "dev",
    );
  });

  test("allow() after seal() is a programming error: the allow-list is already settled", () => {
    const api = declareApi();
    const caller = { name: "late", identity: pulumi.output({ objectId: "o", clientId: "c" }) };
    api.seal();
    expect(() => api.allow(caller, "Invoke")).toThrow(
      'ProtectedApi "api": allow(late) after seal(); admit every caller first',
    );
  });

  test("seal() settles the allow-list once: a second call is a programming error", () => {
    const api = declareApi();
    api.seal();
    expect(() => api.seal()).toThrow('ProtectedApi "api": seal() must be called once');
  });

  test("allow() refuses a role the API does not declare", () => {
    const api = declareApi();
    const identity = pulumi.output({ objectId: "o", clientId: "c" });
    expect(() => api.allow({ name: "x", identity }, "Admin")).toThrow('api has no app role "Admin"');
    api.seal(); // an API left unsealed fails the run (tested under the recorder below)
  });

  test("an API without app roles is refused", () => {
    const hosting = new Hosting("h2", { location: "westeurope", sku: "B1", containerApps: false });
    expect(
      () => new ProtectedApi("bare", { hosting, host: "appService", displayName: "bare-dev", appRoles: [] }),
    ).toThrow("bare: at least one app role is required");
  });

  test("allow() names each grant after its grantee; seal() admits every grantee's client id, once", async () => {
    const api = declareApi();
    const grantee = (name: string, clientId: string) => ({
      name,
      identity: pulumi.output({ objectId: `${name}-object`, clientId }),
    });
    const grant = api.allow(grantee("zeta", "client-z"), "Invoke");
    api.allow(grantee("alpha", "client-a"), "Invoke");
    api.allow(grantee("again", "client-z"), "Invoke");
    api.seal();
    expect(await valueOf(grant.urn)).toMatch(/::zeta_to_api$/);
    const auth = api.authSettings as WebAppAuthSettingsV2;
    expect(await valueOf(auth.identityProviders)).toMatchObject({
      azureActiveDirectory: {
        validation: { defaultAuthorizationPolicy: { allowedApplications: ["client-a", "client-z"] } },
      },
    });
  });
});

describe("a program that never seals", () => {
  // Under the plan's recorder, which hears the run fail; on its own (above) nothing would.
  const LINE = "index.ts must seal every ProtectedApi";

  test("fails with one line naming the callee whose seal() index.ts forgot", async () => {
    const seal = jest.spyOn(ProtectedApi.prototype, "seal").mockImplementation(() => {});
    try {
      const failure = await runProgram("test", seedConfig("test", false)).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(pulumi.RunError);
      expect((failure as Error).message).toBe(`callee "the-callee": allow() was called but seal() never was; ${LINE}`);
      expect(seal).toHaveBeenCalledTimes(2);
    } finally {
      seal.mockRestore();
    }
  });

  test("names a callee nobody was allowed on, and a seal() after the run failed throws that same error", async () => {
    let api: ProtectedApi | undefined;
    const failure = await recordProgram({
      project: "s2s-auth",
      stack: "dev",
      config: {},
      program: () => {
        api = declareApi();
        return { url: api.url };
      },
    }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(pulumi.RunError);
    expect((failure as Error).message).toBe(`callee "api": seal() was never called; ${LINE}`);
    expect(() => api!.seal()).toThrow(failure as Error);
  });

  test("after such a failure, the sealed program records every callee's authentication again", async () => {
    const run = await runProgram("test", seedConfig("test", false));
    const auth = run.ofType("azure-native:web:WebAppAuthSettingsV2").map((r) => r.name);
    expect(auth.sort()).toEqual(["lonely-api-auth", "the-callee-auth"]);
  });
});

describe("in the program", () => {
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
  test("the dev seed stack: the callee's registration, service principal, EasyAuth, its caller's grant", async () => {
    declarations.clear();
    const run = await runProgram("dev", seedConfig("dev", true));
    const declared = declarations.all();

    // the callee's app registration: single tenant, v2 tokens, no implicit grant, stable role and scope ids
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

    // the callee's service principal requires an assignment and is hidden
    expect(input(run, "the-callee-sp")).toEqual({
      clientId: "the-callee-app-client-id",
      appRoleAssignmentRequired: true,
      owners: [DEPLOYER_OBJECT_ID],
      featureTags: [{ hide: true, enterprise: true }],
    });

    // EasyAuth returns 401 without a token for the callee, from a granted caller or tool
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

    // the caller's identity gets the callee's role
    expect(input(run, "the-caller_to_the-callee-assignment")).toEqual({
      principalObjectId: "the-caller-site-principal",
      resourceObjectId: "the-callee-sp-object-id",
      appRoleId: INVOKE_ROLE_ID,
    });
  });

  test("outside dev: app-only roles, no scope, no token command; a caller-less callee admits itself", async () => {
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
});
