// Azure roles and Microsoft Graph application permissions as their owners define them, and what
// an identity holding one can write or read, derived from that definition and never from a label:
// a built-in role by Microsoft's `actions`/`notActions`/`dataActions`/`notDataActions` (kept here
// as data, each with its source), a custom role by its own definition, a Graph permission by its
// documented name pattern. Kept free of the Pulumi SDK: the policy rules load it.

/** Something granted by an id that is the same in every tenant, with the page that defines it. */
export interface KnownRole {
  name: string;
  id: string;
  source: string;
}

/** One permission block of an Azure role definition (Microsoft Learn, "Understand Azure role definitions"). */
export interface RolePermissions {
  actions: readonly string[];
  notActions: readonly string[];
  dataActions: readonly string[];
  notDataActions: readonly string[];
}

/** An Azure role: its id and name, and its definition as Microsoft publishes it. */
export interface AzureRole extends KnownRole {
  permissions: RolePermissions;
}

const BUILT_IN_ROLES = "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles";

/**
 * A key's cryptographic operations: they use the key without changing it (Learn, Key Vault Crypto
 * User: "Perform cryptographic operations using keys"; update, backup, delete and the like are
 * other operations).
 */
const KEY_CRYPTO_OPERATIONS = ["encrypt", "decrypt", "wrap", "unwrap", "sign", "verify"].map(
  (operation) => `Microsoft.KeyVault/vaults/keys/${operation}/action`,
);

const builtIn = (name: string, id: string, source: string, permissions: Partial<RolePermissions>): AzureRole => ({
  name,
  id,
  source,
  permissions: { actions: [], notActions: [], dataActions: [], notDataActions: [], ...permissions },
});

/**
 * Built-in Azure roles, their permissions copied from each role's JSON on Microsoft Learn's
 * built-in roles pages (the `source` of each).
 */
export const AZURE_ROLES = {
  reader: builtIn("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7", `${BUILT_IN_ROLES}/general#reader`, {
    actions: ["*/read"],
  }),
  contributor: builtIn(
    "Contributor",
    "b24988ac-6180-42a0-ab88-20f7382dd24c",
    `${BUILT_IN_ROLES}/privileged#contributor`,
    {
      actions: ["*"],
      notActions: [
        "Microsoft.Authorization/*/Delete",
        "Microsoft.Authorization/*/Write",
        "Microsoft.Authorization/elevateAccess/Action",
        "Microsoft.Blueprint/blueprintAssignments/write",
        "Microsoft.Blueprint/blueprintAssignments/delete",
        "Microsoft.Compute/galleries/share/action",
        "Microsoft.Purview/consents/write",
        "Microsoft.Purview/consents/delete",
        "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
        "Microsoft.Subscription/cancel/action",
        "Microsoft.Subscription/enable/action",
      ],
    },
  ),
  rbacAdministrator: builtIn(
    "Role Based Access Control Administrator",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    `${BUILT_IN_ROLES}/privileged#role-based-access-control-administrator`,
    {
      actions: [
        "Microsoft.Authorization/roleAssignments/write",
        "Microsoft.Authorization/roleAssignments/delete",
        "*/read",
        "Microsoft.Support/*",
      ],
    },
  ),
  blobDataReader: builtIn(
    "Storage Blob Data Reader",
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    `${BUILT_IN_ROLES}/storage#storage-blob-data-reader`,
    {
      actions: [
        "Microsoft.Storage/storageAccounts/blobServices/containers/read",
        "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
      ],
      dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
    },
  ),
  blobDataContributor: builtIn(
    "Storage Blob Data Contributor",
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    `${BUILT_IN_ROLES}/storage#storage-blob-data-contributor`,
    {
      actions: [
        "Microsoft.Storage/storageAccounts/blobServices/containers/delete",
        "Microsoft.Storage/storageAccounts/blobServices/containers/read",
        "Microsoft.Storage/storageAccounts/blobServices/containers/write",
        "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
      ],
      dataActions: [
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
      ],
    },
  ),
  // Not "use a key without managing it": update/action changes the key's attributes (it can
  // disable the key) and backup/action exports it.
  keyVaultCryptoUser: builtIn(
    "Key Vault Crypto User",
    "12338af0-0e69-4776-bea7-57ae8d297424",
    `${BUILT_IN_ROLES}/security#key-vault-crypto-user`,
    {
      dataActions: [
        "Microsoft.KeyVault/vaults/keys/read",
        "Microsoft.KeyVault/vaults/keys/update/action",
        "Microsoft.KeyVault/vaults/keys/backup/action",
        ...KEY_CRYPTO_OPERATIONS,
      ],
    },
  ),
} as const satisfies Record<string, AzureRole>;

/** A built-in role by its id (the last segment of a role definition id), if it is one of {@link AZURE_ROLES}. */
export function builtInRole(id: string): AzureRole | undefined {
  const guid = id.toLowerCase();
  return Object.values(AZURE_ROLES).find((role) => role.id === guid);
}

/**
 * Operations that change nothing although they are not `read`: a user delegation key signs SAS
 * tokens that carry at most the signer's own permissions (Learn, "Create a user delegation SAS"),
 * and a key's cryptographic operations.
 */
const NON_MUTATING: readonly string[] = [
  "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
  ...KEY_CRYPTO_OPERATIONS,
];

/**
 * Whether an operation pattern matches an operation: `*` stands for any characters and the
 * comparison ignores case (Learn, "Understand Azure role definitions", Actions: wildcards).
 */
export function operationMatches(pattern: string, operation: string): boolean {
  const regex = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${regex}$`, "i").test(operation);
}

/** Whether the permissions allow an operation: an action (or data action) matches and no not-action does. */
export function allows(permissions: RolePermissions, operation: string, data = false): boolean {
  const granted = data ? permissions.dataActions : permissions.actions;
  const excluded = data ? permissions.notDataActions : permissions.notActions;
  return granted.some((p) => operationMatches(p, operation)) && !excluded.some((p) => operationMatches(p, operation));
}

/** A pattern that can only ever match reads or operations that change nothing. */
function onlyReads(pattern: string): boolean {
  return /\/read$/i.test(pattern) || NON_MUTATING.some((op) => op.toLowerCase() === pattern.toLowerCase());
}

/**
 * The actions and data actions of a definition that can change something: every pattern that is
 * neither a read nor a non-mutating operation, and that its not-actions do not take back whole.
 * Empty exactly when the role only reads (and uses keys without managing them).
 */
export function writingOperations(permissions: RolePermissions): string[] {
  const writes = (granted: readonly string[], excluded: readonly string[]) =>
    granted.filter((p) => !onlyReads(p) && !excluded.some((n) => operationMatches(n, p)));
  return [
    ...writes(permissions.actions, permissions.notActions),
    ...writes(permissions.dataActions, permissions.notDataActions),
  ];
}

/** Operations that decide what an identity can do with the Pulumi state and its key. */
export const OPERATIONS = {
  /** Account keys give full access to every container's data (Learn, "Authorize with Shared Key"). */
  listStorageKeys: "Microsoft.Storage/storageAccounts/listKeys/action",
  readBlobs: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
  writeBlobs: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
  deleteBlobs: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
  readKey: "Microsoft.KeyVault/vaults/keys/read",
  encrypt: "Microsoft.KeyVault/vaults/keys/encrypt/action",
  decrypt: "Microsoft.KeyVault/vaults/keys/decrypt/action",
  /** A vault's own settings: with them, its permission model and so who may use its keys. */
  writeVault: "Microsoft.KeyVault/vaults/write",
  assignRoles: "Microsoft.Authorization/roleAssignments/write",
} as const;

/**
 * Whether the permissions manage a key rather than use it: a writing data action on keys (every
 * key data action but reads and the cryptographic operations: update, backup, delete, ...) or
 * the vault's own settings.
 */
export function managesKeys(permissions: RolePermissions): boolean {
  const dataWrites = writingOperations({ ...permissions, actions: [], notActions: [] });
  return (
    allows(permissions, OPERATIONS.writeVault) ||
    dataWrites.some(
      (p) =>
        p.toLowerCase().startsWith("microsoft.keyvault/vaults/keys/") ||
        operationMatches(p, "Microsoft.KeyVault/vaults/keys/update/action"),
    )
  );
}

// ---------------------------------------------------------------------------------------------
// Microsoft Graph application permissions

const GRAPH_REFERENCE = "https://learn.microsoft.com/graph/permissions-reference";
/** Graph permission names follow `resource.operation.constraint`; Read and ReadWrite are the two operations. */
export const GRAPH_NAMING =
  "https://learn.microsoft.com/security/zero-trust/develop/protected-api-example#naming-convention-for-permission-names";

/** A Microsoft Graph application permission (an app role of the Microsoft Graph service principal). */
export interface GraphPermission extends KnownRole {
  /**
   * Microsoft's caution, when the permissions reference gives one: what a holder can do beyond
   * the permission's name.
   */
  caution?: string;
}

const graph = (name: string, id: string, caution?: string): GraphPermission => ({
  name,
  id,
  source: `${GRAPH_REFERENCE}#${name.toLowerCase().replace(/\./g, "")}`,
  ...(caution ? { caution } : {}),
});

/** The Microsoft Graph application permissions the pipeline's identities hold. */
export const GRAPH_PERMISSIONS = {
  applicationReadAll: graph("Application.Read.All", "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30"),
  // Learn: "allows the same operations as Application.ReadWrite.All except that [...] only on
  // applications and service principals that the calling app is an owner of".
  applicationReadWriteOwnedBy: graph("Application.ReadWrite.OwnedBy", "18a4783c-866b-4cc7-a460-3d5e5662c884"),
  appRoleAssignmentReadWriteAll: graph(
    "AppRoleAssignment.ReadWrite.All",
    "06b708a9-e830-4db3-a914-8e69da51d44f",
    "Permissions that allow granting authorization, such as AppRoleAssignment.ReadWrite.All, allow an " +
      "application to grant additional privileges to itself, other applications, or any user.",
  ),
  userReadAll: graph("User.Read.All", "df021288-bdef-4463-88db-98f22de89214"),
} as const satisfies Record<string, GraphPermission>;

/** A known Graph permission by its app role id. */
export function graphPermission(id: string): GraphPermission | undefined {
  const guid = id.toLowerCase();
  return Object.values(GRAPH_PERMISSIONS).find((p) => p.id === guid);
}

/** What a Graph permission lets its holder do, read from its name (`resource.operation.constraint`). */
export interface GraphReach {
  /** Its operation is a read (Read, ReadBasic): it changes nothing. */
  readOnly: boolean;
  /**
   * It applies to every object of its kind in the tenant (constraint All or Directory), not only
   * to those the app owns (OwnedBy).
   */
  tenantWide: boolean;
}

/**
 * A Graph permission's reach by its name, or undefined when the name is not of the documented
 * pattern (then it must be treated as writing the whole tenant).
 */
export function graphReach(name: string): GraphReach | undefined {
  const m = /^[A-Za-z]+\.([A-Za-z]+)(?:\.([A-Za-z]+))?$/.exec(name);
  if (!m) return undefined;
  const [, operation, constraint] = m as unknown as [string, string, string | undefined];
  return {
    readOnly: operation === "Read" || operation === "ReadBasic",
    tenantWide: constraint === "All" || constraint === "Directory",
  };
}

/** The Microsoft Graph application's client id, the same in every tenant. */
export const MICROSOFT_GRAPH_CLIENT_ID = "00000003-0000-0000-c000-000000000000";

/** An API every tenant has: its name and its app roles' names by id, as a reviewer knows them. */
export interface KnownApi {
  name: string;
  appRoles: Readonly<Record<string, string>>;
}

/**
 * APIs by client id (lowercase): the access matrix names an assignment to one of them by the API's
 * name and the permission's, where it would otherwise show a lookup placeholder and a GUID.
 */
export const KNOWN_APIS: Readonly<Record<string, KnownApi>> = {
  [MICROSOFT_GRAPH_CLIENT_ID]: {
    name: "Microsoft Graph",
    appRoles: Object.fromEntries(Object.values(GRAPH_PERMISSIONS).map((p) => [p.id, p.name])),
  },
};
