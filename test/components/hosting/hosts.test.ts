// Every host (components/hosting/): App Service, Function App and Container App services and
// external callers, the same guarantees on each. Whole-input checks run their own program in
// each test, so Stryker's per-test coverage can tell which test judges which mutant (a run in
// beforeAll would make every mutant of these files "static"); expected values there are
// literals, not the modules' constants, so a mutated constant fails too. The checks by behaviour
// share one run of a mixed stack, made by the first of them.
import * as pulumi from "@pulumi/pulumi";
import { compareCodeUnits } from "../../../model/compare.ts";
import { SITE_RUNTIME } from "../../../components/hosting/appService.ts";
import { containerApp } from "../../../components/hosting/containerApp.ts";
import { HOST_STORAGE_ROLES, storageAccountName } from "../../../components/hosting/functionApp.ts";
import type { Hosting } from "../../../components/hosting/hosting.ts";
import { hostedApp } from "../../../components/hosting/hosts.ts";
import { stableGuid } from "../../../components/stableId.ts";
import { evaluate } from "../../../policy/rules/index.ts";
import { toPlanned } from "../../policy/stacks.ts";
import { baseConfig, runProgram, SUBSCRIPTION_ID, type ProgramRun, type Registered } from "../../fixtures/index.ts";
import { seedConfig } from "../seedStack.ts";

const EXTERNAL = "aaaaaaaa-1111-2222-3333-444444444444";

const TENANT_ISSUER = "https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/v2.0";
const DEPLOYER = "00000000-0000-0000-0000-0000000000bb";
const ROLE_DEFINITIONS =
  "/subscriptions/00000000-0000-0000-0000-0000000000cc/providers/Microsoft.Authorization/roleDefinitions";

/** Every input of a container app, with the settings its code reads. */
function containerAppInputs(env: { name: string; value: string }[], containerAppName = "orders") {
  return {
    containerAppName,
    resourceGroupName: "s2s-auth-rg-name",
    location: "westeurope",
    managedEnvironmentId: "s2s-auth-env-id",
    identity: { type: "SystemAssigned" },
    configuration: {
      activeRevisionsMode: "Single",
      ingress: { external: true, targetPort: 80, allowInsecure: false, transport: "auto" },
    },
    template: {
      containers: [
        {
          name: "app",
          image: "mcr.microsoft.com/k8se/quickstart:latest",
          env,
          resources: { cpu: 0.25, memory: "0.5Gi" },
        },
      ],
      scale: { minReplicas: 0, maxReplicas: 1 },
    },
  };
}

/** Every input of a function app's site, with the settings after the Functions host's own. */
function functionSiteInputs(accountName: string, settings: { name: string; value: string }[]) {
  return {
    clientAffinityEnabled: false,
    httpsOnly: true,
    hyperV: false,
    identity: { type: "SystemAssigned" },
    isXenon: false,
    kind: "functionapp,linux",
    location: "westeurope",
    resourceGroupName: "s2s-auth-rg-name",
    scmSiteAlsoStopped: false,
    serverFarmId: "s2s-auth-plan-id",
    siteConfig: {
      appSettings: [
        { name: "FUNCTIONS_EXTENSION_VERSION", value: "~4" },
        { name: "FUNCTIONS_WORKER_RUNTIME", value: "node" },
        { name: "AzureWebJobsStorage__accountName", value: accountName },
        ...settings,
      ],
      cors: { allowedOrigins: [] },
      ftpsState: "Disabled",
      http20Enabled: true,
      linuxFxVersion: "NODE|22",
      alwaysOn: true,
      localMySqlEnabled: false,
      minTlsVersion: "1.2",
      netFrameworkVersion: "v4.6",
      remoteDebuggingEnabled: false,
      scmMinTlsVersion: "1.2",
    },
  };
}

function storageInputs(accountName: string) {
  return {
    resourceGroupName: "s2s-auth-rg-name",
    location: "westeurope",
    accountName,
    kind: "StorageV2",
    sku: { name: "Standard_LRS" },
    allowSharedKeyAccess: false,
    defaultToOAuthAuthentication: true,
    allowBlobPublicAccess: false,
    enableHttpsTrafficOnly: true,
    minimumTlsVersion: "TLS1_2",
  };
}

/** The three data roles of a function app's identity on its own storage account, by logical name. */
function storageRoles(run: ProgramRun, app: string) {
  return Object.fromEntries(
    run
      .ofType("azure-native:authorization:RoleAssignment")
      .filter((r) => r.name.startsWith(`${app}-storage-`))
      .map((r) => [r.name, r.inputs]),
  );
}
function storageRole(app: string, roleId: string) {
  return {
    principalId: `${app}-site-principal`,
    principalType: "ServicePrincipal",
    roleDefinitionId: `${ROLE_DEFINITIONS}/${roleId}`,
    scope: `${app}-storage-id`,
  };
}

const parentOf = (run: ProgramRun, name: string) => run.named(name).parent.split("::").pop();

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

// One run of the mixed stack for the checks by behaviour, made inside the first test that reads
// it rather than in beforeAll: Stryker would count every component mutant reached in beforeAll
// as "static" and run the whole part for it.
let mixedRun: Promise<ProgramRun> | undefined;
const mixedStack = () => (mixedRun ??= runProgram("test", mixed));

describe("Function App", () => {
  test("reaches its host storage with its identity: no keys, data roles on the account", async () => {
    const run = await mixedStack();
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

  test("is a hardened Linux function app told where its callee is", async () => {
    const run = await mixedStack();
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
  test("runs in the stack's one environment with HTTPS-only ingress and its own identity", async () => {
    const run = await mixedStack();
    const envs = run.resources.filter((r) => r.type === "azure-native:app:ManagedEnvironment");
    expect(envs.map((e) => e.name)).toEqual(["s2s-auth-env"]);
    const app = run.named("orders-container");
    expect(app.inputs).toMatchObject({
      managedEnvironmentId: "s2s-auth-env-id",
      identity: { type: "SystemAssigned" },
      configuration: { ingress: { external: true, allowInsecure: false } },
    });
  });

  test("as a callee, its built-in authentication answers 401 and admits only its callers", async () => {
    const run = await mixedStack();
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

  test("as a caller too, it is told where its own callee is (environment variables)", async () => {
    const run = await mixedStack();
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
  test("each hop is granted with the caller's own identity", async () => {
    const run = await mixedStack();
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

  test("an external caller is only granted: a component naming it, no site", async () => {
    const run = await mixedStack();
    const vm = run.named("batch-vm");
    expect(vm.type).toBe("s2s-auth:app:ExternalCaller");
    expect(run.resources.filter((r) => r.parent.endsWith("::batch-vm"))).toEqual([]);
    expect(run.outputs["callers"]).toMatchObject({ "batch-vm": { principalId: EXTERNAL } });
  });

  test("no secret, key or connection string in any input of any host", async () => {
    const run = await mixedStack();
    const text = JSON.stringify(run.resources.map((r) => r.inputs));
    expect(text).not.toMatch(/password|secret|connectionstring|accountkey|sharedaccess/i);
  });

  test("stacks without container apps declare no Container Apps environment", async () => {
    const plain = await runProgram("test", baseConfig("test"));
    expect(plain.resources.filter((r) => r.type.startsWith("azure-native:app:"))).toEqual([]);
    expect(plain.resources.filter((r) => r.type.startsWith("azure-native:storage:"))).toEqual([]);
  });
});

test("the dev seed stack: one Linux plan of the configured SKU, every site hardened, told of its callees", async () => {
  const run = await runProgram("dev", seedConfig("dev", true));
  const input = (name: string) => run.named(name).inputs;

  // one Linux plan of the configured SKU in the stack's resource group
  expect(input("s2s-auth-rg")).toEqual({ location: "westeurope" });
  expect(input("s2s-auth-plan")).toEqual({
    resourceGroupName: "s2s-auth-rg-name",
    location: "westeurope",
    kind: "linux",
    reserved: true,
    sku: { name: "B1" },
  });

  // every site is hardened, and a caller's settings say where its callees are
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
  expect(input("the-callee-site")).toMatchObject(hardened([]));
  expect(input("the-caller-site")).toMatchObject(
    hardened([
      { name: "S2S_THE_CALLEE_URL", value: "https://the-callee-site.azurewebsites.net" },
      { name: "S2S_THE_CALLEE_RESOURCE", value: "api://the-callee-app-client-id" },
    ]),
  );
  for (const site of ["the-callee-site", "the-caller-site"]) {
    for (const suffix of ["ftp", "scm"]) {
      expect(input(`${site}-${suffix}`)).toEqual({
        resourceGroupName: "s2s-auth-rg-name",
        name: site,
        allow: false,
      });
    }
  }
});

test("a Function App calls a Container App callee, which also admits the CI principal (dev)", async () => {
  const run = await runProgram("dev", {
    ...baseConfig("dev"),
    "s2s-auth:callees": [{ name: "orders", host: "containerApp" }],
    "s2s-auth:callers": [{ name: "ingest", host: "functionApp", calls: [{ callee: "orders" }] }],
    "s2s-auth:ciAccess": {
      repository: "contoso/s2s-auth",
      subjects: ["environment:dev", "pull_request"],
      calls: [{ callee: "orders" }],
    },
  });

  // The callee's container app and its built-in authentication.
  expect(run.named("orders-container").inputs).toEqual(containerAppInputs([]));
  expect(parentOf(run, "orders-container")).toBe("orders");
  expect(run.named("orders-auth").type).toBe("azure-native:app:ContainerAppsAuthConfig");
  expect(run.named("orders-auth").inputs).toEqual({
    authConfigName: "current",
    containerAppName: "orders-container",
    resourceGroupName: "s2s-auth-rg-name",
    platform: { enabled: true },
    globalValidation: { unauthenticatedClientAction: "Return401" },
    httpSettings: { requireHttps: true },
    identityProviders: {
      azureActiveDirectory: {
        enabled: true,
        registration: { clientId: "orders-app-client-id", openIdIssuer: TENANT_ISSUER },
        validation: {
          allowedAudiences: ["api://orders-app-client-id", "orders-app-client-id"],
          defaultAuthorizationPolicy: {
            allowedApplications: ["ci-principal-app-client-id", "ingest-site-principal-client-id"],
          },
        },
      },
    },
  });
  expect(parentOf(run, "orders-auth")).toBe("orders");

  // The caller's function app: storage reached by identity, three data roles, the callee's settings.
  const account = "s2s059656e821f4c24740397";
  expect(run.named("ingest-storage").inputs).toEqual(storageInputs(account));
  expect(parentOf(run, "ingest-storage")).toBe("ingest");
  expect(run.named("ingest-site").inputs).toEqual(
    functionSiteInputs(account, [
      { name: "S2S_ORDERS_URL", value: "https://orders-container.azurecontainerapps.io" },
      { name: "S2S_ORDERS_RESOURCE", value: "api://orders-app-client-id" },
    ]),
  );
  expect(storageRoles(run, "ingest")).toEqual({
    "ingest-storage-blob-data-owner": storageRole("ingest", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"),
    "ingest-storage-queue-data-contributor": storageRole("ingest", "974c5e8b-45b9-4653-ba55-5f855dd0fb88"),
    "ingest-storage-table-data-contributor": storageRole("ingest", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"),
  });
  for (const role of ["blob-data-owner", "queue-data-contributor", "table-data-contributor"])
    expect(parentOf(run, `ingest-storage-${role}`)).toBe("ingest");

  // The CI principal: an app registration without secrets, its service principal, one credential per subject.
  expect(run.named("ci-principal").type).toBe("s2s-auth:access:CiPrincipal");
  expect(run.named("ci-principal-app").inputs).toEqual({
    displayName: "s2s-auth-ci-dev",
    signInAudience: "AzureADMyOrg",
    owners: [DEPLOYER],
    notes: "Integration tests of contoso/s2s-auth (GitHub Actions OIDC). Managed by Pulumi; no secrets.",
    web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
  });
  expect(run.named("ci-principal-sp").inputs).toEqual({
    clientId: "ci-principal-app-client-id",
    owners: [DEPLOYER],
    featureTags: [{ hide: true, enterprise: true }],
  });
  const fic = (subject: string, displayName: string) => ({
    applicationId: "ci-principal-app-id",
    displayName,
    description: `GitHub Actions of contoso/s2s-auth, ${subject}`,
    issuer: "https://token.actions.githubusercontent.com",
    audiences: ["api://AzureADTokenExchange"],
    subject: `repo:contoso/s2s-auth:${subject}`,
  });
  expect(run.named("ci-principal-fic-environment:dev").inputs).toEqual(
    fic("environment:dev", "github-environment-dev-aaaadf12"),
  );
  expect(run.named("ci-principal-fic-pull_request").inputs).toEqual(
    fic("pull_request", "github-pull_request-e09f6d9d"),
  );
  for (const child of ["app", "sp", "fic-environment:dev", "fic-pull_request"])
    expect(parentOf(run, `ci-principal-${child}`)).toBe("ci-principal");

  // Grants point at the service principal resource and the function app's identity.
  expect(run.named("ci_principal_to_orders-assignment").inputs).toEqual({
    appRoleId: "bd17ea52-35bc-5208-94da-08555e3752db",
    principalObjectId: "ci-principal-sp-object-id",
    resourceObjectId: "orders-sp-object-id",
  });
  expect(run.named("ingest_to_orders-assignment").inputs).toEqual({
    appRoleId: "bd17ea52-35bc-5208-94da-08555e3752db",
    principalObjectId: "ingest-site-principal",
    resourceObjectId: "orders-sp-object-id",
  });
  // What each component declares as its outputs (shown in previews and `pulumi stack`).
  expect(run.registeredOutputs("ci-principal")).toEqual({
    clientId: "ci-principal-app-client-id",
    servicePrincipalObjectId: "ci-principal-sp-object-id",
  });
  expect(run.registeredOutputs("ingest")).toEqual({
    principalId: "ingest-site-principal",
    url: "https://ingest-site.azurewebsites.net",
  });
  expect(run.outputs).toMatchObject({
    ciPrincipalClientId: "ci-principal-app-client-id",
    callees: { orders: { url: "https://orders-container.azurecontainerapps.io" } },
    callers: { ingest: { url: "https://ingest-site.azurewebsites.net", principalId: "ingest-site-principal" } },
  });
});

test("a Container App and an external identity call a Function App callee (test)", async () => {
  const run = await runProgram("test", {
    ...baseConfig("test"),
    "s2s-auth:callees": [{ name: "ledger", host: "functionApp" }],
    "s2s-auth:callers": [
      { name: "web", host: "containerApp", calls: [{ callee: "ledger" }] },
      { name: "batch-vm", host: "external", principalId: EXTERNAL, calls: [{ callee: "ledger" }] },
    ],
  });

  const account = "s2s351e2415c1a55c79a509d";
  expect(run.named("ledger-storage").inputs).toEqual(storageInputs(account));
  expect(run.named("ledger-site").inputs).toEqual(functionSiteInputs(account, []));
  expect(storageRoles(run, "ledger")).toEqual({
    "ledger-storage-blob-data-owner": storageRole("ledger", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"),
    "ledger-storage-queue-data-contributor": storageRole("ledger", "974c5e8b-45b9-4653-ba55-5f855dd0fb88"),
    "ledger-storage-table-data-contributor": storageRole("ledger", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"),
  });
  // A function app callee is protected by the App Service's EasyAuth v2, on its site.
  expect(run.named("ledger-auth")).toMatchObject({
    type: "azure-native:web:WebAppAuthSettingsV2",
    inputs: { name: "ledger-site" },
  });
  expect(parentOf(run, "ledger-auth")).toBe("ledger");

  expect(run.named("web-container").inputs).toEqual(
    containerAppInputs(
      [
        { name: "S2S_LEDGER_URL", value: "https://ledger-site.azurewebsites.net" },
        { name: "S2S_LEDGER_RESOURCE", value: "api://ledger-app-client-id" },
      ],
      "web",
    ),
  );
  expect(parentOf(run, "web-container")).toBe("web");
  expect(run.named("web").type).toBe("s2s-auth:app:CallerApp");

  // The external caller is a component whose only input is the identity it names.
  expect(run.named("batch-vm")).toMatchObject({
    type: "s2s-auth:app:ExternalCaller",
    inputs: { principalId: EXTERNAL },
  });
  expect(run.named("batch-vm").inputs).toEqual({ principalId: EXTERNAL });
  expect(run.registeredOutputs("batch-vm")).toEqual({ principalId: EXTERNAL });
  expect(run.registeredOutputs("web")).toEqual({
    principalId: "web-container-principal",
    url: "https://web-container.azurecontainerapps.io",
  });
  expect(run.named("batch-vm_to_ledger-assignment").inputs).toEqual({
    appRoleId: "ab29babb-3bf4-51e7-a4df-7e2de0e07bcb",
    principalObjectId: EXTERNAL,
    resourceObjectId: "ledger-sp-object-id",
  });
  expect(run.named("web_to_ledger-assignment").inputs).toEqual({
    appRoleId: "ab29babb-3bf4-51e7-a4df-7e2de0e07bcb",
    principalObjectId: "web-container-principal",
    resourceObjectId: "ledger-sp-object-id",
  });
  expect(run.outputs["ciPrincipalClientId"]).toBeUndefined();
  expect(run.ofType("s2s-auth:access:CiPrincipal")).toEqual([]);
  expect(run.outputs["callers"]).toEqual({
    web: {
      url: "https://web-container.azurecontainerapps.io",
      appName: "web-container",
      principalId: "web-container-principal",
    },
    "batch-vm": { principalId: EXTERNAL },
  });
  expect(run.outputs["callees"]).toMatchObject({ ledger: { url: "https://ledger-site.azurewebsites.net" } });
});

describe("hosts and components on their own", () => {
  beforeEach(async () => {
    // Every resource reports an identity and an address, as Azure would.
    const reported = {
      identity: { principalId: "principal" },
      defaultHostName: "host",
      configuration: { ingress: { fqdn: "host" } },
    };
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...reported } }), call: () => ({}) },
      "s2s-auth",
      "dev",
      false,
    );
  });
  afterEach(() => pulumi.runtime.disconnect());

  test("each host says which host it is", () => {
    const parent = new pulumi.ComponentResource("test:index:Parent", "svc");
    const out = pulumi.output;
    const hosting = {
      resourceGroupName: out("rg"),
      resourceGroupId: out("rg-id"),
      location: out("westeurope"),
      planId: out("plan-id"),
      containerAppsEnvironmentId: out("env-id"),
    } as unknown as Hosting;
    for (const host of ["appService", "functionApp", "containerApp"] as const) {
      expect(hostedApp(host, `svc-${host}`, { hosting, appSettings: [] }, parent).host).toBe(host);
    }
  });

  test("a container app needs the stack's Container Apps environment", () => {
    const parent = new pulumi.ComponentResource("test:index:Parent", "orders");
    const hosting = { containerAppsEnvironmentId: undefined } as unknown as Hosting;
    expect(() => containerApp("orders", { hosting, appSettings: [] }, parent)).toThrow(
      expect.objectContaining({ message: "orders: the stack's hosting has no Container Apps environment" }),
    );
  });
});
