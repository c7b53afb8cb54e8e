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

/** A managed identity on an ARM resource (ARM's `identity` envelope property). */
export interface ArmIdentity {
  type: string;
  principalId?: string;
  tenantId?: string;
  /** User-assigned identities by resource id, as ARM returns them (read by the Entra runtime's identity endpoints). */
  userAssignedIdentities?: Record<string, { principalId?: string; clientId?: string }>;
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

// ---------------------------------------------------------------------------------------------
// Microsoft Graph objects, as Graph v1.0 returns them (Learn "<name> resource type" for each), with the
// properties the twin keeps: one set of types for the azuread plugin (twin/src/graph/), the Entra
// runtime and the CLI. Optional where a tenant written by hand (the runtime's fixtures) may leave
// them out.

/** A reference to a directory object, as `$expand=owners` returns it. */
export interface DirectoryObjectRef {
  id: string;
}

/** Learn "appRole resource type". */
export interface AppRole {
  id: string;
  value?: string | null;
  displayName?: string;
  description?: string;
  allowedMemberTypes?: string[];
  isEnabled?: boolean;
  origin?: string;
}

/** Learn "permissionScope resource type" (an application's delegated permission). */
export interface PermissionScope {
  id: string;
  value: string;
  type?: string;
  isEnabled?: boolean;
  adminConsentDescription?: string;
  adminConsentDisplayName?: string;
  userConsentDescription?: string;
  userConsentDisplayName?: string;
}

/** Learn "preAuthorizedApplication resource type". */
export interface PreAuthorizedApplication {
  appId: string;
  delegatedPermissionIds?: string[];
}

/** Learn "apiApplication resource type". */
export interface ApiApplication {
  acceptMappedClaims?: boolean | null;
  knownClientApplications?: string[];
  /** 1, 2 or null (null means 1): Learn "Microsoft Entra app manifest", accessTokenAcceptedVersion. */
  requestedAccessTokenVersion?: number | null;
  oauth2PermissionScopes?: PermissionScope[];
  preAuthorizedApplications?: PreAuthorizedApplication[];
}

/** Learn "webApplication resource type". */
export interface WebApplication {
  homePageUrl?: string | null;
  logoutUrl?: string | null;
  redirectUris?: string[];
  implicitGrantSettings?: { enableAccessTokenIssuance?: boolean; enableIdTokenIssuance?: boolean };
}

/** Learn "application resource type". */
export interface GraphApplication {
  id: string;
  appId: string;
  displayName?: string;
  description?: string | null;
  notes?: string | null;
  signInAudience?: string;
  identifierUris?: string[];
  tags?: string[];
  api?: ApiApplication;
  appRoles?: AppRole[];
  web?: WebApplication;
  owners?: DirectoryObjectRef[];
  createdDateTime?: string;
}

/** Learn "servicePrincipal resource type". */
export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName?: string;
  /** "Application", "ManagedIdentity", ... */
  servicePrincipalType?: string;
  accountEnabled?: boolean;
  appRoleAssignmentRequired?: boolean;
  appRoles?: AppRole[];
  oauth2PermissionScopes?: PermissionScope[];
  tags?: string[];
  alternativeNames?: string[];
  servicePrincipalNames?: string[];
  appOwnerOrganizationId?: string;
  notes?: string | null;
  description?: string | null;
  owners?: DirectoryObjectRef[];
}

/** Learn "appRoleAssignment resource type". */
export interface AppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType?: string;
  principalDisplayName?: string;
  resourceId: string;
  resourceDisplayName?: string;
  createdDateTime?: string;
}

/**
 * Learn "federatedIdentityCredential resource type"; Graph keeps it under its application, the twin in
 * one collection with the application's object id beside it.
 */
export interface FederatedIdentityCredential {
  id: string;
  applicationObjectId: string;
  name: string;
  description?: string | null;
  issuer: string;
  subject: string;
  audiences: string[];
}

/**
 * Delegated consent, Learn "oAuth2PermissionGrant resource type" (`clientId` and `resourceId` are
 * service principal object ids, `scope` space-separated).
 */
export interface OAuth2PermissionGrant {
  id: string;
  clientId: string;
  consentType: "AllPrincipals" | "Principal";
  principalId?: string | null;
  resourceId: string;
  scope: string;
}

/** Learn "user resource type". */
export interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName?: string;
  mail?: string;
  mailNickname?: string;
  employeeId?: string;
  accountEnabled?: boolean;
  userType?: string;
}

/** Learn "group resource type"; `members` holds the object ids of its direct members (Graph's `members`). */
export interface GraphGroup {
  id: string;
  displayName?: string;
  securityEnabled?: boolean;
  members?: string[];
}

/** Learn "domain resource type": a domain of the tenant (GET /domains). */
export interface GraphDomain {
  id: string;
  isVerified?: boolean;
  isInitial?: boolean;
  isDefault?: boolean;
}

/** What Graph keeps restorable (Learn "directory: deletedItems"): the object, its type and when it went. */
export type DeletedItem = (GraphApplication | GraphServicePrincipal) & {
  "@odata.type": string;
  deletedDateTime: string;
};

/**
 * The Graph collections every tenant has, each keyed by object id: `domains` holds the tenant's
 * domains, `deletedItems` what Graph keeps restorable.
 */
export interface GraphState {
  applications: Record<string, GraphApplication>;
  servicePrincipals: Record<string, GraphServicePrincipal>;
  appRoleAssignments: Record<string, AppRoleAssignment>;
  federatedIdentityCredentials: Record<string, FederatedIdentityCredential>;
  users: Record<string, GraphUser>;
  groups: Record<string, GraphGroup>;
  deletedItems: Record<string, DeletedItem>;
  domains: Record<string, GraphDomain>;
  /**
   * Delegated consent, read by the Entra runtime (a fixture can grant consent without
   * pre-authorization); no plugin writes it.
   */
  oauth2PermissionGrants?: Record<string, OAuth2PermissionGrant>;
  /** The tenant's default app management policy (Learn "tenantAppManagementPolicy resource type"), when set. */
  appManagementPolicy?: {
    applicationRestrictions?: {
      identifierUris?: {
        /** Learn "identifierUriRestriction resource type". */
        nonDefaultUriAddition?: {
          state?: "enabled" | "disabled";
          excludeAppsReceivingV2Tokens?: boolean;
          restrictForAppsCreatedAfterDateTime?: string | null;
        };
      };
    };
  };
}

/** The collections `readState` fills in when a tenant written by hand leaves them out. */
export const GRAPH_COLLECTIONS = [
  "applications",
  "servicePrincipals",
  "appRoleAssignments",
  "federatedIdentityCredentials",
  "users",
  "groups",
  "deletedItems",
  "domains",
] as const satisfies readonly (keyof GraphState)[];

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
 * Microsoft's own first-party applications, by application id: Learn "Verify first-party Microsoft
 * applications in sign-in reports". Microsoft Graph and the Azure CLI are present in every tenant as
 * service principals; the Azure CLI, Azure PowerShell and Visual Studio are the public clients a developer
 * signs in through (the Entra runtime's user tokens).
 */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const AZURE_CLI_APP_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
export const FIRST_PARTY_PUBLIC_CLIENTS: Readonly<Record<string, string>> = {
  [AZURE_CLI_APP_ID]: "Microsoft Azure CLI",
  "1950a258-227b-4e31-a9cf-717495945fc2": "Microsoft Azure PowerShell",
  "872cd9fa-d31f-45e0-9eab-6e460a02d1f1": "Visual Studio",
};
/** Microsoft Graph's app role ids: Learn "Microsoft Graph permissions reference" (application permissions). */
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

function firstPartyServicePrincipal(appId: string, displayName: string, appRoles: AppRole[]): GraphServicePrincipal {
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
  const cliSp = firstPartyServicePrincipal(AZURE_CLI_APP_ID, FIRST_PARTY_PUBLIC_CLIENTS[AZURE_CLI_APP_ID]!, []);
  const deployerApp: GraphApplication = {
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
  const deployerSp: GraphServicePrincipal = {
    id: newGuid(),
    appId: deployerApp.appId,
    displayName: "twin-deployer",
    servicePrincipalType: "Application",
    appRoleAssignmentRequired: false,
    accountEnabled: true,
    appRoles: [],
    oauth2PermissionScopes: [],
    tags: [],
    alternativeNames: [],
    servicePrincipalNames: [deployerApp.appId],
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
