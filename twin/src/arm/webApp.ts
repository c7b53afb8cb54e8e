/** azure-native `web:WebApp`: Microsoft.Web/sites, an App Service or Function App site. */
import { randomHex } from "../state.ts";
import { ARM_ERRORS } from "./errors.ts";
import { type ArmSpec, autoNamedInGroup, globallyUnique, requireExisting, resourceGroupOf } from "./resource.ts";

/**
 * Learn "Naming rules and restrictions for Azure resources" (resource-name-rules), Microsoft.Web/sites:
 * 2-60 characters, alphanumerics and hyphens (and Unicode mapped to Punycode), not starting or ending
 * with a hyphen.
 */
function siteName(name: string): void {
  if (name.length < 2 || name.length > 60 || !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name)) {
    throw ARM_ERRORS.invalidSiteName(name);
  }
}

export const webApp: ArmSpec = {
  ...autoNamedInGroup("Microsoft.Web/sites", "2025-05-01", "name", [
    "location",
    "kind",
    "identity",
    "tags",
    "extendedLocation",
  ]),
  validate: (state, r, inputs) => {
    siteName(r.name);
    // A site's name is its host name under azurewebsites.net, unique across Azure (Learn resource-name-rules,
    // Microsoft.Web/sites).
    globallyUnique(state, r, () => ARM_ERRORS.websiteNameTaken(r.name));
    requireExisting(state, inputs.serverFarmId);
  },
  // Learn "App Service overview" / REST Web Apps - Get: defaultHostName is <name>.azurewebsites.net.
  computed: (_state, r) => {
    const host = `${r.name.toLowerCase()}.azurewebsites.net`;
    return {
      defaultHostName: host,
      hostNames: [host],
      enabledHostNames: [host, `${r.name.toLowerCase()}.scm.azurewebsites.net`],
      state: "Running",
      usageState: "Normal",
      availabilityState: "Normal",
      enabled: true,
      resourceGroup: resourceGroupOf(r.id) ?? "",
      outboundIpAddresses: "20.0.0.1,20.0.0.2",
      customDomainVerificationId: randomHex(64).toUpperCase(),
    };
  },
};
