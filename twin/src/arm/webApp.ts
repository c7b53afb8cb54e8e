/** azure-native `web:WebApp`: Microsoft.Web/sites, an App Service or Function App site. */
import { models } from "../fidelity.ts";
import { type ArmResource, type TwinState, armKey, isObject, randomHex } from "../state.ts";
import { APPS_PER_PLAN, LIMITS_PAGE, tierOf } from "./appServicePlan.ts";
import { ARM_ERRORS } from "./errors.ts";
import { type ArmSpec, autoNamedInGroup, globallyUnique, requireExisting, resourceGroupOf } from "./resource.ts";

const TEST = "test/arm/webApp.test.ts";
const NAMING = 'Learn "Naming rules and restrictions for Azure resources" (resource-name-rules), Microsoft.Web/sites';

/**
 * Microsoft.Web/sites: 2-60 characters, alphanumerics, hyphens and Unicode characters that can be mapped to
 * Punycode, not starting or ending with a hyphen.
 */
function siteName(name: string): void {
  if (name.length < 2 || name.length > 60 || !/^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u.test(name)) {
    throw ARM_ERRORS.invalidSiteName(name);
  }
}
models({
  class: "not-stricter",
  behaviour: "a site name may hold Unicode letters (its host name is their Punycode form)",
  source: `${NAMING}: "Alphanumeric, hyphens and Unicode characters that can be mapped to Punycode"`,
  test: `${TEST} › accepts a Unicode site name and serves it under its Punycode host name`,
});

/** The host label DNS uses for a site name: Punycode for Unicode names (WHATWG URL's domain-to-ASCII). */
function hostLabel(name: string): string {
  return new URL(`https://${name}.azurewebsites.net`).hostname.split(".")[0]!;
}

/** What a plan's tier refuses a site (Learn, App Service limits and "Configure an App Service app"). */
function tierAllows(state: TwinState, site: ArmResource): void {
  const planId = site.properties.serverFarmId;
  const plan = typeof planId === "string" ? state.arm.resources[armKey(planId)] : undefined;
  const tier = tierOf(plan);
  const config = isObject(site.properties.siteConfig) ? site.properties.siteConfig : {};
  if (config.alwaysOn === true && (tier === "Free" || tier === "Shared")) throw ARM_ERRORS.alwaysOnNotAllowed();
  const max = APPS_PER_PLAN[tier];
  if (max !== undefined && typeof planId === "string") {
    const others = Object.values(state.arm.resources).filter(
      (r) =>
        r.type === site.type &&
        armKey(r.id) !== armKey(site.id) &&
        String(r.properties.serverFarmId ?? "").toLowerCase() === planId.toLowerCase(),
    );
    if (others.length >= max) throw ARM_ERRORS.tooManySitesInPlan(tier, max);
  }
}
models({
  class: "plan-tier",
  behaviour: "Always On is refused on a Free or Shared plan (409 Conflict)",
  source:
    'Learn "Configure an App Service app", Always on (Basic tier or higher); ARM\'s answer as quoted in ' +
    "tonybaloney/simple-flask-azd#1",
  test: `${TEST} › refuses Always On on a Free plan and allows it on Basic`,
});
models({
  class: "plan-tier",
  behaviour: "a Free plan holds at most 10 sites and a Shared plan 100",
  source: `${LIMITS_PAGE}, Web, mobile, or API apps per Azure App Service plan`,
  test: `${TEST} › refuses an eleventh site on a Free plan`,
});

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
    tierAllows(state, r);
  },
  // Learn "App Service overview" / REST Web Apps - Get: defaultHostName is <name>.azurewebsites.net.
  computed: (_state, r) => {
    const host = `${hostLabel(r.name)}.azurewebsites.net`;
    return {
      defaultHostName: host,
      hostNames: [host],
      enabledHostNames: [host, `${hostLabel(r.name)}.scm.azurewebsites.net`],
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

models({
  class: "replacement",
  behaviour:
    "a site is replaced when its kind changes (App Service ↔ Function App), with a new name, a new " +
    "system-assigned identity and the old one's service principal removed",
  source: "pulumi-azure-native provider/pkg/gen/replacement.go, forceNewMap Web.WebApp: location, kind",
  test: `${TEST} › replaces a site whose kind changes, with a new identity`,
});
models({
  class: "replacement",
  behaviour: "setting or removing a ForceNew property replaces as a change does (ADD_REPLACE, DELETE_REPLACE)",
  source: "pulumi-azure-native provider/pkg/provider/diff.go, calculateObjectDiff (Adds and Deletes of replaceKeys)",
  test: `${TEST} › replaces when kind is added or removed`,
});
