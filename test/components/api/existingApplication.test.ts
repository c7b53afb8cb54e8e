// A callee on an app registration that already exists (`existingApplication: { clientId }`): the
// program reads the app and its service principal and creates nothing for them in Entra ID; its
// grants, pre-authorizations and EasyAuth use the existing ones; what it read is the callee's input
// and output, for the policy rules.
import { EXISTING, existingApp, existingConfig, runProgram, type ProgramRun } from "../../fixtures/index.ts";

const { CLIENT_ID, APP_OBJECT_ID, SP_OBJECT_ID, ROLE_ID, SCOPE_ID } = EXISTING;

describe("a callee on an existing app registration", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram("dev", existingConfig(), { call: existingApp() });
  });

  test("creates no app registration, service principal or identifier URI", () => {
    expect(run.ofType("azuread:index/application:Application")).toEqual([]);
    expect(run.ofType("azuread:index/servicePrincipal:ServicePrincipal")).toEqual([]);
    expect(run.ofType("azuread:index/applicationIdentifierUri:ApplicationIdentifierUri")).toEqual([]);
  });

  test("grants the caller and the developer the app's own role on its own service principal", () => {
    for (const name of [
      "the-caller_to_the-callee-assignment",
      "the-callee-dev-access-user-alice@contoso.com-assignment",
    ])
      expect(run.named(name).inputs).toMatchObject({ resourceObjectId: SP_OBJECT_ID, appRoleId: ROLE_ID });
  });

  test("pre-authorizes the Azure CLI for the app's own user_impersonation scope", () => {
    expect(run.named("the-callee-dev-access-client-azure-cli").inputs).toEqual({
      applicationId: `/applications/${APP_OBJECT_ID}`,
      authorizedClientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
      permissionIds: [SCOPE_ID],
    });
  });

  test("EasyAuth accepts the app's client id and Application ID URI", () => {
    const provider = (
      run.named("the-callee-auth").inputs["identityProviders"] as Record<string, Record<string, unknown>>
    )["azureActiveDirectory"];
    expect(provider).toMatchObject({
      registration: { clientId: CLIENT_ID },
      validation: { allowedAudiences: [`api://${CLIENT_ID}`, CLIENT_ID] },
    });
  });

  test("outputs the app's client id, URI and service principal; what was read is the callee's input and output", () => {
    expect(run.outputs["callees"]).toMatchObject({
      "the-callee": {
        clientId: CLIENT_ID,
        applicationIdUri: `api://${CLIENT_ID}`,
        servicePrincipalObjectId: SP_OBJECT_ID,
      },
    });
    const settings = {
      clientId: CLIENT_ID,
      appRoleAssignmentRequired: true,
      hiddenFromUsers: true,
      implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false },
      identifierUris: [`api://${CLIENT_ID}`],
    };
    expect(run.named("the-callee").inputs).toEqual({ existingApplication: settings });
    expect(run.registeredOutputs("the-callee")).toMatchObject({ existingApplication: settings });
  });

  test("uses the app's first identifier URI when api://<clientId> is not one of them", async () => {
    const other = await runProgram("test", existingConfig("test"), {
      call: existingApp({ identifierUris: ["api://orders.contoso.com"] }),
    });
    expect(other.outputs["callees"]).toMatchObject({ "the-callee": { applicationIdUri: "api://orders.contoso.com" } });
  });

  test("an app without the role config names fails the run with one line naming the app and its roles", async () => {
    await expect(
      runProgram("test", existingConfig("test"), { call: existingApp({ roles: { Reader: ROLE_ID } }) }),
    ).rejects.toThrow(
      `the-callee: app registration ${CLIENT_ID} (existingApplication) has no app role "Invoke" (it has: Reader)`,
    );
  });

  test("an app without an Application ID URI fails the run, saying which to set", async () => {
    await expect(
      runProgram("test", existingConfig("test"), { call: existingApp({ identifierUris: [] }) }),
    ).rejects.toThrow(
      `the-callee: app registration ${CLIENT_ID} (existingApplication) has no Application ID URI; set api://${CLIENT_ID}`,
    );
  });
});
