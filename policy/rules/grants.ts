// Rules on grants: an app role assignment grants a role the callee's app declares (inline or as
// an ApplicationAppRole; the stack view relates the grant to its callee and the callee to its roles).
import { RESOURCE_TYPE } from "../../model/index.ts";
import { violationAt, type Rule } from "./rule.ts";

const grantRoleExists: Rule = {
  id: "grant-role-exists",
  severity: "error",
  description: "Every app role assignment grants a role that the target service principal's app declares.",
  check: (stack) =>
    stack.ofType(RESOURCE_TYPE.appRoleAssignment).flatMap((assignment) => {
      const roleId = assignment.inputs["appRoleId"];
      const callee = stack.calleeOfGrant(assignment);
      const roles = callee?.appRoles;
      // Not judged while the granted role, the callee's app or any of its role ids is not known.
      if (typeof roleId !== "string" || callee?.app === undefined || roles === undefined) return [];
      if (roles.some((role) => role.id === undefined || role.id === roleId)) return [];
      const declared = roles.map((role) => `${String(role.value)}=${String(role.id)}`).join(", ") || "none";
      return [
        violationAt(
          assignment,
          `appRoleId ${roleId} is not a role of ${callee.app.name} (roles: ${declared}). ` +
            "Fix: grant one of the callee's declared roles, or declare the role on its app.",
        ),
      ];
    }),
};

export const grantRules: readonly Rule[] = [grantRoleExists];
