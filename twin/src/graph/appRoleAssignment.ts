/** azuread `AppRoleAssignment`: Graph appRoleAssignments (a principal granted an app role of a resource). */
import { randomBytes } from "node:crypto";
import { requireGraph } from "../deployer.ts";
import { models } from "../fidelity.ts";
import { type ResourceHandler, RetryLater } from "../provider.ts";
import type { AppRoleAssignment, JsonObject, TwinState } from "../state.ts";
import { AZUREAD_ERRORS, GRAPH_ERRORS } from "./errors.ts";
import { replicated, replicationRemainingMs } from "./managedIdentity.ts";
import { Checks, str } from "./shared.ts";

const TEST = "test/graph/appRoleAssignment.test.ts";
const SOURCE = "terraform-provider-azuread v3.8.0 internal/services/approleassignments/app_role_assignment_resource.go";
/** The resource's create timeout (app_role_assignment_resource.go: Timeouts.Create 5 minutes). */
const CREATE_TIMEOUT_MS = 5 * 60_000;

/**
 * Who a principal is, for allowedMemberTypes: "Application" admits service principals, "User" admits
 * users and groups (Learn "appRole resource type", allowedMemberTypes).
 */
function principalKind(
  state: TwinState,
  objectId: string,
): { principalType: string; memberType: string; displayName: string } | undefined {
  const sp = state.graph.servicePrincipals[objectId];
  if (sp !== undefined)
    return replicated(state, sp)
      ? { principalType: "ServicePrincipal", memberType: "Application", displayName: sp.displayName ?? "" }
      : undefined;
  const user = state.graph.users[objectId];
  if (user !== undefined) return { principalType: "User", memberType: "User", displayName: user.displayName ?? "" };
  const group = state.graph.groups[objectId];
  if (group !== undefined) return { principalType: "Group", memberType: "User", displayName: group.displayName ?? "" };
  return undefined;
}

/** The default app role: Learn "appRoleAssignment resource type", appRoleId. */
const DEFAULT_ROLE = "00000000-0000-0000-0000-000000000000";

function assignmentOutputs(a: AppRoleAssignment): JsonObject {
  return {
    appRoleId: a.appRoleId,
    principalObjectId: a.principalId,
    resourceObjectId: a.resourceId,
    principalDisplayName: a.principalDisplayName ?? "",
    principalType: a.principalType ?? "",
    resourceDisplayName: a.resourceDisplayName ?? "",
  };
}

export const appRoleAssignment: ResourceHandler = {
  // azuread docs resources/app_role_assignment: every argument forces a new assignment.
  replaceOn: ["appRoleId", "principalObjectId", "resourceObjectId"],
  validate(inputs) {
    const checks = new Checks();
    // Schema: app_role_id, principal_object_id and resource_object_id are required UUIDs (validation.IsUUID).
    checks.uuid("appRoleId", inputs.appRoleId);
    checks.uuid("principalObjectId", inputs.principalObjectId);
    checks.uuid("resourceObjectId", inputs.resourceObjectId);
    return checks.failures;
  },
  create(state, inputs) {
    requireGraph(state, "appRoleAssignment.create");
    const resourceId = str(inputs.resourceObjectId);
    const principalId = str(inputs.principalObjectId);
    const appRoleId = str(inputs.appRoleId);
    const resource = state.graph.servicePrincipals[resourceId];
    if (resource === undefined || !replicated(state, resource)) throw GRAPH_ERRORS.resourceNotFound(resourceId);
    // azuread retries the POST on 404 and on "Not a valid reference update" (a principal Graph does not serve
    // yet) until its create timeout: a managed identity still replicating is waited for, not refused.
    const sp = state.graph.servicePrincipals[principalId];
    const remaining = sp === undefined ? 0 : replicationRemainingMs(state, sp);
    if (remaining > 0) {
      throw new RetryLater(
        Math.min(remaining, 10_000),
        CREATE_TIMEOUT_MS,
        AZUREAD_ERRORS.principalNotReplicated(principalId),
      );
    }
    const principal = principalKind(state, principalId);
    if (principal === undefined) throw GRAPH_ERRORS.resourceNotFound(principalId);
    // Learn "appRoleAssignment resource type": appRoleId names an app role of the resource; the default
    // id 00000000-... is accepted only when the resource declares no app roles. The role must admit the
    // principal's kind (appRole.allowedMemberTypes).
    const roles = resource.appRoles ?? [];
    const role = roles.find((r) => r.id === appRoleId && r.isEnabled !== false);
    const defaultOk = appRoleId === DEFAULT_ROLE && roles.length === 0;
    if (!defaultOk && (role === undefined || !(role.allowedMemberTypes ?? []).includes(principal.memberType))) {
      throw GRAPH_ERRORS.appRoleNotFound(resource.appId);
    }
    const duplicate = Object.values(state.graph.appRoleAssignments).some(
      (a) => a.principalId === principalId && a.resourceId === resourceId && a.appRoleId === appRoleId,
    );
    if (duplicate) throw GRAPH_ERRORS.appRoleAssignmentExists();
    // Assignment ids are opaque base64url strings (azuread app_role_assignment.d.ts import example).
    const assignment: AppRoleAssignment = {
      id: randomBytes(32).toString("base64url"),
      appRoleId,
      principalId,
      principalType: principal.principalType,
      principalDisplayName: principal.displayName,
      resourceId,
      resourceDisplayName: resource.displayName ?? "",
      createdDateTime: new Date().toISOString(),
    };
    state.graph.appRoleAssignments[assignment.id] = assignment;
    return {
      id: `/servicePrincipals/${resourceId}/appRoleAssignedTo/${assignment.id}`,
      outs: assignmentOutputs(assignment),
    };
  },
  read(state, id) {
    const a = state.graph.appRoleAssignments[id.split("/").at(-1) ?? ""];
    return a === undefined ? undefined : assignmentOutputs(a);
  },
  update(_state, _id, news) {
    return news;
  },
  delete(state, id) {
    const key = id.split("/").at(-1) ?? "";
    requireGraph(state, "appRoleAssignment.delete");
    // go-azure-sdk's DeleteAppRoleAssignedTo expects 200 or 204: an assignment someone already removed fails
    // the delete (a refresh first drops it from the state).
    if (state.graph.appRoleAssignments[key] === undefined)
      throw AZUREAD_ERRORS.deleteNotFound("app role assignment", id);
    delete state.graph.appRoleAssignments[key];
  },
};

models({
  class: "provider-checks",
  behaviour: "an app role assignment's appRoleId, principalObjectId and resourceObjectId must be UUIDs",
  source: `${SOURCE}, schema (validation.IsUUID)`,
  test: `${TEST} › refuses ids that are not UUIDs before calling Graph`,
});
models({
  class: "provider-calls",
  behaviour:
    "deleting an app role assignment someone already removed fails (404 is not an expected status); a refresh " +
    "first drops it",
  source: `${SOURCE}, Delete; go-azure-sdk method_deleteapproleassignedto.go, ExpectedStatusCodes 200/204`,
  test: `${TEST} › fails to delete an assignment someone already removed`,
});
models({
  class: "provider-calls",
  behaviour:
    "creating an assignment for a managed identity still replicating waits for it (up to the 5 minute create " +
    "timeout), then fails",
  source: `${SOURCE}:120, CreateAppRoleAssignedTo RetryFunc (404, "Not a valid reference update")`,
  test: `${TEST} › waits for a principal still replicating, within the create timeout`,
});
models({
  class: "not-stricter",
  behaviour:
    "an app role assignment for a managed identity still replicating succeeds once it replicates (the twin " +
    "refused it at once before)",
  source: `${SOURCE}:120, CreateAppRoleAssignedTo RetryFunc`,
  test: `${TEST} › waits for a principal still replicating, within the create timeout`,
});
