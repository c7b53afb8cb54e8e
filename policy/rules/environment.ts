// Rules that depend on the stack's environment: developer access (pre-authorized clients,
// delegated scopes, user and group assignments) exists in dev only; prod resources are protected.
import type { PlannedResource, RuleContext } from "../../model/index.ts";
import { asList, isBookkeeping, valueAt, type StackView } from "../stack.ts";
import { RESOURCE_TYPE } from "../../model/index.ts";
import { describeValue, violationAt, type Rule } from "./rule.ts";

/** Something that gives developers access, and what it is in a message's words. */
interface DevAccessGrant {
  resource: PlannedResource;
  what: string;
}

/** A rule that reports every developer access `find` sees, in any stack but dev. */
function devOnlyRule(id: string, description: string, find: (stack: StackView) => DevAccessGrant[]): Rule {
  return {
    id,
    severity: "error",
    description,
    check(stack, ctx: RuleContext) {
      if (ctx.environment === "dev") return [];
      const fix =
        `in a ${ctx.environment} stack. ` +
        "Fix: developer access belongs in dev stacks only; remove `devAccess` from this stack's config.";
      return find(stack).map(({ resource, what }) => violationAt(resource, `${what} ${fix}`));
    },
  };
}

const envNoPreauthorizedClients = devOnlyRule(
  "env-no-preauthorized-clients",
  "In test and prod, no client application is pre-authorized on any app.",
  (stack) => [
    ...stack.ofType(RESOURCE_TYPE.preAuthorized).map((resource) => ({
      resource,
      what: `client ${describeValue(resource.inputs["authorizedClientId"])} is pre-authorized`,
    })),
    ...stack
      .ofType(RESOURCE_TYPE.application)
      .filter((app) => (asList(valueAt(app.inputs, "api", "knownClientApplications")) ?? []).length > 0)
      .map((app) => ({ resource: app, what: "api.knownClientApplications is set" })),
  ],
);

const envNoDelegatedScopes = devOnlyRule(
  "env-no-delegated-scopes",
  "In test and prod, no app exposes a delegated (user) scope: only application permissions exist.",
  (stack) =>
    stack.permissionScopes().map((scope) => ({
      resource: scope.declaredBy,
      what: `delegated scope ${describeValue(scope.value)} is exposed`,
    })),
);

const envNoUserAssignments = devOnlyRule(
  "env-no-user-role-assignments",
  "In test and prod, no user or group holds an app role, and no app role can be assigned to users or groups.",
  (stack) => [
    ...stack
      .ofType(RESOURCE_TYPE.appRoleAssignment)
      .filter((assignment) => stack.ancestor(assignment, RESOURCE_TYPE.devAccess) !== undefined)
      .map((assignment) => ({ resource: assignment, what: "a user or group is assigned an app role" })),
    ...stack
      .appRoles()
      .filter((role) => (asList(role.allowedMemberTypes) ?? []).includes("User"))
      .map((role) => ({
        resource: role.declaredBy,
        what: `app role ${describeValue(role.value)} can be assigned to users and groups`,
      })),
  ],
);

const prodProtected: Rule = {
  id: "prod-resources-protected",
  severity: "error",
  description: "In prod, every resource is protected from deletion.",
  check: (stack, ctx) =>
    ctx.environment !== "prod"
      ? []
      : stack.resources
          .filter((resource) => !isBookkeeping(resource) && !resource.protect)
          .map((resource) =>
            violationAt(
              resource,
              "the resource is not protected in a prod stack. Fix: declare it with `protect: true` " +
                "(or under a parent that has it; index.ts sets it for prod).",
            ),
          ),
};

export const environmentRules: readonly Rule[] = [
  envNoPreauthorizedClients,
  envNoDelegatedScopes,
  envNoUserAssignments,
  prodProtected,
];
