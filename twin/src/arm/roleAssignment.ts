/** azure-native `authorization:RoleAssignment`: Microsoft.Authorization/roleAssignments, at any scope. */
import { builtInRoleOf, customRoleOf, deployerOf } from "../deployer.ts";
import { models } from "../fidelity.ts";
import { principalVisible } from "../graph/managedIdentity.ts";
import { type TwinState, armKey } from "../state.ts";
import { roleAssignmentAttributes } from "./condition.ts";
import { ARM_ERRORS } from "./errors.ts";
import type { ArmSpec } from "./resource.ts";

const TEST = "test/arm/roleAssignment.test.ts";

/** The principal type ARM finds for an object id: Learn "Assign Azure roles using the REST API", principalType. */
function principalTypeOf(state: TwinState, principalId: string): string | undefined {
  if (state.graph.servicePrincipals[principalId] !== undefined) return "ServicePrincipal";
  if (state.graph.users[principalId] !== undefined) return "User";
  if (state.graph.groups[principalId] !== undefined) return "Group";
  return undefined;
}

/**
 * A role definition exists when it is built in (the same id in every tenant) or the tenant holds it as an ARM
 * resource (a custom role: azure-native `authorization:RoleDefinition`, or one made with `twin add-resource`).
 */
function roleDefinitionExists(state: TwinState, roleDefinitionId: string): boolean {
  return builtInRoleOf(roleDefinitionId) !== undefined || customRoleOf(state, roleDefinitionId) !== undefined;
}
models({
  class: "not-stricter",
  behaviour:
    "a custom role definition the tenant holds can be assigned (only unknown ids are RoleDefinitionDoesNotExist)",
  source: 'Learn "Troubleshoot Azure RBAC", RoleDefinitionDoesNotExist; Learn "Azure custom roles"',
  test: `${TEST} › assigns a custom role definition the tenant holds`,
});

export const roleAssignment: ArmSpec = {
  armType: "Microsoft.Authorization/roleAssignments",
  apiVersion: "2022-04-01",
  path: "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
  // Role assignment names are GUIDs (Learn "Assign Azure roles using the REST API"); azure-native generates one.
  autoname: "uuid",
  envelope: [],
  // REST Role Assignments - Get: `properties.scope` is the scope the assignment is made at.
  pathParamsInProperties: ["scope"],
  validate: (state, r, inputs) => {
    const principalId = String(inputs.principalId ?? "");
    // Learn "Troubleshoot Azure RBAC": PrincipalNotFound, including a principal that is still replicating,
    // unless the request names its principalType ("set the role assignment principalType property" is the
    // documented way around the replication delay for a principal just created).
    const actual = principalTypeOf(state, principalId);
    const specified =
      typeof inputs.principalType === "string" && inputs.principalType !== "" ? inputs.principalType : "";
    if (actual === undefined || (specified === "" && !principalVisible(state, principalId))) {
      throw ARM_ERRORS.principalNotFound(principalId, state.tenantId);
    }
    // ARM compares a declared principalType with the principal it finds (UnmatchedPrincipalType).
    if (specified !== "" && principalVisible(state, principalId) && specified.toLowerCase() !== actual.toLowerCase()) {
      throw ARM_ERRORS.unmatchedPrincipalType(principalId, actual, specified);
    }
    // The role must exist: ARM answers 400 RoleDefinitionDoesNotExist for an id that names no role
    // definition (Learn "Troubleshoot Azure RBAC").
    const roleDefinitionId = String(inputs.roleDefinitionId ?? "");
    if (!roleDefinitionExists(state, roleDefinitionId)) throw ARM_ERRORS.roleDefinitionDoesNotExist(roleDefinitionId);
    // Learn "Troubleshoot Azure RBAC": RoleAssignmentExists for the same principal, role and scope.
    const duplicate = Object.values(state.arm.resources).some(
      (other) =>
        other.type === r.type &&
        armKey(other.id) !== armKey(r.id) &&
        other.properties.principalId === principalId &&
        String(other.properties.roleDefinitionId ?? "").toLowerCase() === roleDefinitionId.toLowerCase() &&
        String(other.properties.scope ?? "").toLowerCase() === String(inputs.scope ?? "").toLowerCase(),
    );
    if (duplicate) throw ARM_ERRORS.roleAssignmentExists();
  },
  conditionAttributes: (source, r) => roleAssignmentAttributes(source, r.properties),
  computed: (state) => ({ createdOn: new Date().toISOString(), createdBy: deployerOf(state).servicePrincipalId }),
};

models({
  class: "arm-authorization",
  behaviour: "a declared principalType must be the principal's own type, else 400 UnmatchedPrincipalType",
  source: "ARM's UnmatchedPrincipalType, as quoted in Azure/modern-web-app-pattern-dotnet#129",
  test: `${TEST} › refuses a principalType that is not the principal's (UnmatchedPrincipalType)`,
});
models({
  class: "replacement",
  behaviour:
    "a role assignment is replaced when its principalId or scope changes, and updated in place when its role, " +
    "principalType, condition or description does",
  source:
    "pulumi-azure-native provider/pkg/gen/replacement.go (forceNewMap Authorization.RoleAssignment: principalId, " +
    "scope); authorization-RoleAssignmentsCalls.json 2022-04-01 (no x-ms-mutability)",
  test: `${TEST} › replaces on principalId and updates a condition in place, as azure-native does`,
});
