/** azure-native `web:AppServicePlan`: Microsoft.Web/serverfarms. */
import { type ArmSpec, autoNamedInGroup, resourceGroupOf } from "./resource.ts";

export const appServicePlan: ArmSpec = {
  ...autoNamedInGroup("Microsoft.Web/serverfarms", "2025-05-01", "name", [
    "location",
    "kind",
    "sku",
    "tags",
    "extendedLocation",
  ]),
  computed: (_state, r) => ({
    provisioningState: "Succeeded",
    status: "Ready",
    numberOfSites: 0,
    resourceGroup: resourceGroupOf(r.id) ?? "",
  }),
};
