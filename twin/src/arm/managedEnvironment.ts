/** azure-native `app:ManagedEnvironment`: Microsoft.App/managedEnvironments, a Container Apps environment. */
import { randomHex } from "../state.ts";
import { containerAppsName } from "./containerApp.ts";
import { ARM_ERRORS } from "./errors.ts";
import { type ArmSpec, autoNamedInGroup } from "./resource.ts";

export const managedEnvironment: ArmSpec = {
  ...autoNamedInGroup("Microsoft.App/managedEnvironments", "2025-02-02-preview", "environmentName", [
    "location",
    "kind",
    "identity",
    "tags",
  ]),
  validate: (_state, r) => containerAppsName(r.name, 60, ARM_ERRORS.managedEnvironmentInvalidName),
  // Container Apps REST Managed Environments - Get: defaultDomain "<random>.<region>.azurecontainerapps.io".
  computed: (_state, r) => ({
    provisioningState: "Succeeded",
    defaultDomain: `${randomHex(8)}.${(r.location ?? "westeurope").toLowerCase().replace(/\s+/g, "")}.azurecontainerapps.io`,
    staticIp: "20.1.2.3",
  }),
};
