// The whole program (index.ts) on the dev seed stack: exactly which resources it declares, under
// which parents (names are identity: a renamed resource is a replaced one), the stack outputs,
// and what each component keeps in the stack's state. Checked whole rather than property by
// property, so a change that hits every run alike still fails here.
import { runProgram, TENANT_ID } from "../fixtures/index.ts";
import { GROUP, seedConfig, USER_ID } from "../components/seedStack.ts";

test("the dev seed stack: every resource and parent, the outputs, each component's registered outputs", async () => {
  const run = await runProgram("dev", seedConfig("dev", true));

  // resource types, names and parents are exactly these (URNs chain every ancestor's type, as the engine's do)
  const p = "urn:pulumi:dev::s2s-auth::";
  const [API, DEV, GRANT] = ["s2s-auth:api:ProtectedApi", "s2s-auth:access:DevAccess", "s2s-auth:access:AppRoleGrant"];
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

  // outputs: where everything is, and the developer's token command
  expect(run.outputs).toEqual({
    environment: "dev",
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
        principalId: "the-caller-site-principal",
      },
    },
    developerTokenCommands: {
      "the-callee": "az account get-access-token --resource api://the-callee-app-client-id",
    },
  });

  // what each component registers as its outputs (kept in the stack's state)
  const registered = (name: string) => Object.keys(run.registeredOutputs(name) ?? {}).sort();
  expect(
    Object.fromEntries(
      ["s2s-auth", "the-callee", "the-caller", "the-caller_to_the-callee", "the-callee-dev-access"].map((name) => [
        name,
        registered(name),
      ]),
    ),
  ).toEqual({
    "s2s-auth": ["planId", "resourceGroupName"],
    "the-callee": ["applicationIdUri", "clientId", "url"],
    "the-caller": ["principalId", "url"],
    "the-caller_to_the-callee": ["assignmentId"],
    "the-callee-dev-access": [],
  });
});
