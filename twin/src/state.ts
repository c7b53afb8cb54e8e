/**
 * The twin's one model of a tenant: a JSON file (path in `S2S_TWIN_STATE`) holding ARM resources and
 * Microsoft Graph objects in the shapes their REST APIs return, shared by every plugin process.
 *
 * Writes go through `withState`: an exclusive lock file (O_EXCL create) serialises the two plugin
 * processes and the CLI, and the new content is written to a temporary file and renamed over the old
 * one, so a reader never sees half a file and a killed writer never corrupts it.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ArmIdentity {
  type: string;
  principalId?: string;
  tenantId?: string;
}

export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  kind?: string;
  sku?: Json;
  tags?: Json;
  identity?: ArmIdentity;
  /** ARM's `systemData` (Azure Resource Manager "systemData" property): when the resource was created. */
  systemData?: { createdAt: string; lastModifiedAt: string };
  properties: JsonObject;
}

/** A directory object as Graph returns it; each collection has its own documented properties. */
export type GraphObject = JsonObject & { id: string };

/**
 * The Graph collections every tenant has, each keyed by object id: `domains` holds Graph `domain`
 * objects (GET /domains), the tenant's verified domains; `deletedItems` what Graph keeps restorable.
 */
export const GRAPH_COLLECTIONS = [
  "applications",
  "servicePrincipals",
  "appRoleAssignments",
  "federatedIdentityCredentials",
  "users",
  "groups",
  "deletedItems",
  "domains",
] as const;

export type GraphState = { [K in (typeof GRAPH_COLLECTIONS)[number]]: Record<string, GraphObject> } & {
  /**
   * Delegated consent in Graph's oAuth2PermissionGrant shape, read by the Entra runtime (a fixture can
   * grant consent without pre-authorization); no plugin writes it.
   */
  oauth2PermissionGrants?: Record<string, GraphObject>;
};

/** An Azure role assignment the deployer holds: a built-in role name and the scope it applies at. */
export interface DeployerRole {
  role: string;
  scope: string;
  /** An ABAC condition on the assignment (role assignment conditions, version 2.0). */
  condition?: string;
}

/**
 * Who runs `pulumi up` and what that identity holds. `servicePrincipalId` is a Graph service principal
 * in this state; `graphAppRoles` are Microsoft Graph application permissions granted to it (admin-consented);
 * ownership of applications and service principals is read from their `owners`.
 */
export interface Deployer {
  servicePrincipalId: string;
  azureRoles: DeployerRole[];
  graphAppRoles: string[];
}

export interface TwinState {
  tenantId: string;
  subscriptionId: string;
  deployer: Deployer;
  arm: { resources: Record<string, ArmResource> };
  graph: GraphState;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function statePath(): string {
  const path = process.env.S2S_TWIN_STATE;
  if (path === undefined || path === "") {
    throw new Error(
      "S2S_TWIN_STATE is not set: point it at the twin's state file (node twin/src/cli.ts init creates one)",
    );
  }
  return path;
}

export function newGuid(): string {
  return randomUUID();
}

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);
}

export function armKey(id: string): string {
  return id.toLowerCase();
}

/**
 * Microsoft's own first-party applications, present in every tenant as service principals.
 * Application ids: Learn "Verify first-party Microsoft applications in sign-in reports"
 * (Microsoft Graph 00000003-0000-0000-c000-000000000000, Microsoft Azure CLI 04b07795-8ddb-461a-bbee-02f9e1bf7b46).
 * Microsoft Graph's app role ids: Learn "Microsoft Graph permissions reference" (application permissions).
 */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const AZURE_CLI_APP_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
export const GRAPH_APP_ROLES: Readonly<Record<string, string>> = {
  "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
  "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
  "Application.ReadWrite.OwnedBy": "18a4783c-866b-4cc7-a460-3d5e5662c884",
  "AppRoleAssignment.ReadWrite.All": "06b708a9-e830-4db3-a914-8e69da51d44f",
  "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
  "Directory.ReadWrite.All": "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
  "Group.Read.All": "5b567255-7703-4780-807c-7be8301ae99b",
  "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
  "User.ReadBasic.All": "97235f07-e226-4f63-ace3-39588e11d3a1",
};

/**
 * The deployer the twin assumes until told otherwise: it holds everything (Owner at the root scope, every Graph
 * permission).
 */
export const ALL_POWERFUL = {
  azureRoles: [{ role: "Owner", scope: "/" }],
  graphAppRoles: Object.keys(GRAPH_APP_ROLES),
};

function firstPartyServicePrincipal(appId: string, displayName: string, appRoles: Json[]): GraphObject {
  return {
    id: newGuid(),
    appId,
    displayName,
    servicePrincipalType: "Application",
    appRoleAssignmentRequired: false,
    accountEnabled: true,
    appRoles,
    oauth2PermissionScopes: [],
    tags: [],
    alternativeNames: [],
    servicePrincipalNames: [appId],
    // Microsoft's first-party applications belong to Microsoft's own tenant; this is the id Graph reports
    // for them (seen in tenants, not from a document: a guess as far as the twin's sources go).
    appOwnerOrganizationId: "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
  };
}

/** A fresh tenant: one subscription, the verified initial domain, Microsoft's service principals and the deployer. */
export function newTenant(): TwinState {
  const tenantId = newGuid();
  const graphSp = firstPartyServicePrincipal(
    MICROSOFT_GRAPH_APP_ID,
    "Microsoft Graph",
    Object.entries(GRAPH_APP_ROLES).map(([value, id]) => ({
      id,
      value,
      displayName: value,
      description: value,
      allowedMemberTypes: ["Application"],
      isEnabled: true,
      origin: "Application",
    })),
  );
  const cliSp = firstPartyServicePrincipal(AZURE_CLI_APP_ID, "Microsoft Azure CLI", []);
  const deployerApp: GraphObject = {
    id: newGuid(),
    appId: newGuid(),
    displayName: "twin-deployer",
    signInAudience: "AzureADMyOrg",
    identifierUris: [],
    appRoles: [],
    api: { requestedAccessTokenVersion: null, oauth2PermissionScopes: [], preAuthorizedApplications: [] },
    createdDateTime: new Date().toISOString(),
    owners: [],
  };
  const deployerSp: GraphObject = {
    id: newGuid(),
    appId: deployerApp.appId as string,
    displayName: "twin-deployer",
    servicePrincipalType: "Application",
    appRoleAssignmentRequired: false,
    accountEnabled: true,
    appRoles: [],
    oauth2PermissionScopes: [],
    tags: [],
    alternativeNames: [],
    servicePrincipalNames: [deployerApp.appId as string],
    appOwnerOrganizationId: tenantId,
    owners: [],
  };
  const domain = `twin${randomHex(6)}.onmicrosoft.com`;
  return {
    tenantId,
    subscriptionId: newGuid(),
    deployer: { servicePrincipalId: deployerSp.id, ...structuredClone(ALL_POWERFUL) },
    arm: { resources: {} },
    graph: {
      applications: { [deployerApp.id]: deployerApp },
      servicePrincipals: { [graphSp.id]: graphSp, [cliSp.id]: cliSp, [deployerSp.id]: deployerSp },
      appRoleAssignments: {},
      federatedIdentityCredentials: {},
      users: {},
      groups: {},
      deletedItems: {},
      domains: { [domain]: { id: domain, isVerified: true, isInitial: true, isDefault: true } },
    },
  };
}

/** A state file that is missing, unreadable or holds no tenant. */
export class StateError extends Error {}

/**
 * The one reader of the state file, for the plugins, the CLI, the Entra runtime and the e2e scripts.
 * A missing ARM or Graph collection counts as empty (a tenant written by hand, as the runtime's
 * fixtures do); a file without a tenant id is refused.
 */
export function readState(path = statePath()): TwinState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new StateError(
      (err as NodeJS.ErrnoException).code === "ENOENT"
        ? `the twin's state file ${path} does not exist: run node twin/src/cli.ts init`
        : `cannot read the twin's state file ${path}: ${(err as Error).message}`,
    );
  }
  if (!isObject(parsed) || typeof parsed.tenantId !== "string")
    throw new StateError(`the twin's state file ${path} has no tenantId`);
  const arm = isObject(parsed.arm) ? parsed.arm : {};
  const graph = isObject(parsed.graph) ? parsed.graph : {};
  for (const key of GRAPH_COLLECTIONS) if (!isObject(graph[key])) graph[key] = {};
  return {
    ...parsed,
    arm: { ...arm, resources: isObject(arm.resources) ? arm.resources : {} },
    graph,
  } as unknown as TwinState;
}

export function writeStateAtomically(path: string, state: TwinState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${process.pid}.${randomHex(8)}.tmp`);
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, path);
}

const LOCK_WAIT_MS = 10_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function acquire(lock: string): void {
  const deadline = Date.now() + LOCK_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      const fd = openSync(lock, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    // A plugin killed while holding the lock (an interrupted `pulumi up`) must not wedge the tenant.
    let holder: number;
    try {
      holder = Number(readFileSync(lock, "utf8"));
    } catch {
      continue;
    }
    if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`the twin's state is locked by process ${holder} (${lock})`);
    Atomics.wait(pause, 0, 0, 5);
  }
}

/** Runs `change` on the current state under the lock and saves what it leaves, unless it throws. */
export function withState<T>(change: (state: TwinState) => T, path = statePath()): T {
  const lock = `${path}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  acquire(lock);
  try {
    const state = readState(path);
    const result = change(state);
    writeStateAtomically(path, state);
    return result;
  } finally {
    rmSync(lock, { force: true });
  }
}

/** A state file in a fresh temporary folder (tests, scratch runs). */
export function scratchStatePath(): string {
  const dir = join(tmpdir(), `s2s-twin-${process.pid}-${randomHex(8)}`);
  mkdirSync(dir, { recursive: true });
  return join(dir, "tenant.json");
}
