// Function App, Container App and external callers: the same guarantees on every host.
import { compareCodeUnits } from "../compare.ts";
import { HOST_STORAGE_ROLES, storageAccountName } from "../components/hosts/functionApp.ts";
import { stableGuid } from "../components/stableId.ts";
import { evaluate } from "../policy/rules/index.ts";
import { toPlanned } from "./policy/stacks.ts";
import { baseConfig, runProgram, SUBSCRIPTION_ID, type ProgramRun, type Registered } from "./harness.ts";

const EXTERNAL = "aaaaaaaa-1111-2222-3333-444444444444";

function get(resource: Registered, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], resource.inputs);
}
const allowedApplications = (auth: Registered) =>
  get(auth, "identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy.allowedApplications");

/** A Function App calls a Container App, which calls an App Service; a VM's identity calls the App Service too. */
const mixed = {
  ...baseConfig("test"),
  "s2s-auth:callees": [
    { name: "orders", host: "containerApp" },
    { name: "ledger", host: "appService" },
  ],
  "s2s-auth:callers": [
    { name: "ingest", host: "functionApp", calls: [{ callee: "orders" }] },
    { name: "orders", host: "containerApp", calls: [{ callee: "ledger" }] },
    { name: "batch-vm", host: "external", principalId: EXTERNAL, calls: [{ callee: "ledger" }] },
  ],
};

let run: ProgramRun;
beforeAll(async () => {
  run = await runProgram("test", mixed);
});

describe("Function App", () => {
  test("reaches its host storage with its identity: no keys, data roles on the account", () => {
    const account = run.named("ingest-storage");
    expect(account.inputs).toMatchObject({
      accountName: storageAccountName("s2s-auth-rg-id", "ingest"),
      allowSharedKeyAccess: false,
      allowBlobPublicAccess: false,
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
    });
    const settings = get(run.named("ingest-site"), "siteConfig.appSettings") as { name: string; value: string }[];
    expect(settings).toContainEqual({
      name: "AzureWebJobsStorage__accountName",
      value: storageAccountName("s2s-auth-rg-id", "ingest"),
    });
    expect(settings.map((s) => s.name)).not.toContain("AzureWebJobsStorage");
    const roles = run.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment");
    expect(
      roles
        .map((r) => r.inputs)
        .sort((a, b) => compareCodeUnits(String(a["roleDefinitionId"]), String(b["roleDefinitionId"]))),
    ).toEqual(
      Object.values(HOST_STORAGE_ROLES)
        .map((id) => ({
          principalId: "ingest-site-principal",
          principalType: "ServicePrincipal",
          roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${id}`,
          scope: "ingest-storage-id",
        }))
        .sort((a, b) => compareCodeUnits(a.roleDefinitionId, b.roleDefinitionId)),
    );
  });

  test("is a hardened Linux function app told where its callee is", () => {
    const site = run.named("ingest-site");
    expect(site.inputs).toMatchObject({
      kind: "functionapp,linux",
      httpsOnly: true,
      identity: { type: "SystemAssigned" },
    });
    expect(get(site, "siteConfig")).toMatchObject({
      minTlsVersion: "1.2",
      ftpsState: "Disabled",
      remoteDebuggingEnabled: false,
    });
    expect(run.named("ingest-site-ftp").inputs).toMatchObject({ allow: false });
    expect(run.named("ingest-site-scm").inputs).toMatchObject({ allow: false });
    expect(get(site, "siteConfig.appSettings")).toContainEqual({
      name: "S2S_ORDERS_URL",
      value: "https://orders-container.azurecontainerapps.io",
    });
  });

  test("as a callee, broken authentication is a policy finding", async () => {
    const fn = await runProgram("test", {
      ...baseConfig("test"),
      "s2s-auth:callees": [{ name: "the-callee", host: "functionApp" }],
    });
    const resources = fn.resources.map(toPlanned);
    expect(evaluate(resources, { environment: "test" })).toEqual([]);
    const auth = resources.find((r) => r.name === "the-callee-auth")!;
    (auth.inputs["globalValidation"] as Record<string, unknown>)["unauthenticatedClientAction"] = "AllowAnonymous";
    expect(evaluate(resources, { environment: "test" }).map((f) => f.policy)).toEqual(["callee-site-auth-required"]);
  });

  test("as a callee, gets EasyAuth v2 exactly like an App Service", async () => {
    const fn = await runProgram("test", {
      ...baseConfig("test"),
      "s2s-auth:callees": [{ name: "the-callee", host: "functionApp" }],
    });
    const auth = fn.named("the-callee-auth");
    expect(auth.type).toBe("azure-native:web:WebAppAuthSettingsV2");
    expect(auth.inputs).toMatchObject({
      name: "the-callee-site",
      platform: { enabled: true },
      globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "Return401" },
    });
    expect(allowedApplications(auth)).toEqual(["the-caller-site-principal-client-id"]);
  });
});

describe("Container App", () => {
  test("runs in the stack's one environment with HTTPS-only ingress and its own identity", () => {
    const envs = run.resources.filter((r) => r.type === "azure-native:app:ManagedEnvironment");
    expect(envs.map((e) => e.name)).toEqual(["s2s-auth-env"]);
    const app = run.named("orders-container");
    expect(app.inputs).toMatchObject({
      managedEnvironmentId: "s2s-auth-env-id",
      identity: { type: "SystemAssigned" },
      configuration: { ingress: { external: true, allowInsecure: false } },
    });
  });

  test("as a callee, its built-in authentication answers 401 and admits only its callers", () => {
    const auth = run.named("orders-auth");
    expect(auth.type).toBe("azure-native:app:ContainerAppsAuthConfig");
    expect(auth.inputs).toMatchObject({
      authConfigName: "current",
      containerAppName: "orders-container",
      platform: { enabled: true },
      globalValidation: { unauthenticatedClientAction: "Return401" },
      httpSettings: { requireHttps: true },
      identityProviders: {
        azureActiveDirectory: {
          enabled: true,
          registration: { clientId: "orders-app-client-id" },
          validation: { allowedAudiences: ["api://orders-app-client-id", "orders-app-client-id"] },
        },
      },
    });
    expect(allowedApplications(auth)).toEqual(["ingest-site-principal-client-id"]);
  });

  test("as a caller too, it is told where its own callee is (environment variables)", () => {
    expect(get(run.named("orders-container"), "template.containers")).toEqual([
      expect.objectContaining({
        env: [
          { name: "S2S_LEDGER_URL", value: "https://ledger-site.azurewebsites.net" },
          { name: "S2S_LEDGER_RESOURCE", value: "api://ledger-app-client-id" },
        ],
      }),
    ]);
  });
});

describe("mixed topology", () => {
  test("each hop is granted with the caller's own identity", () => {
    const grant = (name: string) => run.named(`${name}-assignment`).inputs;
    expect(grant("ingest_to_orders")).toEqual({
      principalObjectId: "ingest-site-principal",
      resourceObjectId: "orders-sp-object-id",
      appRoleId: stableGuid("orders", "app-role", "Invoke"),
    });
    expect(grant("orders_to_ledger")).toMatchObject({
      principalObjectId: "orders-container-principal",
      resourceObjectId: "ledger-sp-object-id",
    });
    expect(grant("batch-vm_to_ledger")).toMatchObject({
      principalObjectId: EXTERNAL,
      resourceObjectId: "ledger-sp-object-id",
    });
    expect(allowedApplications(run.named("ledger-auth"))).toEqual([
      `${EXTERNAL}-client-id`,
      "orders-container-principal-client-id",
    ]);
  });

  test("an external caller is only granted: a component naming it, no site", () => {
    const vm = run.named("batch-vm");
    expect(vm.type).toBe("s2s-auth:app:ExternalCaller");
    expect(run.resources.filter((r) => r.parent.endsWith("::batch-vm"))).toEqual([]);
    expect(run.outputs["callers"]).toMatchObject({ "batch-vm": { principalId: EXTERNAL } });
  });

  test("no secret, key or connection string in any input of any host", () => {
    const text = JSON.stringify(run.resources.map((r) => r.inputs));
    expect(text).not.toMatch(/password|secret|connectionstring|accountkey|sharedaccess/i);
  });

  test("stacks without container apps declare no Container Apps environment", async () => {
    const plain = await runProgram("test", baseConfig("test"));
    expect(plain.resources.filter((r) => r.type.startsWith("azure-native:app:"))).toEqual([]);
    expect(plain.resources.filter((r) => r.type.startsWith("azure-native:storage:"))).toEqual([]);
  });
});
