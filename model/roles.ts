// Built-in Azure roles and Microsoft Graph application permissions by id (the same in every
// tenant), and which of them only read. Kept free of the Pulumi SDK: the policy rules load it.

/** A built-in Azure role or a Graph application permission, by the id that is the same in every tenant. */
export interface KnownRole {
  name: string;
  id: string;
  /** True when the role cannot change anything (reads, or using a key without managing it). */
  readOnly: boolean;
  source: string;
}

/** A role that cannot change anything. */
const reads = (name: string, id: string, source: string): KnownRole => ({ name, id, readOnly: true, source });
/** A role that can change something. */
const writes = (name: string, id: string, source: string): KnownRole => ({ name, id, readOnly: false, source });

const BUILT_IN_ROLES = "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles";

/** Built-in Azure roles. */
export const AZURE_ROLES = {
  reader: reads("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7", `${BUILT_IN_ROLES}/general#reader`),
  contributor: writes(
    "Contributor",
    "b24988ac-6180-42a0-ab88-20f7382dd24c",
    `${BUILT_IN_ROLES}/privileged#contributor`,
  ),
  rbacAdministrator: writes(
    "Role Based Access Control Administrator",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    `${BUILT_IN_ROLES}/privileged#role-based-access-control-administrator`,
  ),
  blobDataReader: reads(
    "Storage Blob Data Reader",
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    `${BUILT_IN_ROLES}/storage#storage-blob-data-reader`,
  ),
  blobDataContributor: writes(
    "Storage Blob Data Contributor",
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    `${BUILT_IN_ROLES}/storage#storage-blob-data-contributor`,
  ),
  // Encrypt and decrypt with a key; it cannot create, delete or change keys.
  keyVaultCryptoUser: reads(
    "Key Vault Crypto User",
    "12338af0-0e69-4776-bea7-57ae8d297424",
    `${BUILT_IN_ROLES}/security#key-vault-crypto-user`,
  ),
} as const satisfies Record<string, KnownRole>;

const GRAPH_REFERENCE = "https://learn.microsoft.com/graph/permissions-reference";

/** Microsoft Graph application permissions (app roles of the Microsoft Graph service principal). */
export const GRAPH_PERMISSIONS = {
  applicationReadAll: reads(
    "Application.Read.All",
    "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
    `${GRAPH_REFERENCE}#applicationreadall`,
  ),
  applicationReadWriteOwnedBy: writes(
    "Application.ReadWrite.OwnedBy",
    "18a4783c-866b-4cc7-a460-3d5e5662c884",
    `${GRAPH_REFERENCE}#applicationreadwriteownedby`,
  ),
  appRoleAssignmentReadWriteAll: writes(
    "AppRoleAssignment.ReadWrite.All",
    "06b708a9-e830-4db3-a914-8e69da51d44f",
    `${GRAPH_REFERENCE}#approleassignmentreadwriteall`,
  ),
  userReadAll: reads("User.Read.All", "df021288-bdef-4463-88db-98f22de89214", `${GRAPH_REFERENCE}#userreadall`),
} as const satisfies Record<string, KnownRole>;

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

function readOnlyIds(roles: Readonly<Record<string, KnownRole>>): ReadonlySet<string> {
  return new Set(
    Object.values(roles)
      .filter((r) => r.readOnly)
      .map((r) => r.id),
  );
}

/** Role ids that cannot change anything; every other role writes. */
export const READ_ONLY_ROLE_IDS = readOnlyIds(AZURE_ROLES);
/** Graph application permissions that only read; every other app role of Graph writes. */
export const READ_ONLY_GRAPH_IDS = readOnlyIds(GRAPH_PERMISSIONS);
