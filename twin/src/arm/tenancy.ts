/**
 * ARM accepts a token only for the subscriptions of the tenant that issued it: a request whose resource id
 * names another tenant's subscription is 401 InvalidAuthenticationTokenTenant, before any role is
 * looked at, and one naming a subscription no tenant holds is 404 SubscriptionNotFound (Learn
 * "Troubleshoot common Azure deployment errors"). Ids without a subscription (tenant-level scopes such
 * as `/` or `/providers/...`) pass.
 */
import { models } from "../fidelity.ts";
import { allTenants, subscriptionsOf, tenantOfSubscription, type TwinState } from "../state.ts";
import { ARM_ERRORS } from "./errors.ts";

/** Throws ARM's answer unless the signed-in tenant (`state`) holds the subscription `id` lives in. */
export function requireTokenTenant(state: TwinState, id: string): void {
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(id)?.[1];
  if (subscription === undefined || subscriptionsOf(state).includes(subscription.toLowerCase())) return;
  const owner = tenantOfSubscription(allTenants(state), subscription);
  if (owner === undefined) throw ARM_ERRORS.subscriptionNotFound(subscription);
  throw ARM_ERRORS.invalidAuthenticationTokenTenant(state.tenantId, owner.tenantId);
}

const TEST = "test/arm/tenancy.test.ts";
models({
  class: "tenancy",
  behaviour:
    "ARM refuses a token for another tenant's subscription with 401 InvalidAuthenticationTokenTenant, before " +
    "any role is looked at, and answers 404 SubscriptionNotFound for a subscription no tenant holds",
  source: 'Learn "Troubleshoot common Azure deployment errors"; the message as quoted in Azure/azure-sdk-for-net#49391',
  test: `${TEST} › answers 401 InvalidAuthenticationTokenTenant for another tenant's subscription, 404 for none`,
});
models({
  class: "tenancy",
  behaviour: "names global in Azure (site host names, storage accounts) are unique across every tenant",
  source: 'Learn "Naming rules and restrictions for Azure resources" (global uniqueness)',
  test: `${TEST} › keeps names that are global in Azure unique across tenants`,
});
