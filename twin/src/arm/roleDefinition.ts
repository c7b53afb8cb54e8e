/**
 * azure-native `authorization:RoleDefinition`: a custom role (Microsoft.Authorization/roleDefinitions),
 * defined once in its tenant and assignable at its `assignableScopes`. Its permissions are what a
 * principal holding it may do (twin/src/deployer.ts permissionsOf), on ARM and on the data planes
 * (twin/src/dataplane.ts).
 *
 * Sources: Learn "Azure custom roles" (a custom role's name is unique in the directory; a custom role
 * cannot be deleted while assignments use it, Learn "Troubleshoot Azure RBAC"); the REST API "Role
 * Definitions - Create Or Update" (PUT {scope}/providers/Microsoft.Authorization/roleDefinitions/{id}).
 */
import { deployerOf } from "../deployer.ts";
import { models } from "../fidelity.ts";
import { ARM_ERRORS } from "./errors.ts";
import type { ArmSpec } from "./resource.ts";

const TEST = "test/arm/roleDefinition.test.ts";
const TYPE = "microsoft.authorization/roledefinitions";

export const roleDefinition: ArmSpec = {
  armType: "Microsoft.Authorization/roleDefinitions",
  // node_modules/@pulumi/azure-native/authorization/roleDefinition.d.ts ("Uses Azure REST API version ...").
  apiVersion: "2022-05-01-preview",
  path: "{scope}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}",
  // A role definition's name is a GUID; azure-native generates one when the program names none.
  autoname: "uuid",
  envelope: [],
  validate: (state, r, inputs) => {
    const name = String(inputs.roleName ?? "").toLowerCase();
    const taken = Object.values(state.arm.resources).some(
      (other) =>
        other.type.toLowerCase() === TYPE &&
        other.name.toLowerCase() !== r.name.toLowerCase() &&
        String(other.properties.roleName ?? "").toLowerCase() === name,
    );
    if (taken) throw ARM_ERRORS.roleDefinitionWithSameNameExists();
  },
  validateDelete: (state, r) => {
    const guid = r.name.toLowerCase();
    const assigned = Object.values(state.arm.resources).some(
      (a) =>
        a.type.toLowerCase() === "microsoft.authorization/roleassignments" &&
        String(a.properties.roleDefinitionId ?? "")
          .toLowerCase()
          .endsWith(`/${guid}`),
    );
    if (assigned) throw ARM_ERRORS.roleDefinitionHasAssignments();
  },
  computed: (state) => {
    const now = new Date().toISOString();
    const by = deployerOf(state).servicePrincipalId;
    return { createdOn: now, updatedOn: now, createdBy: by, updatedBy: by };
  },
};

models({
  class: "arm-authorization",
  behaviour: "a custom role's name is unique in its tenant: another definition of that name is 409",
  source: 'Learn "Azure custom roles"; RoleDefinitionWithSameNameExists as quoted in Azure/Azure-Landing-Zones#1505',
  test: `${TEST} › refuses a second role of the same name, and deleting a role still assigned`,
});
models({
  class: "arm-authorization",
  behaviour: "a custom role grants what its permissions say: actions on ARM, dataActions on the data planes",
  source: 'Learn "Understand Azure role definitions" (Actions, NotActions, DataActions, NotDataActions)',
  test: `${TEST} › grants its holder its actions and data actions, and nothing else`,
});
