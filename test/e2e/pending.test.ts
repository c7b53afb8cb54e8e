// Resolving a killed run's pending creates: import what the cloud has, clear what it does not.
import {
  objectsOf,
  resolvePendingCreates,
  unrecorded,
  type Cloud,
  type PendingOperation,
  type StateResource,
  type Tenant,
} from "../../e2e/pending.ts";

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
    op(
      "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri",
      { applicationId: "/applications/app-1", identifierUri: "api://c1" },
      "uri",
    ),
    op(
      "azuread:index/appRoleAssignment:AppRoleAssignment",
      { appRoleId: "r", principalObjectId: "p", resourceObjectId: "sp-1" },
      "grant",
    ),
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
  const twice: Cloud = {
    ...cloud,
    applications: [...cloud.applications, { id: "app-3", displayName: "the-callee-dev" }],
  };
  const { imports, cleared } = resolvePendingCreates(
    [op("azuread:index/application:Application", { displayName: "the-callee-dev" })],
    twice,
    new Set(),
  );
  expect(imports).toEqual([]);
  expect(cleared).toHaveLength(1);
});

test("only creates are resolved: pending updates and deletes are refresh's to settle", () => {
  const update: PendingOperation = {
    type: "updating",
    resource: { urn: "u", type: "azuread:index/application:Application", inputs: {} },
  };
  expect(resolvePendingCreates([update], cloud, new Set())).toEqual({ imports: [], cleared: [] });
});

describe("unrecorded: what a killed run made that no state lists", () => {
  const tenant: Tenant = {
    subscriptionId: SUB,
    arm: {
      resources: {
        "/old": { id: "/old" },
        "/site-a": { id: "/Site-A", identity: { principalId: "mi-a" } },
        "/site-b": { id: "/site-b", identity: { principalId: "mi-b" } },
      },
    },
    graph: {
      applications: {
        "app-1": {
          id: "app-1",
          identifierUris: ["api://c1", "api://stray"],
          api: { preAuthorizedApplications: [{ appId: "cli" }, { appId: "stray-client" }] },
        },
        "app-9": { id: "app-9", displayName: "lost" },
      },
      servicePrincipals: { "mi-a": { id: "mi-a" }, "mi-b": { id: "mi-b" }, "sp-1": { id: "sp-1", appId: "c1" } },
      appRoleAssignments: {},
    },
  };
  const states: StateResource[] = [
    { urn: "s", type: "azure-native:web:WebApp", custom: true, id: "/Site-A" },
    { urn: "a", type: "azuread:index/application:Application", custom: true, id: "/applications/app-1", inputs: {} },
    {
      urn: "u",
      type: "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri",
      custom: true,
      id: "x",
      inputs: { applicationId: "/applications/app-1", identifierUri: "api://c1" },
    },
    {
      urn: "p",
      type: "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized",
      custom: true,
      id: "y",
      inputs: { applicationId: "/applications/app-1", authorizedClientId: "cli" },
    },
    { urn: "sp", type: "azuread:index/servicePrincipal:ServicePrincipal", custom: true, id: "/servicePrincipals/sp-1" },
  ];

  test("objectsOf names ARM ids (lower-case) with their identities, and Graph objects by id", () => {
    expect([...objectsOf(states, tenant)].sort()).toEqual(["/site-a", "app-1", "mi-a", "sp-1"]);
  });

  test("new objects no state names are listed, what existed before is left alone", () => {
    expect(unrecorded(new Set(["/old"]), tenant, states).objects).toEqual([
      'arm.resources."/site-b"',
      "graph.applications.app-9",
      "graph.servicePrincipals.mi-b",
    ]);
  });

  test("a recorded application's identifier URIs and pre-authorized clients that no state declares are dropped", () => {
    expect(unrecorded(new Set(["/old"]), tenant, states).applications).toEqual([
      { id: "app-1", identifierUris: ["api://c1"], preAuthorizedApplications: [{ appId: "cli" }] },
    ]);
  });

  test("nothing unrecorded when every object and value is in a state", () => {
    const clean: Tenant = {
      ...tenant,
      arm: { resources: { "/site-a": tenant.arm.resources["/site-a"]! } },
      graph: {
        ...tenant.graph,
        applications: {
          "app-1": {
            id: "app-1",
            identifierUris: ["api://c1"],
            api: { preAuthorizedApplications: [{ appId: "cli" }] },
          },
        },
        servicePrincipals: { "mi-a": { id: "mi-a" }, "sp-1": { id: "sp-1" } },
      },
    };
    expect(unrecorded(new Set(), clean, states)).toEqual({ objects: [], applications: [] });
  });
});
