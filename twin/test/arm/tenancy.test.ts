// twin/src/arm/tenancy.ts: ARM takes a token only for the subscriptions of the tenant that issued it.
import { twinCommand } from "../../src/commands.ts";
import { T, freshTwin } from "../fixture.ts";

const PROD_TENANT = "e0000000-0000-4000-8000-0000000000e3";
const PROD_SUBSCRIPTION = "5e000000-0000-4000-8000-0000000000e3";
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

describe("ARM and the token's tenant", () => {
  it("answers 401 InvalidAuthenticationTokenTenant for another tenant's subscription, 404 for none", async () => {
    const twin = freshTwin();
    const dev = twin.state();
    twinCommand(["add-tenant", "--tenant-id", PROD_TENANT, "--subscription-id", PROD_SUBSCRIPTION], twin.path);
    // Signed in to dev, pointed at prod's subscription.
    twin.arm.configure({
      "azure-native:config:tenantId": dev.tenantId,
      "azure-native:config:subscriptionId": PROD_SUBSCRIPTION,
    });
    await expect(twin.create(T.rg, "rg", { location: "westeurope" })).rejects.toThrow(
      `Status=401 Code="InvalidAuthenticationTokenTenant" Message="The access token is from the wrong issuer ` +
        `'https://sts.windows.net/${dev.tenantId}/'. It must match the tenant 'https://sts.windows.net/${PROD_TENANT}/' ` +
        "associated with this subscription.",
    );
    // Even the all-powerful admin of dev (Owner at "/") cannot assign a role in prod's subscription.
    twin.arm.configure({ "azure-native:config:tenantId": dev.tenantId });
    const scope = `/subscriptions/${PROD_SUBSCRIPTION}`;
    await expect(
      twin.create(T.roleAssignment, "ra", {
        principalId: dev.deployer.servicePrincipalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
        scope,
      }),
    ).rejects.toThrow(/Status=401 Code="InvalidAuthenticationTokenTenant"/);
    twin.arm.configure({ "azure-native:config:subscriptionId": "5e000000-0000-4000-8000-00000000dead" });
    await expect(twin.create(T.rg, "rg", { location: "westeurope" })).rejects.toThrow(
      `Status=404 Code="SubscriptionNotFound" Message="The subscription '5e000000-0000-4000-8000-00000000dead' ` +
        "could not be found.",
    );
    // Signed in to prod, prod's subscription is fine; a resource of dev's cannot be read with that token.
    twin.arm.configure({ "azure-native:config:tenantId": PROD_TENANT });
    const prodGroup = await twin.create(T.rg, "rg", { location: "westeurope" });
    expect(prodGroup.id).toMatch(new RegExp(`^/subscriptions/${PROD_SUBSCRIPTION}/resourceGroups/rg`));
    await expect(
      twin.arm.read!(`/subscriptions/${dev.subscriptionId}/resourceGroups/x`, twin.urn(T.rg, "x"), {}),
    ).rejects.toThrow(/InvalidAuthenticationTokenTenant/);
  });

  it("keeps names that are global in Azure unique across tenants", async () => {
    const twin = freshTwin();
    twinCommand(["add-tenant", "--tenant-id", PROD_TENANT, "--subscription-id", PROD_SUBSCRIPTION], twin.path);
    const account = (group: string) => ({
      resourceGroupName: group,
      accountName: "stshared01",
      location: "westeurope",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
    });
    const rg = await twin.create(T.rg, "rg", { location: "westeurope" });
    await twin.create(T.storage, "s", account(String(rg.outs.name)));
    twin.arm.configure({ "azure-native:config:tenantId": PROD_TENANT });
    const prodRg = await twin.create(T.rg, "rg", { location: "westeurope" });
    await expect(twin.create(T.storage, "s", account(String(prodRg.outs.name)))).rejects.toThrow(
      /StorageAccountAlreadyTaken/,
    );
  });
});
