/**
 * The data planes behind Pulumi's state and secrets: Azure Storage's Blob service (the azblob backend's
 * state files and locks) and Azure Key Vault's keys (the azurekeyvault secrets provider). No plugin
 * calls them; the CLI's `request` asks one operation as one principal, and the answer is the service's:
 * allowed when a role assignment of the principal at or above the target grants the operation's data
 * action (Learn "Understand Azure role definitions": DataActions, NotDataActions; "Understand scope for
 * Azure RBAC"), else the service's 403.
 *
 * Data actions per operation: Learn "Azure permissions for Storage" / "Authorize access to blobs using
 * Microsoft Entra ID" (Get Blob and List Blobs read, Put Blob and Lease Blob write, Delete Blob delete) and
 * "Provide access to Key Vault keys, certificates, and secrets with Azure role-based access control"
 * (each key operation's data action). Vaults use the RBAC permission model here (access policies are not
 * modelled).
 */
import { conditionAllows } from "./arm/condition.ts";
import { BLOB_ERRORS, KEY_VAULT_ERRORS } from "./dataplane/errors.ts";
import { granting, holdingsOf } from "./deployer.ts";
import { models } from "./fidelity.ts";
import { type GraphServicePrincipal, type TwinState, armKey } from "./state.ts";

const BLOBS = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
const KEYS = "Microsoft.KeyVault/vaults/keys";

interface DataOperation {
  /** Which data plane, and so which ARM type its target is and which errors it answers with. */
  service: "blob" | "key";
  dataAction: string;
}

/** The operations the twin's data planes answer, by their REST names. */
export const DATA_OPERATIONS: Readonly<Record<string, DataOperation>> = {
  "Get Blob": { service: "blob", dataAction: `${BLOBS}/read` },
  "List Blobs": { service: "blob", dataAction: `${BLOBS}/read` },
  "Put Blob": { service: "blob", dataAction: `${BLOBS}/write` },
  "Lease Blob": { service: "blob", dataAction: `${BLOBS}/write` },
  "Delete Blob": { service: "blob", dataAction: `${BLOBS}/delete` },
  "Get Key": { service: "key", dataAction: `${KEYS}/read` },
  "Update Key": { service: "key", dataAction: `${KEYS}/update/action` },
  "Backup Key": { service: "key", dataAction: `${KEYS}/backup/action` },
  "Delete Key": { service: "key", dataAction: `${KEYS}/delete` },
  Encrypt: { service: "key", dataAction: `${KEYS}/encrypt/action` },
  Decrypt: { service: "key", dataAction: `${KEYS}/decrypt/action` },
  "Wrap Key": { service: "key", dataAction: `${KEYS}/wrap/action` },
  "Unwrap Key": { service: "key", dataAction: `${KEYS}/unwrap/action` },
  Sign: { service: "key", dataAction: `${KEYS}/sign/action` },
  Verify: { service: "key", dataAction: `${KEYS}/verify/action` },
};

const TARGET_TYPE: Readonly<Record<DataOperation["service"], string>> = {
  blob: "microsoft.storage/storageaccounts/blobservices/containers",
  key: "microsoft.keyvault/vaults/keys",
};

/**
 * Asks `operation` on `target` (a blob container's or a key's ARM id) as `caller`; returns the data action
 * it was allowed by, or throws the service's refusal.
 */
export function dataRequest(
  state: TwinState,
  caller: GraphServicePrincipal,
  operation: DataOperation,
  target: string,
): string {
  const resource = state.arm.resources[armKey(target)];
  if (resource?.type.toLowerCase() !== TARGET_TYPE[operation.service]) {
    throw operation.service === "blob"
      ? BLOB_ERRORS.containerNotFound()
      : KEY_VAULT_ERRORS.keyNotFound(target.split("/").at(-1) ?? target);
  }
  const action = operation.dataAction;
  const held = granting(state, holdingsOf(state, caller.id), action, resource.id, "data");
  if (held.some(({ condition }) => conditionAllows(condition, { action, attributes: {} }))) return action;
  throw operation.service === "blob"
    ? BLOB_ERRORS.authorizationPermissionMismatch()
    : KEY_VAULT_ERRORS.forbiddenByRbac(caller.appId, caller.id, state.tenantId, action, resource.id);
}

models({
  class: "arm-authorization",
  behaviour:
    "a data-plane request (blob, key) is allowed by a role assignment at or above its target whose " +
    "dataActions grant it, else Storage's 403 AuthorizationPermissionMismatch or Key Vault's 403 ForbiddenByRbac",
  source:
    'Learn "Understand Azure role definitions" (DataActions); "Provide access to Key Vault keys ... with Azure ' +
    'role-based access control"; "Azure Storage: common REST API error codes"',
  test: "test/dataplane.test.ts › answers as the service: allowed by a data action, refused with its 403",
});
