/** azure-native `storage:StorageAccount`: Microsoft.Storage/storageAccounts. */
import { models } from "../fidelity.ts";
import { ARM_ERRORS } from "./errors.ts";
import { type ArmSpec, autoNamedInGroup, globallyUnique } from "./resource.ts";

/**
 * Learn "Naming rules and restrictions for Azure resources" (resource-name-rules),
 * Microsoft.Storage/storageAccounts: 3-24 characters, lowercase letters and numbers.
 */
function storageName(name: string): void {
  if (!/^[a-z0-9]{3,24}$/.test(name)) throw ARM_ERRORS.accountNameInvalid(name);
}

export const storageAccount: ArmSpec = {
  ...autoNamedInGroup("Microsoft.Storage/storageAccounts", "2024-01-01", "accountName", [
    "location",
    "kind",
    "sku",
    "identity",
    "tags",
    "extendedLocation",
  ]),
  validate: (state, r) => {
    storageName(r.name);
    // An account's name is its DNS name, unique across Azure (Learn "Resolve errors for storage account names").
    globallyUnique(state, r, () => ARM_ERRORS.storageAccountAlreadyTaken(r.name));
  },
  computed: (_state, r) => ({
    provisioningState: "Succeeded",
    statusOfPrimary: "available",
    primaryLocation: r.location ?? "",
    creationTime: new Date().toISOString(),
    primaryEndpoints: Object.fromEntries(
      ["blob", "queue", "table", "file", "dfs", "web"].map((s) => [s, `https://${r.name}.${s}.core.windows.net/`]),
    ),
  }),
};

models({
  class: "replacement",
  behaviour: "a storage account is replaced when isHnsEnabled or location changes; other settings update in place",
  source:
    "pulumi-azure-native provider/pkg/gen/replacement.go, forceNewMap Storage.StorageAccount: isHnsEnabled, location",
  test:
    "test/arm/storageAccount.test.ts › replaces an account whose isHnsEnabled or location changes, and updates " +
    "other settings in place",
});
