/**
 * Every error the twin's data planes answer with (twin/src/errors.ts says how a catalog is written): Azure
 * Storage's Blob service and Azure Key Vault's keys, each refusing a request its caller's roles do not
 * allow (twin/src/dataplane.ts). One catalog per API: BLOB_ERRORS and KEY_VAULT_ERRORS.
 */
import { type ErrorFactory, type ErrorSpec, ServiceError, errorFactory } from "../errors.ts";

/** A data plane's refusal: its status and code, and the message as the service sends it. */
export class DataPlaneError extends ServiceError {
  constructor(status: number, code: string, message: string) {
    super(status, code, `${status} ${code}: ${message}`);
  }
}

type DataPlaneErrorFactory<A extends unknown[]> = ErrorFactory<A, string, object, DataPlaneError>;

function dataPlane<A extends unknown[]>(spec: ErrorSpec<A, string>): DataPlaneErrorFactory<A> {
  return errorFactory(spec, (s, message) => new DataPlaneError(s.status, s.code, message));
}

const STORAGE_CODES = 'Learn "Azure Storage: common REST API error codes" and "Blob Storage error codes"';

export const BLOB_ERRORS = {
  /** Signed in, but no role assignment grants the operation's data action. */
  authorizationPermissionMismatch: dataPlane({
    status: 403,
    code: "AuthorizationPermissionMismatch",
    source: STORAGE_CODES,
    message: () => "This request is not authorized to perform this operation using this permission.",
  }),
  containerNotFound: dataPlane({
    status: 404,
    code: "ContainerNotFound",
    source: STORAGE_CODES,
    message: () => "The specified container does not exist.",
  }),
} as const;

export const KEY_VAULT_ERRORS = {
  /** An RBAC vault's refusal: no role assignment grants the operation's data action (innererror ForbiddenByRbac). */
  forbiddenByRbac: dataPlane({
    status: 403,
    code: "Forbidden",
    source:
      'Learn "Provide access to Key Vault keys, certificates, and secrets with Azure role-based access control" ' +
      "(data actions per operation); the message as Key Vault sends it, quoted in " +
      "hashicorp/terraform-provider-azurerm#27817 and piyushsachdeva/Terraform_AKS#2",
    approximate: "the Vault line (the twin keeps no vault location)",
    message: (appId: string, objectId: string, tenantId: string, action: string, resource: string) =>
      "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role " +
      "definitions were changed recently, please observe propagation time.\r\n" +
      `Caller: appid=${appId};oid=${objectId};iss=https://sts.windows.net/${tenantId}/\r\n` +
      `Action: '${action}'\r\nResource: '${resource.toLowerCase()}'\r\nAssignment: (not found)\r\n` +
      "DenyAssignmentId: null\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\n" +
      `Vault: ${resource.split("/")[8] ?? ""};location=\r\n (innererror: ForbiddenByRbac)`,
  }),
  keyNotFound: dataPlane({
    status: 404,
    code: "KeyNotFound",
    source: 'Learn "Azure Key Vault REST API error codes"',
    approximate: "the wording",
    message: (name: string) => `A key with (name/id) ${name} was not found in this key vault.`,
  }),
} as const;
