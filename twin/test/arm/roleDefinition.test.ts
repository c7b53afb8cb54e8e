// twin/src/arm/roleDefinition.ts: custom roles, defined once in their tenant and granting what they list.
import { twinCommand } from "../../src/commands.ts";
import { T, type Twin, freshTwin } from "../fixture.ts";

/** A custom role at the tenant's subscription with these permissions. */
function customRole(twin: Twin, name: string, permissions: Record<string, string[]>) {
  const sub = `/subscriptions/${twin.state().subscriptionId}`;
  return twin.create(T.roleDefinition, name, {
    scope: sub,
    roleName: name,
    roleType: "CustomRole",
    permissions: [{ actions: [], notActions: [], dataActions: [], notDataActions: [], ...permissions }],
    assignableScopes: [sub],
  });
}

/** An application and its service principal, for a role to be assigned to. */
async function principal(twin: Twin, name: string) {
  const app = await twin.create(T.app, name, { displayName: name });
  const sp = await twin.create(T.sp, name, { clientId: app.outs.clientId! });
  return { clientId: String(app.outs.clientId), objectId: String(sp.outs.objectId) };
}

describe("azure-native authorization:RoleDefinition", () => {
  it("refuses a second role of the same name, and deleting a role still assigned", async () => {
    const twin = freshTwin();
    const role = await customRole(twin, "state key reader", {
      dataActions: ["Microsoft.KeyVault/vaults/keys/decrypt/action"],
    });
    expect(role.id).toMatch(/\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/);
    await expect(customRole(twin, "State Key Reader", {})).rejects.toThrow(
      'Status=409 Code="RoleDefinitionWithSameNameExists"',
    );
    const holder = await principal(twin, "reader");
    const assignment = await twin.create(T.roleAssignment, "ra", {
      principalId: holder.objectId,
      principalType: "ServicePrincipal",
      roleDefinitionId: role.id,
      scope: `/subscriptions/${twin.state().subscriptionId}`,
    });
    const urn = twin.urn(T.roleDefinition, "state key reader");
    await expect(twin.arm.delete!(role.id, urn, role.outs)).rejects.toThrow(/RoleDefinitionHasAssignments/);
    await twin.arm.delete!(assignment.id, twin.urn(T.roleAssignment, "ra"), assignment.outs);
    await twin.arm.delete!(role.id, urn, role.outs);
    expect(twin.state().arm.resources[role.id.toLowerCase()]).toBeUndefined();
  });

  it("grants its holder its actions and data actions, and nothing else", async () => {
    const twin = freshTwin();
    const sub = `/subscriptions/${twin.state().subscriptionId}`;
    const keyId = `${sub}/resourceGroups/state/providers/Microsoft.KeyVault/vaults/kv/keys/state`;
    twinCommand(["add-resource", keyId, "Microsoft.KeyVault/vaults/keys"], twin.path);
    const role = await customRole(twin, "groups and decrypt", {
      actions: ["Microsoft.Resources/*"],
      dataActions: ["Microsoft.KeyVault/vaults/keys/*"],
      notDataActions: ["Microsoft.KeyVault/vaults/keys/update/action"],
    });
    const holder = await principal(twin, "holder");
    await twin.create(T.roleAssignment, "ra", {
      principalId: holder.objectId,
      principalType: "ServicePrincipal",
      roleDefinitionId: role.id,
      scope: sub,
    });
    twin.arm.configure({ "azure-native:config:clientId": holder.clientId });
    const rg = await twin.create(T.rg, "rg", { location: "westeurope" });
    await expect(
      twin.create(T.storage, "s", {
        resourceGroupName: String(rg.outs.name),
        location: "westeurope",
        kind: "StorageV2",
        sku: { name: "Standard_LRS" },
      }),
    ).rejects.toThrow(/AuthorizationFailed.*Microsoft.Storage\/storageAccounts\/write/);
    const request = (operation: string) =>
      twinCommand(["request", "--as", holder.clientId, operation, keyId], twin.path);
    expect(request("Decrypt")).toMatchObject({
      code: 0,
      stdout: "allowed: Microsoft.KeyVault/vaults/keys/decrypt/action\n",
    });
    expect(request("Update Key")).toMatchObject({
      code: 3,
      stdout: expect.stringMatching(/^403 Forbidden: Caller is not authorized/),
    });
  });
});
