/** azure-native `resources:ResourceGroup`: Microsoft.Resources/resourceGroups. */
import { type ArmSpec, RG } from "./resource.ts";

export const resourceGroup: ArmSpec = {
  armType: "Microsoft.Resources/resourceGroups",
  apiVersion: "2024-03-01",
  path: RG,
  autoname: "random",
  envelope: ["location", "tags", "managedBy"],
  computed: () => ({ provisioningState: "Succeeded" }),
};
