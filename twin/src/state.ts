/**
 * The twin's one model of the clouds it stands in for: a JSON file (path in `S2S_TWIN_STATE`) holding
 * several Entra ID tenants, each with its subscriptions' ARM resources and its directory's Microsoft
 * Graph objects, and GitHub's repositories (environments, variables), all in the shapes their REST APIs
 * return, shared by every plugin process.
 *
 * One file for every tenant rather than a file each: a name that is global in Azure (a site's host name,
 * a storage account) must be checked across tenants, a subscription id names its tenant, and one lock
 * keeps a change that spans them (the CLI's `add-tenant`) whole.
 *
 * Writes go through `withWorld` (or `withState` for one tenant): an exclusive lock file (O_EXCL create)
 * serialises the plugin processes and the CLI, and the new content is written to a temporary file and
 * renamed over the old one, so a reader never sees half a file and a killed writer never corrupts it.
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

/** An Azure role assignment the deployer holds: the role and the scope it applies at. */
export interface DeployerRole {
  /** A built-in role's name, or a role definition id (a custom role the tenant defines, or a built-in one). */
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

/**
 * One Entra ID tenant: its directory (Graph), the ARM resources of its subscriptions, and who signs in when
 * a provider names no client id. Every handler works on one tenant; a provider's configuration picks it
 * (twin/src/session.ts), and there `subscriptionId` and `deployer` are the session's.
 */
export interface TwinState {
  tenantId: string;
  /** The subscription a provider uses when its configuration names none (the Azure CLI's default account). */
  subscriptionId: string;
  /**
   * Every subscription the tenant holds, `subscriptionId` among them: a subscription trusts exactly one
   * tenant (Learn "Associate or add an Azure subscription to your Microsoft Entra tenant").
   */
  subscriptions: string[];
  deployer: Deployer;
  arm: { resources: Record<string, ArmResource> };
  graph: GraphState;
}

// ---------------------------------------------------------------------------------------------
// GitHub, as its REST API returns it (docs.github.com/rest: "Deployment environments", "Deployment
// branch policies", "GitHub Actions variables"): what bootstrap/ declares with @pulumi/github, kept so
// tests, the e2e and a workflow runner can read it.

/** A user or team that may review deployments (REST "Get an environment", `reviewers[].reviewer`). */
export interface GitHubAccount {
  id: number;
  /** A user's `login` or a team's `slug`. */
  login: string;
  type: "User" | "Team";
  /** A team's members, by user id. */
  members?: number[];
}

/** REST "Get a repository variable" / "Get an environment variable". */
export interface GitHubVariable {
  name: string;
  value: string;
  created_at: string;
  updated_at: string;
}

/** REST "Get a deployment branch policy". */
export interface GitHubBranchPolicy {
  id: number;
  name: string;
  type: "branch" | "tag";
}

/** REST "Get an environment": `protection_rules` as GitHub lists them. */
export type GitHubProtectionRule =
  | { id: number; type: "wait_timer"; wait_timer: number }
  | {
      id: number;
      type: "required_reviewers";
      prevent_self_review: boolean;
      reviewers: { type: "User" | "Team"; reviewer: { id: number; login: string } }[];
    }
  | { id: number; type: "branch_policy" };

/** REST "Get an environment", with the environment's variables and branch policies beside it. */
export interface GitHubEnvironment {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  can_admins_bypass: boolean;
  protection_rules: GitHubProtectionRule[];
  /** null: every branch may deploy. */
  deployment_branch_policy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  branch_policies: Record<string, GitHubBranchPolicy>;
  variables: Record<string, GitHubVariable>;
}

/** A repository, by `owner/name`, with its Actions variables and environments (names as declared). */
export interface GitHubRepository {
  id: number;
  owner: string;
  name: string;
  variables: Record<string, GitHubVariable>;
  environments: Record<string, GitHubEnvironment>;
}

export interface GitHubState {
  /** Users and teams by id. */
  accounts: Record<string, GitHubAccount>;
  /** Repositories by `owner/name`, lower-cased (GitHub's names are case-insensitive). */
  repositories: Record<string, GitHubRepository>;
  /** The last numeric id handed out (repositories, environments, policies, accounts share it). */
  lastId: number;
}

/** The state file: every tenant by id, the one a provider signs in to when it names none, and GitHub. */
export interface TwinWorld {
  defaultTenantId: string;
  tenants: Record<string, TwinState>;
  github: GitHubState;
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

/**
 * A fresh tenant: one subscription, the verified initial domain, Microsoft's service principals and the
 * deployer (its ids given, or new).
 */
export function newTenant(tenantId = newGuid(), subscriptionId = newGuid()): TwinState {
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
    subscriptionId,
    subscriptions: [subscriptionId],
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

/** A world of these tenants (the first is the default one) and an empty GitHub. */
export function newWorld(...tenants: TwinState[]): TwinWorld {
  return {
    defaultTenantId: tenants[0]!.tenantId,
    tenants: Object.fromEntries(tenants.map((t) => [t.tenantId, t])),
    github: { accounts: {}, repositories: {}, lastId: 0 },
  };
}

/** A state file that is missing, unreadable or holds no tenant. */
export class StateError extends Error {}

/** Which world a tenant object was read from, so that what spans tenants (global names) can see them all. */
const worlds = new WeakMap<TwinState, TwinWorld>();

/** Registers `view` (a tenant, or a session's view of one) as part of `world`. */
export function belongsTo(view: TwinState, world: TwinWorld): TwinState {
  worlds.set(view, world);
  return view;
}

/** Every tenant of the world `state` was read from (only `state` itself for a tenant built by hand). */
export function allTenants(state: TwinState): TwinState[] {
  const world = worlds.get(state);
  if (world === undefined) return [state];
  return Object.values(world.tenants).map((t) => (t.tenantId === state.tenantId ? state : t));
}

/** The tenant with this id (tenant ids are GUIDs, compared case-insensitively), if the world has it. */
export function tenantOf(world: TwinWorld, tenantId: string): TwinState | undefined {
  const wanted = tenantId.toLowerCase();
  return Object.values(world.tenants).find((t) => t.tenantId.toLowerCase() === wanted);
}

/**
 * The subscriptions a tenant holds: those it lists, and any whose id its ARM resources carry (scopes
 * made with the CLI's `add-resource`, as a person makes them outside the stacks).
 */
export function subscriptionsOf(tenant: TwinState): string[] {
  const ids = new Set(tenant.subscriptions.map((s) => s.toLowerCase()));
  for (const id of Object.keys(tenant.arm.resources)) {
    const m = /^\/subscriptions\/([^/]+)/i.exec(id);
    if (m) ids.add(m[1]!.toLowerCase());
  }
  return [...ids];
}

/** The tenant a subscription belongs to, if any tenant holds it. */
export function tenantOfSubscription(tenants: readonly TwinState[], subscriptionId: string): TwinState | undefined {
  const wanted = subscriptionId.toLowerCase();
  return tenants.find((t) => subscriptionsOf(t).includes(wanted));
}

/** A tenant as read: ARM and Graph collections a hand-written file leaves out are empty. */
function tenantFrom(raw: JsonObject): TwinState {
  const arm = isObject(raw.arm) ? raw.arm : {};
  const graph = isObject(raw.graph) ? raw.graph : {};
  for (const key of GRAPH_COLLECTIONS) if (!isObject(graph[key])) graph[key] = {};
  const subscription = typeof raw.subscriptionId === "string" ? [raw.subscriptionId] : [];
  return {
    ...raw,
    subscriptions: Array.isArray(raw.subscriptions) ? raw.subscriptions : subscription,
    arm: { ...arm, resources: isObject(arm.resources) ? arm.resources : {} },
    graph,
  } as unknown as TwinState;
}

/**
 * The one reader of the state file, for the plugins, the CLI, the Entra runtime and the e2e scripts.
 * A file holding one tenant at its top (the shape before tenants were several; the runtime's fixtures
 * still write it) is a world of that tenant. A missing collection counts as empty; a tenant without
 * an id is refused.
 */
export function readWorld(path = statePath()): TwinWorld {
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
  if (!isObject(parsed)) throw new StateError(`the twin's state file ${path} has no tenantId`);
  const rawTenants = isObject(parsed.tenants) ? Object.values(parsed.tenants) : [parsed];
  const tenants = rawTenants.filter(isObject).map(tenantFrom);
  if (tenants.length === 0 || tenants.some((t) => typeof t.tenantId !== "string"))
    throw new StateError(`the twin's state file ${path} has no tenantId`);
  const world = newWorld(...tenants);
  if (typeof parsed.defaultTenantId === "string" && tenantOf(world, parsed.defaultTenantId))
    world.defaultTenantId = parsed.defaultTenantId;
  if (isObject(parsed.github)) world.github = { ...world.github, ...(parsed.github as unknown as GitHubState) };
  for (const tenant of tenants) belongsTo(tenant, world);
  return world;
}

/** One tenant of the state file: `tenantId`'s, else the default one. */
export function readState(path = statePath(), tenantId?: string): TwinState {
  return tenantIn(readWorld(path), tenantId, path);
}

function tenantIn(world: TwinWorld, tenantId: string | undefined, path: string): TwinState {
  const tenant = tenantOf(world, tenantId ?? world.defaultTenantId);
  if (tenant === undefined) throw new StateError(`the twin's state file ${path} has no tenant ${tenantId}`);
  return tenant;
}

/** Writes a world (or one tenant, as a world of it) in place of the file's content, atomically. */
export function writeStateAtomically(path: string, content: TwinWorld | TwinState): void {
  const world = "tenants" in content ? content : newWorld(content);
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${process.pid}.${randomHex(8)}.tmp`);
  writeFileSync(temp, `${JSON.stringify(world, null, 2)}\n`);
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

/** Runs `change` on the current world under the lock and saves what it leaves, unless it throws. */
export function withWorld<T>(change: (world: TwinWorld) => T, path = statePath()): T {
  const lock = `${path}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  acquire(lock);
  try {
    const world = readWorld(path);
    const result = change(world);
    writeStateAtomically(path, world);
    return result;
  } finally {
    rmSync(lock, { force: true });
  }
}

/** `withWorld` on one tenant: `tenantId`'s, else the default one. */
export function withState<T>(change: (state: TwinState) => T, path = statePath(), tenantId?: string): T {
  return withWorld((world) => change(tenantIn(world, tenantId, path)), path);
}

/** A state file in a fresh temporary folder (tests, scratch runs). */
export function scratchStatePath(): string {
  const dir = join(tmpdir(), `s2s-twin-${process.pid}-${randomHex(8)}`);
  mkdirSync(dir, { recursive: true });
  return join(dir, "tenant.json");
}
