/** azure-native `authorization:RoleAssignment`: Microsoft.Authorization/roleAssignments, at any scope. */
import { builtInRoleOf, deployerOf } from "../deployer.ts";
import { principalVisible } from "../graph/managedIdentity.ts";
import { armKey } from "../state.ts";
import { ARM_ERRORS } from "./errors.ts";
import type { ArmSpec } from "./resource.ts";

export const roleAssignment: ArmSpec = {
  armType: "Microsoft.Authorization/roleAssignments",
  apiVersion: "2022-04-01",
  path: "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
  // Role assignment names are GUIDs (Learn "Assign Azure roles using the REST API"); azure-native generates one.
  autoname: "uuid",
  envelope: [],
  // REST Role Assignments - Get: `properties.scope` is the scope the assignment is made at.
  pathParamsInProperties: ["scope"],
  // A role assignment cannot be changed in place: ARM answers RoleAssignmentUpdateNotPermitted
  // (Learn "Troubleshoot Azure RBAC"), so azure-native replaces it.
  alsoReplaceOn: ["principalId", "roleDefinitionId", "principalType", "condition"],
  validate: (state, r, inputs) => {
    const principalId = String(inputs.principalId ?? "");
    // Learn "Troubleshoot Azure RBAC": PrincipalNotFound, including a principal that is still replicating,
    // unless the request names its principalType ("set the role assignment principalType property" is the
    // documented way around the replication delay for a principal just created).
    const known =
      state.graph.servicePrincipals[principalId] ?? state.graph.users[principalId] ?? state.graph.groups[principalId];
    const typed = typeof inputs.principalType === "string" && inputs.principalType !== "";
    if (known === undefined || (!typed && !principalVisible(state, principalId))) {
      throw ARM_ERRORS.principalNotFound(principalId, state.tenantId);
    }
    // The role must exist: ARM answers 400 RoleDefinitionDoesNotExist for an id that names no role
    // definition (Learn "Troubleshoot Azure RBAC"). This twin knows the built-in roles only.
    const roleDefinitionId = String(inputs.roleDefinitionId ?? "");
    if (builtInRoleOf(roleDefinitionId) === undefined) throw ARM_ERRORS.roleDefinitionDoesNotExist(roleDefinitionId);
    // Learn "Troubleshoot Azure RBAC": RoleAssignmentExists for the same principal, role and scope.
    const duplicate = Object.values(state.arm.resources).some(
      (other) =>
        other.type === r.type &&
        armKey(other.id) !== armKey(r.id) &&
        other.properties.principalId === principalId &&
        String(other.properties.roleDefinitionId ?? "").toLowerCase() ===
          String(inputs.roleDefinitionId ?? "").toLowerCase() &&
        String(other.properties.scope ?? "").toLowerCase() === String(inputs.scope ?? "").toLowerCase(),
    );
    if (duplicate) throw ARM_ERRORS.roleAssignmentExists();
  },
  computed: (state) => ({ createdOn: new Date().toISOString(), createdBy: deployerOf(state).servicePrincipalId }),
};
