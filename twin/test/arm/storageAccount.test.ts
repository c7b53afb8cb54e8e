// twin/src/arm/storageAccount.ts: storage accounts, as ARM answers for them.
import { T, freshTwin } from "../fixture.ts";

describe("azure-native storage:StorageAccount", () => {
  it("enforces the storage account naming rule at create with Azure's error", async () => {
    const twin = freshTwin();
    const rg = await twin.create(T.rg, "rg", { location: "westeurope" });
    const other = await twin.create(T.rg, "other", { location: "westeurope" });
    const account = (accountName: string, group = rg.outs.name!) => ({
      resourceGroupName: group,
      accountName,
      location: "westeurope",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
    });
    await expect(twin.create(T.storage, "s", account("Not_Valid"))).rejects.toThrow(/AccountNameInvalid/);
    await twin.create(T.storage, "ok", account("stdata01"));
    // An account's name is global: another group cannot take it either.
    await expect(twin.create(T.storage, "again", account("stdata01", other.outs.name!))).rejects.toThrow(
      /StorageAccountAlreadyTaken/,
    );
  });
});

describe("azure-native storage:StorageAccount, replacement", () => {
  it("replaces an account whose isHnsEnabled or location changes, and updates other settings in place", async () => {
    const twin = freshTwin();
    const rg = await twin.create(T.rg, "rg", { location: "westeurope" });
    const made = await twin.create(T.storage, "s", {
      resourceGroupName: rg.outs.name!,
      accountName: "stdata02",
      location: "westeurope",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
    });
    const urn = twin.urn(T.storage, "s");
    const diff = (change: Record<string, unknown>) =>
      twin.arm.diff!(made.id, urn, made.outs, { ...made.inputs, ...change });
    expect((await diff({ isHnsEnabled: true })).replaces).toEqual(["isHnsEnabled"]);
    expect((await diff({ location: "northeurope" })).replaces).toEqual(["location"]);
    expect(await diff({ allowSharedKeyAccess: false })).toEqual({ changes: true, replaces: [] });
  });
});
