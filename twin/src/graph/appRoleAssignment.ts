/** azuread `AppRoleAssignment`: Graph appRoleAssignments (a principal granted an app role of a resource). */
import { randomBytes } from "node:crypto";
import { requireGraph } from "../deployer.ts";
import type { ResourceHandler } from "../provider.ts";
import type { AppRoleAssignment, JsonObject, TwinState } from "../state.ts";
import { GRAPH_ERRORS } from "./errors.ts";
import { replicated } from "./managedIdentity.ts";
import { str } from "./shared.ts";

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
  create(state, inputs) {
    requireGraph(state, "appRoleAssignment.create");
    const resourceId = str(inputs.resourceObjectId);
    const principalId = str(inputs.principalObjectId);
    const appRoleId = str(inputs.appRoleId);
    const resource = state.graph.servicePrincipals[resourceId];
    if (resource === undefined || !replicated(state, resource)) throw GRAPH_ERRORS.resourceNotFound(resourceId);
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
    if (state.graph.appRoleAssignments[key] === undefined) return;
    requireGraph(state, "appRoleAssignment.delete");
    delete state.graph.appRoleAssignments[key];
  },
};
