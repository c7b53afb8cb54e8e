/**
 * What the deploying identity may do; the errors Azure and Graph give when it may not are in their
 * catalogs (twin/src/arm/errors.ts, twin/src/graph/errors.ts).
 *
 * The deployer comes from the state's `deployer`, overridden by `S2S_TWIN_DEPLOYER` (a JSON file path or
 * inline JSON with any of `servicePrincipalId`, `azureRoles`, `graphAppRoles`), so an e2e run can withhold
 * one permission without editing the tenant.
 */
import { readFileSync } from "node:fs";
import { conditionAllows } from "./arm/condition.ts";
import { ARM_ERRORS } from "./arm/errors.ts";
import { GRAPH_ERRORS } from "./graph/errors.ts";
import {
  type ArmResource,
  type Deployer,
  type DeployerRole,
  type DirectoryObjectRef,
  type Json,
  MICROSOFT_GRAPH_APP_ID,
  type TwinState,
  isObject,
} from "./state.ts";

export function deployerOf(state: TwinState): Deployer {
  const raw = process.env.S2S_TWIN_DEPLOYER;
  if (raw === undefined || raw.trim() === "") return state.deployer;
  const text = raw.trim().startsWith("{") ? raw : readFileSync(raw, "utf8");
  return { ...state.deployer, ...(JSON.parse(text) as Partial<Deployer>) };
}

/** The deployer's client id: the application id of its service principal, when the tenant has it. */
export function deployerClientId(state: TwinState): string | undefined {
  return state.graph.servicePrincipals[deployerOf(state).servicePrincipalId]?.appId;
}

/**
 * What a principal holds, read from the tenant as Azure and Graph read it: its role assignments
 * (Azure RBAC evaluates the assignments at or above a scope, Learn "Understand scope for Azure
 * RBAC") and its app role assignments on Microsoft Graph (application permissions are app role
 * assignments to Graph's service principal, Learn "Grant or revoke API permissions
 * programmatically"). Who signs in with a client id holds this (twin/src/session.ts).
 */
export function holdingsOf(state: TwinState, servicePrincipalId: string): Deployer {
  const azureRoles = Object.values(state.arm.resources)
    .filter(
      (r) => r.type === "Microsoft.Authorization/roleAssignments" && r.properties.principalId === servicePrincipalId,
    )
    .flatMap((r) => {
      // A built-in role by its name, a custom one by its definition id.
      const id = String(r.properties.roleDefinitionId ?? "");
      const role = builtInRoleOf(id) ?? (customRoleOf(state, id) === undefined ? undefined : id);
      const scope = r.id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i, "");
      const condition = typeof r.properties.condition === "string" ? r.properties.condition : undefined;
      return role === undefined ? [] : [{ role, scope, ...(condition === undefined ? {} : { condition }) }];
    });
  const graph = Object.values(state.graph.servicePrincipals).find((sp) => sp.appId === MICROSOFT_GRAPH_APP_ID);
  const roleNames = new Map((graph?.appRoles ?? []).map((role) => [role.id, String(role.value)]));
  const graphAppRoles = Object.values(state.graph.appRoleAssignments)
    .filter((a) => a.principalId === servicePrincipalId && a.resourceId === graph?.id)
    .map((a) => roleNames.get(a.appRoleId))
    .filter((name): name is string => name !== undefined)
    .sort();
  return { servicePrincipalId, azureRoles, graphAppRoles };
}

/**
 * A role's permissions, as a role definition states them (Learn "Understand Azure role definitions"):
 * `actions` less `notActions` on the control plane, `dataActions` less `notDataActions` on the data plane.
 */
export interface RolePermissions {
  actions: readonly string[];
  notActions: readonly string[];
  dataActions?: readonly string[];
  notDataActions?: readonly string[];
}

const BLOB = "Microsoft.Storage/storageAccounts/blobServices";
const KEYS = "Microsoft.KeyVault/vaults/keys";

/**
 * Azure built-in roles as their JSON on Learn "Azure built-in roles" states them (privileged: Owner,
 * Contributor, User Access Administrator, Role Based Access Control Administrator; general: Reader;
 * storage: the Storage ... Data roles; security: Key Vault Crypto User). Contributor's notActions are the
 * ones this twin's types can meet.
 */
const BUILT_IN_ROLES: Readonly<Record<string, RolePermissions>> = {
  Owner: { actions: ["*"], notActions: [] },
  Contributor: {
    actions: ["*"],
    notActions: [
      "Microsoft.Authorization/*/Delete",
      "Microsoft.Authorization/*/Write",
      "Microsoft.Authorization/elevateAccess/Action",
    ],
  },
  Reader: { actions: ["*/read"], notActions: [] },
  "User Access Administrator": {
    actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
    notActions: [],
  },
  "Role Based Access Control Administrator": {
    actions: [
      "Microsoft.Authorization/roleAssignments/write",
      "Microsoft.Authorization/roleAssignments/delete",
      "*/read",
      "Microsoft.Support/*",
    ],
    notActions: [],
  },
  "Storage Blob Data Owner": {
    actions: [`${BLOB}/containers/*`, `${BLOB}/generateUserDelegationKey/action`],
    notActions: [],
    dataActions: [`${BLOB}/containers/blobs/*`],
  },
  "Storage Blob Data Contributor": {
    actions: [
      `${BLOB}/containers/delete`,
      `${BLOB}/containers/read`,
      `${BLOB}/containers/write`,
      `${BLOB}/generateUserDelegationKey/action`,
    ],
    notActions: [],
    dataActions: [
      `${BLOB}/containers/blobs/delete`,
      `${BLOB}/containers/blobs/read`,
      `${BLOB}/containers/blobs/write`,
      `${BLOB}/containers/blobs/move/action`,
      `${BLOB}/containers/blobs/add/action`,
    ],
  },
  "Storage Blob Data Reader": {
    actions: [`${BLOB}/containers/read`, `${BLOB}/generateUserDelegationKey/action`],
    notActions: [],
    dataActions: [`${BLOB}/containers/blobs/read`],
  },
  "Storage Queue Data Contributor": {
    actions: ["delete", "read", "write"].map((a) => `Microsoft.Storage/storageAccounts/queueServices/queues/${a}`),
    notActions: [],
    dataActions: ["delete", "read", "write", "process/action"].map(
      (a) => `Microsoft.Storage/storageAccounts/queueServices/queues/messages/${a}`,
    ),
  },
  "Storage Table Data Contributor": {
    actions: ["read", "write", "delete"].map((a) => `Microsoft.Storage/storageAccounts/tableServices/tables/${a}`),
    notActions: [],
    dataActions: ["read", "write", "delete", "add/action", "update/action"].map(
      (a) => `Microsoft.Storage/storageAccounts/tableServices/tables/entities/${a}`,
    ),
  },
  "Key Vault Crypto User": {
    actions: [],
    notActions: [],
    dataActions: [
      "read",
      "update/action",
      "backup/action",
      "encrypt/action",
      "decrypt/action",
      "wrap/action",
      "unwrap/action",
      "sign/action",
      "verify/action",
    ].map((a) => `${KEYS}/${a}`),
  },
};

function wildcard(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return regex.test(action);
}

function scopeCovers(scope: string, id: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, "");
  const target = id.toLowerCase();
  return s === "" || target === s || target.startsWith(`${s}/`);
}

/**
 * Built-in role definitions by the id that is the same in every tenant (Learn "Azure built-in roles":
 * each role's JSON `name`): the control-plane roles above, and the data roles the stacks assign,
 * which carry no control-plane write action this twin checks.
 */
export const BUILT_IN_ROLE_IDS: Readonly<Record<string, string>> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
  "18d7d88d-d35e-4fb5-a5c3-7773c4a72b9d": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
  "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
  "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
  "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": "Storage Blob Data Reader",
  "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor",
  "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "Storage Table Data Contributor",
  "12338af0-0e69-4776-bea7-57ae8d297424": "Key Vault Crypto User",
};

/** The built-in role a `roleDefinitionId` (…/providers/Microsoft.Authorization/roleDefinitions/<guid>) names. */
export function builtInRoleOf(roleDefinitionId: string): string | undefined {
  const m = /\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-f-]{36})$/i.exec(roleDefinitionId);
  return m ? BUILT_IN_ROLE_IDS[m[1]!.toLowerCase()] : undefined;
}

/** A custom role definition the tenant holds (twin/src/arm/roleDefinition.ts), by any id ending in its GUID. */
export function customRoleOf(state: TwinState, roleDefinitionId: string): ArmResource | undefined {
  const guid = roleDefinitionId.split("/").at(-1)?.toLowerCase() ?? "";
  return Object.values(state.arm.resources).find(
    (r) => r.type.toLowerCase() === "microsoft.authorization/roledefinitions" && r.name.toLowerCase() === guid,
  );
}

/**
 * The permission blocks of a role a principal holds: a built-in role by name or id, or a custom role the
 * tenant defines (its `permissions`; a role definition may list several blocks, each granting its actions
 * less its notActions). None for a role the tenant does not know.
 */
export function permissionsOf(state: TwinState, role: string): RolePermissions[] {
  const builtIn = BUILT_IN_ROLES[role] ?? BUILT_IN_ROLES[builtInRoleOf(role) ?? ""];
  if (builtIn !== undefined) return [builtIn];
  const permissions = customRoleOf(state, role)?.properties.permissions;
  const list = (value: Json | undefined) => (Array.isArray(value) ? value.filter((v) => typeof v === "string") : []);
  return (Array.isArray(permissions) ? permissions : []).filter(isObject).map((p) => ({
    actions: list(p.actions),
    notActions: list(p.notActions),
    dataActions: list(p.dataActions),
    notDataActions: list(p.notDataActions),
  }));
}

/** Whether one of the blocks grants `action`: on the control plane (actions), or the data plane (dataActions). */
export function grants(blocks: readonly RolePermissions[], action: string, plane: "control" | "data"): boolean {
  return blocks.some((b) => {
    const [allowed, denied] = plane === "control" ? [b.actions, b.notActions] : [b.dataActions, b.notDataActions];
    return (allowed ?? []).some((a) => wildcard(a, action)) && !(denied ?? []).some((n) => wildcard(n, action));
  });
}

/**
 * The role assignments of `holder` that grant `action` at `scope` (Learn "Understand scope for Azure RBAC":
 * an assignment at or above the scope), before their conditions are evaluated.
 */
export function granting(
  state: TwinState,
  holder: Deployer,
  action: string,
  scope: string,
  plane: "control" | "data",
): DeployerRole[] {
  return holder.azureRoles.filter(
    ({ role, scope: at }) => scopeCovers(at, scope) && grants(permissionsOf(state, role), action, plane),
  );
}

/**
 * ARM authorises each request against the caller's role assignments at or above the target scope
 * (Learn "Understand scope for Azure RBAC"); a missing action is 403 AuthorizationFailed. A role assignment
 * with a condition grants its actions only where the condition holds for the request (twin/src/arm/condition.ts);
 * `attributes` are what the request or the resource it deletes carries for conditions.
 */
export function requireAzureAction(
  state: TwinState,
  action: string,
  scope: string,
  attributes: Readonly<Record<string, readonly string[]>> = {},
): void {
  const deployer = deployerOf(state);
  const held = granting(state, deployer, action, scope, "control");
  if (held.some(({ condition }) => conditionAllows(condition, { action, attributes }))) return;
  const clientId = deployerClientId(state) ?? deployer.servicePrincipalId;
  throw (held.length > 0 ? ARM_ERRORS.conditionNotFulfilled : ARM_ERRORS.authorizationFailed)(
    clientId,
    deployer.servicePrincipalId,
    action,
    scope,
  );
}

/**
 * Graph operations and the application permissions that allow them, as alternatives of permission sets
 * (any one set, all of its members). Sources: each API's "Permissions" table on Learn (Create application,
 * Update application, Delete application, Create servicePrincipal, Update/Delete servicePrincipal,
 * Grant an appRoleAssignment for a service principal, Create federatedIdentityCredential, Get servicePrincipal,
 * Get user) and the azuread provider docs' "API Permissions" sections for the resources and data sources
 * that read before they write (app_role_assignment: AppRoleAssignment.ReadWrite.All with Application.Read.All).
 * `owned` marks sets that only reach objects the deployer owns (Application.ReadWrite.OwnedBy: "It cannot
 * update any apps that it is not an owner of", Learn "Microsoft Graph permissions reference").
 */
export type GraphOperation =
  | "application.create"
  | "application.update"
  | "application.delete"
  | "servicePrincipal.create"
  | "servicePrincipal.update"
  | "servicePrincipal.delete"
  | "appRoleAssignment.create"
  | "appRoleAssignment.delete"
  | "servicePrincipal.read"
  | "application.read"
  | "user.read";

interface PermissionSet {
  all: string[];
  owned?: true;
}

const WRITE_APPS: PermissionSet[] = [
  { all: ["Application.ReadWrite.OwnedBy"], owned: true },
  { all: ["Application.ReadWrite.All"] },
  { all: ["Directory.ReadWrite.All"] },
];
const READ_APPS: PermissionSet[] = [
  { all: ["Application.Read.All"] },
  { all: ["Application.ReadWrite.All"] },
  { all: ["Directory.Read.All"] },
  { all: ["Directory.ReadWrite.All"] },
  // OwnedBy reads what it owns; lookups of other objects need a read-all permission.
  { all: ["Application.ReadWrite.OwnedBy"], owned: true },
];

export const GRAPH_PERMISSIONS: Readonly<Record<GraphOperation, PermissionSet[]>> = {
  "application.create": WRITE_APPS,
  "application.update": WRITE_APPS,
  "application.delete": WRITE_APPS,
  "servicePrincipal.create": WRITE_APPS,
  "servicePrincipal.update": WRITE_APPS,
  "servicePrincipal.delete": WRITE_APPS,
  "appRoleAssignment.create": [
    { all: ["AppRoleAssignment.ReadWrite.All", "Application.Read.All"] },
    { all: ["AppRoleAssignment.ReadWrite.All", "Directory.Read.All"] },
    { all: ["Application.ReadWrite.All"] },
    { all: ["Directory.ReadWrite.All"] },
  ],
  "appRoleAssignment.delete": [
    { all: ["AppRoleAssignment.ReadWrite.All", "Application.Read.All"] },
    { all: ["AppRoleAssignment.ReadWrite.All", "Directory.Read.All"] },
    { all: ["Application.ReadWrite.All"] },
    { all: ["Directory.ReadWrite.All"] },
  ],
  "servicePrincipal.read": READ_APPS,
  "application.read": READ_APPS,
  "user.read": [
    { all: ["User.ReadBasic.All"] },
    { all: ["User.Read.All"] },
    { all: ["Directory.Read.All"] },
    { all: ["Directory.ReadWrite.All"] },
  ],
};

/** A Graph object that has owners (applications, service principals). */
export interface Owned {
  owners?: DirectoryObjectRef[];
}

export function ownerIds(object: Owned): string[] {
  return (object.owners ?? []).map((o) => o.id);
}

/**
 * Throws Graph's 403 Authorization_RequestDenied unless the deployer holds a permission set for
 * `operation`; `target` is the object acted on (for ownership), undefined for creates and for lookups by query.
 */
export function requireGraph(state: TwinState, operation: GraphOperation, target?: Owned): void {
  const deployer = deployerOf(state);
  const held = new Set(deployer.graphAppRoles);
  const ok = GRAPH_PERMISSIONS[operation].some(
    (set) =>
      set.all.every((p) => held.has(p)) &&
      (!set.owned || target === undefined || ownerIds(target).includes(deployer.servicePrincipalId)),
  );
  if (!ok) throw GRAPH_ERRORS.authorizationRequestDenied();
}
