// Rules about the Entra tenant as a trust boundary. A Microsoft Graph application permission
// applies to the whole tenant: one that writes every object of its kind (AppRoleAssignment.ReadWrite.All
// lets its holder grant itself any permission, Microsoft Graph's included) writes every environment
// in that tenant. So an identity that anything but the prod GitHub environment can reach must hold
// no such permission in the tenant where prod lives: prod belongs in a tenant of its own.
import { graphPermission } from "../../model/roles.ts";
import { SHARED_TENANT_TAG } from "../../model/index.ts";
import { deploysOf, readsOf, subjectsOf, tenantWritesOf } from "../reach.ts";
import type { FederatedIdentity, StackView } from "../stack.ts";
import { asList, valueAt } from "../stack.ts";
import { violationAt, type Rule, type Violation } from "./rule.ts";

/** Whether prod's identities live in this stack's tenant (one bootstrap stack per tenant). */
function prodLivesHere(stack: StackView): boolean {
  return stack
    .federatedIdentities()
    .some(
      (i) => deploysOf(i).includes("prod") || readsOf(i).includes("prod") || subjectsOf(i).includes("environment:prod"),
    );
}

/** Whether the stack's config acknowledged that this identity shares prod's tenant. */
function acknowledged(identity: FederatedIdentity): boolean {
  return identity.apps.some((app) => (asList(valueAt(app.inputs, "tags")) ?? []).includes(SHARED_TENANT_TAG));
}

/** The identity's tenant-wide Graph writes when prod lives here and something other than prod can reach it. */
function sharedTenantViolations(stack: StackView, wantAcknowledged: boolean): Violation[] {
  if (!prodLivesHere(stack)) return [];
  return stack.federatedIdentities().flatMap((identity) => {
    const others = subjectsOf(identity).filter((s) => s !== "environment:prod");
    if (others.length === 0 || acknowledged(identity) !== wantAcknowledged) return [];
    return tenantWritesOf(identity, stack).map((g) => {
      const caution = graphPermission(String(g.resource.inputs["appRoleId"]))?.caution;
      return violationAt(
        g.resource,
        `${identity.owner.name} holds Graph ${g.name} in the tenant where prod lives and is reached by ` +
          `"${others.join('", "')}": a tenant-wide Graph write reaches every environment in the tenant` +
          `${caution ? ` (Microsoft: "${caution}")` : ""}, so it can take over prod. ` +
          (wantAcknowledged ? "Acknowledged by the stack's s2s-auth-bootstrap:sharedTenant. " : "") +
          'Fix: run prod in its own tenant, with its own bootstrap stack (docs/deploying.md, "Zero to dev")' +
          (wantAcknowledged ? "." : ", or acknowledge the shared tenant in s2s-auth-bootstrap:sharedTenant."),
      );
    });
  });
}

const prodTenantIsolated: Rule = {
  id: "tenant-prod-graph-isolated",
  severity: "error",
  description:
    "In the tenant where prod lives, no identity that anything but the prod GitHub environment can reach holds " +
    "a tenant-wide Microsoft Graph write permission, unless the stack's config acknowledges the shared tenant.",
  check: (stack) => sharedTenantViolations(stack, false),
};

const prodTenantSharedAcknowledged: Rule = {
  id: "tenant-prod-graph-shared",
  severity: "warning",
  description:
    "The acknowledged form of tenant-prod-graph-isolated, reported on every plan and preview: an identity " +
    "reachable by more than the prod environment holds a tenant-wide Graph write where prod lives.",
  check: (stack) => sharedTenantViolations(stack, true),
};

export const tenantRules: readonly Rule[] = [prodTenantIsolated, prodTenantSharedAcknowledged];
