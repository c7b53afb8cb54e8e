// twin/src/session.ts: a provider signs in to the tenant and subscription its configuration names, as the
// client it names, and its token is good in that tenant only (ARM's side: test/arm/tenancy.test.ts).
import { twinCommand } from "../src/commands.ts";
import type { JsonObject } from "../src/state.ts";
import { T, type Twin, freshTwin } from "./fixture.ts";

const PROD_TENANT = "e0000000-0000-4000-8000-0000000000e2";
const PROD_SUBSCRIPTION = "5e000000-0000-4000-8000-0000000000e2";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";

/** A second tenant, as the CLI adds one. */
function withProd(twin: Twin): void {
  const added = twinCommand(
    ["add-tenant", "--tenant-id", PROD_TENANT, "--subscription-id", PROD_SUBSCRIPTION],
    twin.path,
  );
  expect(added).toEqual({ code: 0, stdout: `${PROD_TENANT}\n`, stderr: "" });
}

/** An application and its service principal, Contributor on the default tenant's subscription: a deploy identity. */
async function deployIdentity(twin: Twin): Promise<{ clientId: string; objectId: string }> {
  const app = await twin.create(T.app, "deploy-dev", { displayName: "deploy-dev" });
  const sp = await twin.create(T.sp, "deploy-dev", { clientId: app.outs.clientId! });
  const sub = twin.state().subscriptionId;
  await twin.create(T.roleAssignment, "deploy-dev-contributor", {
    principalId: sp.outs.objectId!,
    principalType: "ServicePrincipal",
    roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${CONTRIBUTOR}`,
    scope: `/subscriptions/${sub}`,
  });
  return { clientId: String(app.outs.clientId), objectId: String(sp.outs.objectId) };
}

const configure = (twin: Twin, config: Record<string, string>) => {
  const variables = (pkg: string) =>
    Object.fromEntries(Object.entries(config).map(([key, value]) => [`${pkg}:config:${key}`, value]));
  twin.arm.configure(variables("azure-native"));
  twin.graph.configure(variables("azuread"));
};

describe("signing in to a tenant", () => {
  it("signs in as the client its configuration names, in that tenant, holding what the tenant granted it", async () => {
    const twin = freshTwin();
    const dev = twin.state();
    const identity = await deployIdentity(twin);
    configure(twin, { tenantId: dev.tenantId, clientId: identity.clientId });
    const config = (await twin.arm.invoke!("azure-native:authorization:getClientConfig", {})).outputs;
    expect(config).toEqual({
      clientId: identity.clientId,
      objectId: identity.objectId,
      subscriptionId: dev.subscriptionId,
      tenantId: dev.tenantId,
    });
    // Contributor: resources yes, role assignments no.
    await twin.create(T.rg, "rg", { location: "westeurope" });
    await expect(
      twin.create(T.roleAssignment, "ra", {
        principalId: identity.objectId,
        principalType: "ServicePrincipal",
        roleDefinitionId: `/subscriptions/${dev.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${
          CONTRIBUTOR
        }`,
        scope: `/subscriptions/${dev.subscriptionId}/resourceGroups/rg`,
      }),
    ).rejects.toThrow(new RegExp(`AuthorizationFailed.*'${identity.clientId}' with object id '${identity.objectId}'`));
  });

  it("reads the ARM_ variables when the configuration names nothing, as both real providers do", async () => {
    const twin = freshTwin();
    withProd(twin);
    process.env.ARM_TENANT_ID = PROD_TENANT;
    const arm = (await twin.arm.invoke!("azure-native:authorization:getClientConfig", {})).outputs;
    const graph = (await twin.graph.invoke!("azuread:index/getClientConfig:getClientConfig", {})).outputs;
    delete process.env.ARM_TENANT_ID;
    expect({ arm: arm.tenantId, subscription: arm.subscriptionId, graph: graph.tenantId }).toEqual({
      arm: PROD_TENANT,
      subscription: PROD_SUBSCRIPTION,
      graph: PROD_TENANT,
    });
  });

  it("refuses a client of one tenant in another: azure-native at its first request, azuread configuring", async () => {
    const twin = freshTwin();
    const identity = await deployIdentity(twin);
    withProd(twin);
    const variables = {
      "azure-native:config:tenantId": PROD_TENANT,
      "azure-native:config:clientId": identity.clientId,
    };
    twin.arm.configure(variables);
    await expect(twin.create(T.rg, "rg", { location: "westeurope" })).rejects.toThrow(
      `ClientAssertionCredential authentication failed: AADSTS700016: Application with identifier ` +
        `'${identity.clientId}' was not found in the directory '${PROD_TENANT}'.`,
    );
    expect(() =>
      twin.graph.configure({ "azuread:config:tenantId": PROD_TENANT, "azuread:config:clientId": identity.clientId }),
    ).toThrow(`unable to obtain access token: AADSTS700016: Application with identifier '${identity.clientId}'`);
    expect(() => twin.graph.configure({ "azuread:config:tenantId": "f0000000-0000-4000-8000-00000000dead" })).toThrow(
      "unable to obtain access token: AADSTS90002: Tenant 'f0000000-0000-4000-8000-00000000dead' not found.",
    );
  });

  it("reaches Graph of its own tenant only: what it creates is there, the other tenant's objects are not", async () => {
    const twin = freshTwin();
    const devSp = Object.values(twin.state().graph.servicePrincipals)[0]!;
    withProd(twin);
    configure(twin, { tenantId: PROD_TENANT });
    const app = await twin.create(T.app, "prod-app", { displayName: "prod-app" });
    const world = twin.world();
    expect(world.tenants[PROD_TENANT]!.graph.applications[String(app.outs.objectId)]).toBeDefined();
    expect(twin.state().graph.applications[String(app.outs.objectId)]).toBeUndefined();
    await expect(
      twin.graph.invoke!("azuread:index/getServicePrincipal:getServicePrincipal", { objectId: devSp.id }),
    ).rejects.toThrow(/not found/);
    const read = await twin.graph.read!(app.id, twin.urn(T.app, "prod-app"), app.outs);
    expect((read.props as JsonObject).objectId).toBe(app.outs.objectId);
    configure(twin, {});
    expect((await twin.graph.read!(app.id, twin.urn(T.app, "prod-app"), app.outs)).id).toBe("");
  });
});
