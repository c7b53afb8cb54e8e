// Rules on the callee's service principal (its enterprise application): assignment required, so
// Entra ID issues tokens only to granted callers, and hidden from users.
import { asList, valueAt } from "../stack.ts";
import { violationAt, wrongSetting, type Rule } from "./rule.ts";

const calleeSpAssignmentRequired: Rule = {
  id: "callee-sp-assignment-required",
  severity: "error",
  description:
    "Every callee has a service principal that requires an app role assignment, " +
    "so Entra ID issues tokens only to granted callers.",
  check(stack) {
    const notRequired = stack.apiServicePrincipals().flatMap((sp) => {
      const message = wrongSetting(
        sp,
        ["appRoleAssignmentRequired"],
        true,
        "set `appRoleAssignmentRequired: true` on the ServicePrincipal; " +
          "otherwise any identity in the tenant can get a token for the callee.",
      );
      return message === undefined ? [] : [violationAt(sp, message)];
    });
    // An existing app registration's service principal is read, not declared: judged by what was read.
    const existing = stack
      .callees()
      .filter((callee) => callee.existingApplication?.appRoleAssignmentRequired === false)
      .map((callee) =>
        violationAt(
          callee.component,
          `the service principal of app registration ${String(callee.existingApplication!.clientId)} ` +
            "(existingApplication) does not require an app role assignment, so any identity in the tenant can get " +
            'a token for the callee. Fix: set "Assignment required?" to Yes on its enterprise application.',
        ),
      );
    const missing = stack
      .callees()
      .filter((callee) => callee.servicePrincipals.length === 0 && callee.existingApplication === undefined)
      .map((callee) =>
        violationAt(
          callee.component,
          "the callee has no service principal, so nothing requires an app role assignment. " +
            "Fix: create a ServicePrincipal for the callee's app with `appRoleAssignmentRequired: true`.",
        ),
      );
    return [...notRequired, ...existing, ...missing];
  },
};

const calleeSpHidden: Rule = {
  id: "callee-sp-hidden",
  severity: "error",
  description: "Callee (API) service principals are hidden from users (not listed in My Apps).",
  check: (stack) => [
    ...stack
      .apiServicePrincipals()
      .filter(
        (sp) =>
          !(asList(sp.inputs["featureTags"]) ?? []).some((tag) => valueAt(tag, "hide") === true) &&
          !(asList(sp.inputs["tags"]) ?? []).includes("HideApp"),
      )
      .map((sp) =>
        violationAt(
          sp,
          "the service principal is visible to users. " +
            "Fix: set `featureTags: [{ hide: true, enterprise: true }]` on the ServicePrincipal.",
        ),
      ),
    ...stack
      .callees()
      .filter((callee) => callee.existingApplication?.hiddenFromUsers === false)
      .map((callee) =>
        violationAt(
          callee.component,
          `the service principal of app registration ${String(callee.existingApplication!.clientId)} ` +
            '(existingApplication) is visible to users (in My Apps). Fix: set "Visible to users?" to No on its ' +
            "enterprise application.",
        ),
      ),
  ],
};

export const calleeServicePrincipalRules: readonly Rule[] = [calleeSpAssignmentRequired, calleeSpHidden];
