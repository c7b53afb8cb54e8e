/** azure-native `web:AppServicePlan`: Microsoft.Web/serverfarms, and what each pricing tier allows. */
import { models } from "../fidelity.ts";
import { type ArmResource, isObject } from "../state.ts";
import { ARM_ERRORS } from "./errors.ts";
import { type ArmSpec, autoNamedInGroup, resourceGroupOf } from "./resource.ts";

/** Learn "Azure subscription and service limits, quotas, and constraints", App Service limits. */
export const LIMITS_PAGE = 'Learn "Azure subscription and service limits, quotas, and constraints", App Service limits';

/**
 * A plan's tier from its SKU name (Learn "App Service pricing tiers": F1 Free, D1 Shared, B* Basic,
 * S* Standard, P*v2/v3/mv3 Premium, I* Isolated, Y1 Dynamic, EP* Elastic Premium, FC1 Flex Consumption).
 */
export function tierOf(plan: ArmResource | undefined): string {
  const sku = isObject(plan?.sku) ? plan!.sku : {};
  if (typeof sku.tier === "string" && sku.tier !== "") return sku.tier;
  const name = typeof sku.name === "string" ? sku.name.toUpperCase() : "";
  if (name.startsWith("EP")) return "ElasticPremium";
  if (name.startsWith("FC")) return "FlexConsumption";
  const tiers: Record<string, string> = {
    F: "Free",
    D: "Shared",
    B: "Basic",
    S: "Standard",
    P: "Premium",
    I: "Isolated",
    Y: "Dynamic",
  };
  return tiers[name[0] ?? ""] ?? "";
}

/** App Service limits, "Maximum instances (scale out)" per tier. */
const MAX_INSTANCES: Readonly<Record<string, number>> = {
  Free: 1,
  Shared: 1,
  Basic: 3,
  Standard: 10,
  Premium: 30,
  PremiumV2: 30,
  PremiumV3: 30,
  Isolated: 100,
};

/** App Service limits, "Web, mobile, or API apps per Azure App Service plan": Free 10, Shared 100. */
export const APPS_PER_PLAN: Readonly<Record<string, number>> = { Free: 10, Shared: 100 };

export const appServicePlan: ArmSpec = {
  ...autoNamedInGroup("Microsoft.Web/serverfarms", "2025-05-01", "name", [
    "location",
    "kind",
    "sku",
    "tags",
    "extendedLocation",
  ]),
  validate: (_state, r) => {
    const tier = tierOf(r);
    const capacity = isObject(r.sku) && typeof r.sku.capacity === "number" ? r.sku.capacity : 1;
    const max = MAX_INSTANCES[tier];
    if (max !== undefined && capacity > max) throw ARM_ERRORS.tooManyInstances(tier, capacity, max);
  },
  computed: (_state, r) => ({
    provisioningState: "Succeeded",
    status: "Ready",
    numberOfSites: 0,
    resourceGroup: resourceGroupOf(r.id) ?? "",
  }),
};

models({
  class: "plan-tier",
  behaviour:
    "a plan's sku.capacity (instances) above its tier's maximum is refused (Free/Shared 1, Basic 3, " +
    "Standard 10, Premium 30)",
  source: `${LIMITS_PAGE}, Maximum instances (scale out)`,
  test: "test/arm/appServicePlan.test.ts › refuses more instances than the tier allows",
});
