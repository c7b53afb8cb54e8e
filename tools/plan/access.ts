// The access matrix: per callee, every principal that can obtain a token for it. Computed from
// the recorded resources (app role assignments, pre-authorized clients), so it shows what the
// code really does, not what the config intends.
import {
  compareCodeUnits,
  INVOKE_TOKEN,
  isPlainObject,
  parseReference,
  type PlannedResource,
  type Reference,
  RESOURCE_TYPE,
} from "../../model/index.ts";
import { KNOWN_APIS, type KnownApi } from "../../model/roles.ts";

export type PrincipalType = "ManagedIdentity" | "User" | "Group" | "AuthorizedClient" | "ServicePrincipal" | "Unknown";

export interface AccessEntry {
  /** The callee's name: its `s2s-auth:api:ProtectedApi` component. */
  callee: string;
  /** Who: a caller's name, a user principal name, an object id or a client name. */
  principal: string;
  principalType: PrincipalType;
  /** The app role value, or for an authorized client the delegated scope value. */
  role: string;
  /** URN of the resource that grants it. */
  grant: string;
}

/** How to name raw object ids and client ids; nothing else comes from config. */
export interface PrincipalLabels {
  /** Object ids (lowercase) declared as users. */
  users: readonly string[];
  /** Object ids (lowercase) declared as groups. */
  groups: readonly string[];
  /** Well-known client applications: name → client id. */
  clients: Readonly<Record<string, string>>;
}

export const NO_LABELS: PrincipalLabels = { users: [], groups: [], clients: {} };

/** The role id Entra uses for "default access" when an app declares no roles. */
const DEFAULT_ACCESS_ROLE_ID = "00000000-0000-0000-0000-000000000000";

const TYPE_ORDER: readonly PrincipalType[] = [
  "ManagedIdentity",
  "ServicePrincipal",
  "AuthorizedClient",
  "User",
  "Group",
  "Unknown",
];

/**
 * Labels for raw ids, from a stack's config: `<project>:devAccess` users (GUIDs) and groups.
 * Values are the strings a program receives (JSON text for structured values).
 */
export function labelsFromConfig(
  project: string,
  config: Readonly<Record<string, string>>,
  clients: Readonly<Record<string, string>>,
): PrincipalLabels {
  let dev: unknown;
  try {
    dev = JSON.parse(config[`${project}:devAccess`] ?? "null");
  } catch {
    dev = null;
  }
  const ids = (key: string): string[] => {
    const list = isPlainObject(dev) ? dev[key] : undefined;
    return Array.isArray(list)
      ? list.filter((v): v is string => typeof v === "string").map((v) => v.toLowerCase())
      : [];
  };
  return { users: ids("users"), groups: ids("groups"), clients };
}

interface Index {
  byUrn: Map<string, PlannedResource>;
  /** Object ids that a component takes as its `principalId` input, lowercased. */
  declaredIds: Map<string, PlannedResource>;
}

function buildIndex(resources: readonly PlannedResource[]): Index {
  const declaredIds = new Map<string, PlannedResource>();
  for (const r of resources) {
    const id = r.inputs["principalId"];
    if (!r.custom && typeof id === "string") declaredIds.set(id.toLowerCase(), r);
  }
  return { byUrn: new Map(resources.map((r) => [r.urn, r])), declaredIds };
}

function resourceRef(
  value: unknown,
  index: Index,
): { ref: Reference & { kind: "resource" }; resource: PlannedResource } | undefined {
  if (typeof value !== "string") return undefined;
  const ref = parseReference(value);
  if (ref?.kind !== "resource") return undefined;
  const resource = index.byUrn.get(ref.urn);
  return resource && { ref, resource };
}

function ancestors(resource: PlannedResource, index: Index): PlannedResource[] {
  const chain: PlannedResource[] = [];
  for (let p = resource.parent; p !== undefined;) {
    const parent = index.byUrn.get(p);
    if (!parent) break;
    chain.push(parent);
    p = parent.parent;
  }
  return chain;
}

/** The name a resource goes by in the matrix: its nearest component's, else its own. */
function ownerName(resource: PlannedResource, index: Index): string {
  return ancestors(resource, index).find((a) => !a.custom)?.name ?? resource.name;
}

function calleeName(resource: PlannedResource, index: Index): string {
  if (resource.type === RESOURCE_TYPE.protectedApi) return resource.name;
  return ancestors(resource, index).find((a) => a.type === RESOURCE_TYPE.protectedApi)?.name ?? resource.name;
}

/** The ProtectedApi a resource is declared in, else the value it names its target by. */
function calleeOrValue(resource: PlannedResource, target: unknown, index: Index): string {
  return ancestors(resource, index).find((a) => a.type === RESOURCE_TYPE.protectedApi)?.name ?? String(target);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Who a principal object id (literal or placeholder) designates. */
function tracePrincipal(
  value: unknown,
  index: Index,
  labels: PrincipalLabels,
): { principal: string; principalType: PrincipalType } {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const ref = parseReference(text);
  if (!ref) {
    const id = text.toLowerCase();
    if (labels.users.includes(id)) return { principal: text, principalType: "User" };
    if (labels.groups.includes(id)) return { principal: text, principalType: "Group" };
    // An identity that exists outside the stack, declared by a component: an external caller,
    // which config documents as an existing managed identity (VM, ACI, AKS, user-assigned).
    const declaring = index.declaredIds.get(id);
    if (declaring) return { principal: declaring.name, principalType: "ManagedIdentity" };
    return { principal: text, principalType: "Unknown" };
  }
  if (ref.kind === "resource") {
    const resource = index.byUrn.get(ref.urn);
    if (!resource) return { principal: text, principalType: "Unknown" };
    const managed = ref.path.startsWith("identity.") || /UserAssignedIdentity$/.test(resource.type);
    if (managed) return { principal: ownerName(resource, index), principalType: "ManagedIdentity" };
    if (resource.type === RESOURCE_TYPE.servicePrincipal || resource.type === RESOURCE_TYPE.application) {
      return { principal: ownerName(resource, index), principalType: "ServicePrincipal" };
    }
    return { principal: resource.name, principalType: "Unknown" };
  }
  const args = isPlainObject(ref.args) ? ref.args : {};
  switch (ref.token) {
    case INVOKE_TOKEN.getUser:
      return {
        principal: str(args["userPrincipalName"]) ?? str(args["objectId"]) ?? str(args["mailNickname"]) ?? text,
        principalType: "User",
      };
    case INVOKE_TOKEN.getGroup:
      return { principal: str(args["displayName"]) ?? str(args["objectId"]) ?? text, principalType: "Group" };
    case INVOKE_TOKEN.getServicePrincipal: {
      // A lookup of a managed identity's service principal is still that identity.
      if (args["objectId"] !== undefined) {
        const inner = tracePrincipal(args["objectId"], index, labels);
        if (inner.principalType === "ManagedIdentity" || inner.principalType === "ServicePrincipal") return inner;
      }
      return {
        principal: str(args["displayName"]) ?? str(args["clientId"]) ?? str(args["objectId"]) ?? text,
        principalType: "ServicePrincipal",
      };
    }
    default:
      return { principal: text, principalType: "Unknown" };
  }
}

/** The application a service principal is created for (through its `clientId` input). */
function applicationOf(sp: PlannedResource, index: Index): PlannedResource | undefined {
  const found = resourceRef(sp.inputs["clientId"], index);
  return found?.resource.type === RESOURCE_TYPE.application ? found.resource : undefined;
}

function listOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

function roleName(appRoleId: unknown, app: PlannedResource | undefined): string {
  const id = typeof appRoleId === "string" ? appRoleId : JSON.stringify(appRoleId);
  if (id === DEFAULT_ACCESS_ROLE_ID) return "(default access)";
  const role = listOf(app?.inputs["appRoles"]).find((r) => r["id"] === id);
  return str(role?.["value"]) ?? id;
}

function scopeName(scopeId: unknown, app: PlannedResource | undefined): string {
  const api = app?.inputs["api"];
  const scopes = listOf(isPlainObject(api) ? api["oauth2PermissionScopes"] : undefined);
  const id = typeof scopeId === "string" ? scopeId : JSON.stringify(scopeId);
  return str(scopes.find((s) => s["id"] === id)?.["value"]) ?? id;
}

function clientName(clientId: unknown, index: Index, labels: PrincipalLabels): string {
  const found = resourceRef(clientId, index);
  if (found) return ownerName(found.resource, index);
  const id = typeof clientId === "string" ? clientId : JSON.stringify(clientId);
  return Object.entries(labels.clients).find(([, known]) => known.toLowerCase() === id.toLowerCase())?.[0] ?? id;
}

/** The API a service principal lookup by client id designates, when every tenant has it (Microsoft Graph). */
function knownApi(value: unknown): KnownApi | undefined {
  const ref = typeof value === "string" ? parseReference(value) : undefined;
  if (ref?.kind !== "invoke" || ref.token !== INVOKE_TOKEN.getServicePrincipal) return undefined;
  if (!isPlainObject(ref.args)) return undefined;
  const clientId = ref.args["clientId"];
  return typeof clientId === "string" ? KNOWN_APIS[clientId.toLowerCase()] : undefined;
}

export function compareAccess(a: AccessEntry, b: AccessEntry): number {
  return (
    compareCodeUnits(a.callee, b.callee) ||
    TYPE_ORDER.indexOf(a.principalType) - TYPE_ORDER.indexOf(b.principalType) ||
    compareCodeUnits(a.principal, b.principal) ||
    compareCodeUnits(a.role, b.role) ||
    compareCodeUnits(a.grant, b.grant)
  );
}

/** Every (callee, principal, role) the recorded resources grant, sorted, one entry per grant. */
export function accessMatrix(
  resources: readonly PlannedResource[],
  labels: PrincipalLabels = NO_LABELS,
): AccessEntry[] {
  const index = buildIndex(resources);
  const entries: AccessEntry[] = [];
  for (const r of resources) {
    if (r.type === RESOURCE_TYPE.appRoleAssignment) {
      const target = resourceRef(r.inputs["resourceObjectId"], index);
      const sp = target?.resource;
      const api = sp ? undefined : knownApi(r.inputs["resourceObjectId"]);
      const role = roleName(r.inputs["appRoleId"], sp && applicationOf(sp, index));
      entries.push({
        // A known API (Microsoft Graph) by its name; a service principal the stack reads (an existing app
        // registration): the callee the grant sits in.
        callee: sp ? calleeName(sp, index) : (api?.name ?? calleeOrValue(r, r.inputs["resourceObjectId"], index)),
        ...tracePrincipal(r.inputs["principalObjectId"], index, labels),
        role: api?.appRoles[role] ?? role,
        grant: r.urn,
      });
    } else if (r.type === RESOURCE_TYPE.preAuthorized) {
      const target = resourceRef(r.inputs["applicationId"], index);
      const app = target?.resource.type === RESOURCE_TYPE.application ? target.resource : undefined;
      const permissions = Array.isArray(r.inputs["permissionIds"]) ? r.inputs["permissionIds"] : [];
      for (const scopeId of permissions) {
        entries.push({
          callee: app ? calleeName(app, index) : calleeOrValue(r, r.inputs["applicationId"], index),
          principal: clientName(r.inputs["authorizedClientId"], index, labels),
          principalType: "AuthorizedClient",
          role: scopeName(scopeId, app),
          grant: r.urn,
        });
      }
    }
  }
  return entries.sort(compareAccess);
}
