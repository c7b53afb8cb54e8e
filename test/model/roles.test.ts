// model/roles.ts: what a role writes is derived from its definition, never labelled. Microsoft's
// wildcards and not-actions decide what it allows; reads and operations that change nothing (a
// user delegation key, a key's cryptography) are not writes; a Graph permission's reach comes
// from its name's documented pattern.
import {
  allows,
  AZURE_ROLES,
  builtInRole,
  GRAPH_PERMISSIONS,
  graphPermission,
  graphReach,
  managesKeys,
  operationMatches,
  OPERATIONS,
  type RolePermissions,
  writingOperations,
} from "../../model/roles.ts";

const role = (p: Partial<RolePermissions>): RolePermissions => ({
  actions: [],
  notActions: [],
  dataActions: [],
  notDataActions: [],
  ...p,
});

test("an operation pattern's * stands for any characters, and case does not matter", () => {
  expect(operationMatches("*/read", "Microsoft.Web/sites/read")).toBe(true);
  expect(operationMatches("Microsoft.Authorization/*/Write", "microsoft.authorization/roleAssignments/write")).toBe(
    true,
  );
  expect(operationMatches("*/read", "Microsoft.Web/sites/write")).toBe(false);
  expect(operationMatches("Microsoft.Web/sites.read", "Microsoft.Web/sitesXread")).toBe(false);
});

test("not-actions take back what actions grant: Contributor cannot assign roles, RBAC Administrator can", () => {
  expect(allows(AZURE_ROLES.contributor.permissions, OPERATIONS.assignRoles)).toBe(false);
  expect(allows(AZURE_ROLES.contributor.permissions, OPERATIONS.listStorageKeys)).toBe(true);
  expect(allows(AZURE_ROLES.rbacAdministrator.permissions, OPERATIONS.assignRoles)).toBe(true);
  // Data actions are their own list: Contributor's `*` grants none.
  expect(allows(AZURE_ROLES.contributor.permissions, OPERATIONS.readBlobs, true)).toBe(false);
  expect(allows(AZURE_ROLES.blobDataReader.permissions, OPERATIONS.readBlobs, true)).toBe(true);
});

test("what a role writes: every operation but reads and those that change nothing", () => {
  expect(writingOperations(AZURE_ROLES.reader.permissions)).toEqual([]);
  // generateUserDelegationKey signs SAS tokens with no more than the signer's rights.
  expect(writingOperations(AZURE_ROLES.blobDataReader.permissions)).toEqual([]);
  expect(writingOperations(AZURE_ROLES.contributor.permissions)).toEqual(["*"]);
  expect(writingOperations(AZURE_ROLES.blobDataContributor.permissions)).toContain(OPERATIONS.writeBlobs);
  expect(writingOperations(AZURE_ROLES.keyVaultCryptoUser.permissions)).toEqual([
    "Microsoft.KeyVault/vaults/keys/update/action",
    "Microsoft.KeyVault/vaults/keys/backup/action",
  ]);
  expect(writingOperations(role({ dataActions: [OPERATIONS.encrypt, OPERATIONS.decrypt] }))).toEqual([]);
  // A not-action that covers a pattern whole takes it back.
  expect(writingOperations(role({ actions: ["Microsoft.Web/*/write"], notActions: ["Microsoft.Web/*"] }))).toEqual([]);
});

test("managing a key: a writing key data action or the vault's settings, not its cryptography", () => {
  expect(managesKeys(AZURE_ROLES.keyVaultCryptoUser.permissions)).toBe(true);
  expect(managesKeys(role({ dataActions: [OPERATIONS.decrypt] }))).toBe(false);
  expect(managesKeys(role({ dataActions: ["Microsoft.KeyVault/vaults/*"] }))).toBe(true);
  // Contributor can change the vault's permission model, and with it who may use its keys.
  expect(managesKeys(AZURE_ROLES.contributor.permissions)).toBe(true);
  expect(managesKeys(AZURE_ROLES.reader.permissions)).toBe(false);
});

test("built-in roles and Graph permissions by id, whatever the case", () => {
  expect(builtInRole(AZURE_ROLES.reader.id.toUpperCase())).toBe(AZURE_ROLES.reader);
  expect(builtInRole("00000000-0000-0000-0000-000000000000")).toBeUndefined();
  expect(graphPermission(GRAPH_PERMISSIONS.userReadAll.id.toUpperCase())).toBe(GRAPH_PERMISSIONS.userReadAll);
  expect(GRAPH_PERMISSIONS.appRoleAssignmentReadWriteAll.source).toBe(
    "https://learn.microsoft.com/graph/permissions-reference#approleassignmentreadwriteall",
  );
});

test("a Graph permission's reach from resource.operation.constraint: Read reads, All reaches the tenant", () => {
  expect(graphReach("Application.Read.All")).toEqual({ readOnly: true, tenantWide: true });
  expect(graphReach("User.ReadBasic.All")).toEqual({ readOnly: true, tenantWide: true });
  expect(graphReach("AppRoleAssignment.ReadWrite.All")).toEqual({ readOnly: false, tenantWide: true });
  expect(graphReach("Application.ReadWrite.OwnedBy")).toEqual({ readOnly: false, tenantWide: false });
  expect(graphReach("RoleManagement.ReadWrite.Directory")).toEqual({ readOnly: false, tenantWide: true });
  expect(graphReach("not a permission name")).toBeUndefined();
});
