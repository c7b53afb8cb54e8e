/**
 * ARM accepts a token only for the subscriptions of the tenant that issued it: a request whose resource id
 * names another tenant's subscription is 401 InvalidAuthenticationTokenTenant, before any role is
 * looked at, and one naming a subscription no tenant holds is 404 SubscriptionNotFound (Learn
 * "Troubleshoot common Azure deployment errors"). Ids without a subscription (tenant-level scopes such
 * as `/` or `/providers/...`) pass.
 */
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
