// tools/plan/access.ts: the access matrix (who can obtain a token for each callee) and the labels it takes from config.
import { invokeSource, placeholder, type PlannedResource, urnName, urnType } from "../../../model/index.ts";
import { accessMatrix, labelsFromConfig, NO_LABELS } from "../../../tools/plan/access.ts";
import { planStack } from "./stacks.ts";

describe("the access matrix of the real stacks", () => {
  it("dev: the caller, the Azure CLI and the example developers (its CI principal ships commented out)", async () => {
    const dev = await planStack("dev");
    expect(dev.access.map(({ grant: _grant, ...a }) => a)).toEqual([
      { callee: "the-callee", principal: "the-caller", principalType: "ManagedIdentity", role: "Invoke" },
      { callee: "the-callee", principal: "azure-cli", principalType: "AuthorizedClient", role: "user_impersonation" },
      { callee: "the-callee", principal: "developer@contoso.example", principalType: "User", role: "Invoke" },
      {
        callee: "the-callee",
        principal: "11111111-2222-3333-4444-555555555555",
        principalType: "Group",
        role: "Invoke",
      },
    ]);
    expect(dev.access.every((a) => dev.steps.some((s) => s.urn === a.grant))).toBe(true);
  });

  it("prod: only the caller", async () => {
    const prod = await planStack("prod");
    expect(prod.access.map(({ grant: _grant, ...a }) => a)).toEqual([
      { callee: "the-callee", principal: "the-caller", principalType: "ManagedIdentity", role: "Invoke" },
    ]);
  });
});

// A hand-written program graph: the matrix follows whatever the resources say.
const P = "urn:pulumi:dev::p::";
const api = `${P}s2s-auth:api:ProtectedApi::orders`;
const app = `${P}s2s-auth:api:ProtectedApi$azuread:index/application:Application::orders-app`;
const sp = `${P}s2s-auth:api:ProtectedApi$azuread:index/servicePrincipal:ServicePrincipal::orders-sp`;
const caller = `${P}s2s-auth:app:CallerApp::billing`;
const site = `${P}s2s-auth:app:CallerApp$azure-native:web:WebApp::billing-site`;
const otherApp = `${P}azuread:index/application:Application::batch-app`;

function resource(urn: string, inputs: Record<string, unknown> = {}, parent?: string): PlannedResource {
  const type = urnType(urn);
  return {
    urn,
    type,
    name: urnName(urn),
    custom: type.includes("index/") || type.startsWith("azure-native"),
    parent,
    protect: false,
    inputs,
  };
}

function assignment(name: string, principalObjectId: unknown, appRoleId = "role-read"): PlannedResource {
  return resource(`${P}azuread:index/appRoleAssignment:AppRoleAssignment::${name}`, {
    principalObjectId,
    resourceObjectId: placeholder(sp, "objectId"),
    appRoleId,
  });
}

const base: PlannedResource[] = [
  resource(api),
  resource(
    app,
    {
      appRoles: [
        { id: "role-read", value: "Orders.Read" },
        { id: "role-write", value: "Orders.Write" },
      ],
      api: { oauth2PermissionScopes: [{ id: "scope-1", value: "user_impersonation" }] },
    },
    api,
  ),
  resource(sp, { clientId: placeholder(app, "clientId") }, api),
  resource(caller),
  resource(site, { identity: { type: "SystemAssigned" } }, caller),
  resource(otherApp),
];

describe("accessMatrix", () => {
  it("names the role by the callee's app role, through the service principal's application", () => {
    const rows = accessMatrix([...base, assignment("a", placeholder(site, "identity.principalId"), "role-write")]);
    expect(rows).toEqual([
      {
        callee: "orders",
        principal: "billing",
        principalType: "ManagedIdentity",
        role: "Orders.Write",
        grant: `${P}azuread:index/appRoleAssignment:AppRoleAssignment::a`,
      },
    ]);
  });

  it("tells principals apart by where their object id comes from", () => {
    const labels = {
      users: ["aaaaaaaa-0000-0000-0000-000000000001"],
      groups: ["aaaaaaaa-0000-0000-0000-000000000002"],
      clients: {},
    };
    const rows = accessMatrix(
      [
        ...base,
        assignment("user", "AAAAAAAA-0000-0000-0000-000000000001"),
        assignment("group", "aaaaaaaa-0000-0000-0000-000000000002"),
        assignment("raw", "aaaaaaaa-0000-0000-0000-000000000003"),
        assignment(
          "upn",
          placeholder(
            invokeSource("azuread:index/getUser:getUser", { userPrincipalName: "ana@example.org" }),
            "objectId",
          ),
        ),
        assignment("app", placeholder(otherApp, "objectId")),
        assignment("default", placeholder(otherApp, "objectId"), "00000000-0000-0000-0000-000000000000"),
        assignment("unknown-role", placeholder(otherApp, "objectId"), "no-such-role"),
      ],
      labels,
    );
    expect(rows.map((r) => [r.principalType, r.principal, r.role])).toEqual([
      ["ServicePrincipal", "batch-app", "(default access)"],
      // Code-unit order: uppercase before lowercase.
      ["ServicePrincipal", "batch-app", "Orders.Read"],
      ["ServicePrincipal", "batch-app", "no-such-role"],
      ["User", "AAAAAAAA-0000-0000-0000-000000000001", "Orders.Read"],
      ["User", "ana@example.org", "Orders.Read"],
      ["Group", "aaaaaaaa-0000-0000-0000-000000000002", "Orders.Read"],
      ["Unknown", "aaaaaaaa-0000-0000-0000-000000000003", "Orders.Read"],
    ]);
  });

  it("lists a pre-authorized client once per scope, named when it is well known", () => {
    const preAuth = resource(`${P}azuread:index/applicationPreAuthorized:ApplicationPreAuthorized::cli`, {
      applicationId: placeholder(app, "id"),
      authorizedClientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
      permissionIds: ["scope-1"],
    });
    const other = resource(`${P}azuread:index/applicationPreAuthorized:ApplicationPreAuthorized::other`, {
      applicationId: placeholder(app, "id"),
      authorizedClientId: "99999999-0000-0000-0000-000000000000",
      permissionIds: ["scope-1", "scope-2"],
    });
    const labels = { ...NO_LABELS, clients: { "azure-cli": "04b07795-8ddb-461a-bbee-02f9e1bf7b46" } };
    expect(accessMatrix([...base, preAuth, other], labels).map((r) => [r.principal, r.role])).toEqual([
      ["99999999-0000-0000-0000-000000000000", "scope-2"],
      ["99999999-0000-0000-0000-000000000000", "user_impersonation"],
      ["azure-cli", "user_impersonation"],
    ]);
  });

  it("names an identity from outside the stack after the component that declares its object id", () => {
    const external = resource(`${P}s2s-auth:app:ExternalCaller::batch-vm`, {
      principalId: "AAAAAAAA-1111-2222-3333-444444444444",
    });
    const lookup = placeholder(
      invokeSource("azuread:index/getServicePrincipal:getServicePrincipal", {
        objectId: "aaaaaaaa-1111-2222-3333-444444444444",
      }),
      "objectId",
    );
    expect(
      accessMatrix([...base, external, assignment("vm", lookup)]).map((r) => [r.principalType, r.principal]),
    ).toEqual([["ManagedIdentity", "batch-vm"]]);
    expect(accessMatrix([...base, assignment("vm", lookup)]).map((r) => [r.principalType, r.principal])).toEqual([
      ["ServicePrincipal", "aaaaaaaa-1111-2222-3333-444444444444"],
    ]);
  });

  it("is empty when nothing is granted", () => {
    expect(accessMatrix(base)).toEqual([]);
  });
});

describe("labelsFromConfig", () => {
  it("reads user object ids and groups from devAccess, lowercased", () => {
    const config = {
      "p:devAccess": JSON.stringify({
        users: ["ana@example.org", "AAAAAAAA-0000-0000-0000-000000000001"],
        groups: ["G"],
      }),
    };
    expect(labelsFromConfig("p", config, {})).toEqual({
      users: ["ana@example.org", "aaaaaaaa-0000-0000-0000-000000000001"],
      groups: ["g"],
      clients: {},
    });
    expect(labelsFromConfig("p", {}, {})).toEqual({ users: [], groups: [], clients: {} });
  });
});
