// Resolving a killed run's pending creates: import what the cloud has, clear what it does not.
import { resolvePendingCreates, type Cloud, type PendingOperation } from "../../e2e/pending.ts";

const SUB = "00000000-0000-4000-8000-000000000001";
const RG_ID = `/subscriptions/${SUB}/resourceGroups/rg-dev1234abcd`;

const cloud: Cloud = {
  subscriptionId: SUB,
  armIds: new Set([RG_ID.toLowerCase(), `${RG_ID}/providers/Microsoft.Web/sites/site-a`.toLowerCase()]),
  applications: [
    { id: "app-1", displayName: "the-callee-dev", identifierUris: ["api://c1"] },
    { id: "app-2", displayName: "managed-already" },
  ],
  servicePrincipals: [{ id: "sp-1", appId: "c1" }],
  appRoleAssignments: [{ id: "ara-1", appRoleId: "r", principalId: "p", resourceId: "sp-1" }],
};

const op = (type: string, inputs: Record<string, unknown>, name = "x"): PendingOperation => ({
  type: "creating",
  resource: { urn: `urn:pulumi:dev::s2s-auth::${type}::${name}`, type, inputs },
});

test("what a killed create made is imported by the id the provider would have recorded", () => {
  const pending = [
    op("azure-native:resources:ResourceGroup", { resourceGroupName: "rg-dev1234abcd", location: "westeurope" }, "rg"),
    op("azure-native:web:WebApp", { resourceGroupName: "rg-dev1234abcd", name: "site-a" }, "site"),
    op("azuread:index/application:Application", { displayName: "the-callee-dev" }, "app"),
    op("azuread:index/servicePrincipal:ServicePrincipal", { clientId: "c1" }, "sp"),
    op("azuread:index/applicationIdentifierUri:ApplicationIdentifierUri", { applicationId: "/applications/app-1", identifierUri: "api://c1" }, "uri"),
    op("azuread:index/appRoleAssignment:AppRoleAssignment", { appRoleId: "r", principalObjectId: "p", resourceObjectId: "sp-1" }, "grant"),
  ];
  const { imports, cleared } = resolvePendingCreates(pending, cloud, new Set());
  expect(cleared).toEqual([]);
  expect(imports.map((i) => i.id)).toEqual([
    RG_ID,
    `${RG_ID}/providers/Microsoft.Web/sites/site-a`,
    "/applications/app-1",
    "/servicePrincipals/sp-1",
    `/applications/app-1/identifierUris/${Buffer.from("api://c1").toString("base64")}`,
    "/servicePrincipals/sp-1/appRoleAssignedTo/ara-1",
  ]);
});

test("a create that made nothing, or whose match another state manages, is cleared rather than imported", () => {
  const pending = [
    op("azure-native:web:WebApp", { resourceGroupName: "rg-dev1234abcd", name: "never-made" }, "site"),
    op("azuread:index/application:Application", { displayName: "managed-already" }, "app"),
    op("azure-native:web:WebApp", { resourceGroupName: "rg-dev1234abcd", name: "site-a" }, "taken"),
  ];
  const managed = new Set(["/applications/app-2", `${RG_ID}/providers/Microsoft.Web/sites/site-a`.toLowerCase()]);
  const { imports, cleared } = resolvePendingCreates(pending, cloud, managed);
  expect(imports).toEqual([]);
  expect(cleared).toEqual(pending.map((p) => p.resource.urn));
});

test("two unmanaged applications of the same display name are not guessed between", () => {
  const twice: Cloud = { ...cloud, applications: [...cloud.applications, { id: "app-3", displayName: "the-callee-dev" }] };
  const { imports, cleared } = resolvePendingCreates([op("azuread:index/application:Application", { displayName: "the-callee-dev" })], twice, new Set());
  expect(imports).toEqual([]);
  expect(cleared).toHaveLength(1);
});

test("only creates are resolved: pending updates and deletes are refresh's to settle", () => {
  const update: PendingOperation = { type: "updating", resource: { urn: "u", type: "azuread:index/application:Application", inputs: {} } };
  expect(resolvePendingCreates([update], cloud, new Set())).toEqual({ imports: [], cleared: [] });
});
