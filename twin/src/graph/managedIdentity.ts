/**
 * The service principals Entra ID keeps for managed identities, made and removed with their ARM resource
 * (twin/src/arm/resource.ts), and the replication delay before Graph lookups and role assignments see them.
 */
import { randomBytes } from "node:crypto";
import { modelledMsSince } from "../clock.ts";
import { type GraphServicePrincipal, type TwinState, newGuid } from "../state.ts";
import { dropAssignmentsOf } from "./shared.ts";

/**
 * How long a new managed identity's service principal stays invisible to Graph lookups, in modelled
 * time (twin/src/clock.ts). Entra ID replicates new objects asynchronously; a role or app role assignment
 * made at once can fail with PrincipalNotFound (Learn "Troubleshoot Azure RBAC", "replication delay").
 * Default 0 keeps tests fast.
 */
function identityDelayMs(): number {
  const raw = Number(process.env.S2S_TWIN_IDENTITY_DELAY_MS ?? "0");
  return Number.isFinite(raw) && raw > 0 ? raw : 0;
}

/** Whether Graph sees this service principal yet: a managed identity's only once it has replicated. */
export function replicated(state: TwinState, sp: GraphServicePrincipal): boolean {
  if (sp.servicePrincipalType !== "ManagedIdentity") return true;
  const owner = Object.values(state.arm.resources).find((r) => r.identity?.principalId === sp.id);
  const created = owner?.systemData?.createdAt;
  return created === undefined || modelledMsSince(created) >= identityDelayMs();
}

/** Modelled milliseconds until Graph sees this service principal (0 once it does). */
export function replicationRemainingMs(state: TwinState, sp: GraphServicePrincipal): number {
  if (sp.servicePrincipalType !== "ManagedIdentity") return 0;
  const owner = Object.values(state.arm.resources).find((r) => r.identity?.principalId === sp.id);
  const created = owner?.systemData?.createdAt;
  return created === undefined ? 0 : Math.max(0, identityDelayMs() - modelledMsSince(created));
}

/** A user, group or (replicated) service principal with this object id. */
export function principalVisible(state: TwinState, objectId: string): boolean {
  const sp = state.graph.servicePrincipals[objectId];
  if (sp !== undefined) return replicated(state, sp);
  return state.graph.users[objectId] !== undefined || state.graph.groups[objectId] !== undefined;
}

/**
 * The service principal Entra ID creates for a system-assigned identity: type ManagedIdentity, its
 * appId the identity's client id, alternativeNames holding the resource id (Learn "servicePrincipal
 * resource type", servicePrincipalType and alternativeNames).
 */
export function managedIdentityServicePrincipal(state: TwinState, displayName: string, resourceId: string): string {
  const id = newGuid();
  const appId = newGuid();
  state.graph.servicePrincipals[id] = {
    id,
    appId,
    displayName,
    servicePrincipalType: "ManagedIdentity",
    accountEnabled: true,
    appRoleAssignmentRequired: false,
    appRoles: [],
    oauth2PermissionScopes: [],
    tags: [],
    alternativeNames: ["isExplicit=False", resourceId],
    servicePrincipalNames: [appId, `https://identity.azure.net/${randomBytes(32).toString("base64")}`],
    appOwnerOrganizationId: state.tenantId,
  };
  return id;
}

/**
 * A managed identity's principal goes with its resource, not to deleted items (Learn "managed identities", lifecycle).
 */
export function removePrincipal(state: TwinState, objectId: string): void {
  delete state.graph.servicePrincipals[objectId];
  dropAssignmentsOf(state, objectId);
}
