/** azure-native `app:ContainerApp`: Microsoft.App/containerApps. */
import { type ArmResource, type TwinState, armKey, isObject, randomHex } from "../state.ts";
import { ARM_ERRORS, type CloudError } from "./errors.ts";
import { type ArmSpec, autoNamedInGroup, requireExisting } from "./resource.ts";

/**
 * Learn "Naming rules and restrictions for Azure resources" (resource-name-rules): Microsoft.App/containerApps
 * 2-32 characters and Microsoft.App/managedEnvironments 2-60, lowercase letters, numbers and hyphens,
 * starting with a letter, ending alphanumeric, no "--".
 */
export function containerAppsName(name: string, max: number, error: (name: string, max: number) => CloudError): void {
  if (name.length < 2 || name.length > max || !/^[a-z][a-z0-9-]*[a-z0-9]$/.test(name) || name.includes("--")) {
    throw error(name, max);
  }
}

/**
 * Container Apps ingress: the app's FQDN is <app>.<environment default domain>, internal ones add
 * ".internal" (Learn "Ingress in Azure Container Apps").
 */
function computed(state: TwinState, r: ArmResource) {
  const envId = String(r.properties.managedEnvironmentId ?? r.properties.environmentId ?? "");
  const domain = String(
    state.arm.resources[armKey(envId)]?.properties.defaultDomain ?? "unknown.azurecontainerapps.io",
  );
  const configuration = isObject(r.properties.configuration) ? r.properties.configuration : {};
  const ingress = isObject(configuration.ingress) ? configuration.ingress : undefined;
  const fqdn = ingress ? `${r.name}${ingress.external === true ? "" : ".internal"}.${domain}` : undefined;
  const revision = `${r.name}--${randomHex(7)}`;
  return {
    provisioningState: "Succeeded",
    runningStatus: "Running",
    latestRevisionName: revision,
    latestReadyRevisionName: revision,
    latestRevisionFqdn: fqdn ? fqdn.replace(r.name, revision) : "",
    outboundIpAddresses: ["20.1.2.4"],
    customDomainVerificationId: randomHex(64).toUpperCase(),
    configuration: ingress ? { ...configuration, ingress: { ...ingress, fqdn: fqdn ?? "" } } : configuration,
  };
}

export const containerApp: ArmSpec = {
  ...autoNamedInGroup("Microsoft.App/containerApps", "2025-02-02-preview", "containerAppName", [
    "location",
    "kind",
    "identity",
    "tags",
    "extendedLocation",
    "managedBy",
  ]),
  validate: (state, r, inputs) => {
    containerAppsName(r.name, 32, ARM_ERRORS.containerAppInvalidName);
    requireExisting(state, inputs.managedEnvironmentId ?? inputs.environmentId);
  },
  computed,
  // The ingress FQDN follows the configuration an update sets.
  recomputedOnUpdate: (state, r) => ({ configuration: computed(state, r).configuration }),
};
