/**
 * Every error the azuread twin answers with (twin/src/errors.ts says how a catalog is written):
 * Microsoft Graph's, as the azuread provider reports them, and the provider's own refusals. Handlers
 * throw what this catalog makes and build no error of their own (twin/test/graph/errors.test.ts).
 */
import { type ErrorFactory, type ErrorSpec, ServiceError, errorFactory, providerError } from "../errors.ts";

/**
 * A Graph error as the azuread provider (Hamilton / msgraph client) reports it.
 * Error shape: Learn "Microsoft Graph error responses and resource types" ({"error":{"code","message"}}).
 */
export class GraphError extends ServiceError {
  constructor(status: number, code: string, message: string) {
    super(status, code, `unexpected status ${status} with OData error: ${code}: ${message}`);
  }
}

type GraphErrorFactory<A extends unknown[]> = ErrorFactory<A, string, object, GraphError>;

function graph<A extends unknown[]>(spec: ErrorSpec<A, string>): GraphErrorFactory<A> {
  return errorFactory(spec, (s, message) => new GraphError(s.status, s.code, message));
}

const ERROR_RESPONSES = 'Learn "Microsoft Graph error responses and resource types"';
const FEDERATED_CREDENTIAL = 'Learn "federatedIdentityCredential resource type"';

export const GRAPH_ERRORS = {
  /** An id that resolves to nothing. */
  resourceNotFound: graph({
    status: 404,
    code: "Request_ResourceNotFound",
    source: ERROR_RESPONSES,
    message: (id: string) =>
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  }),
  /** The deployer lacks the permission an operation needs. */
  authorizationRequestDenied: graph({
    status: 403,
    code: "Authorization_RequestDenied",
    source: ERROR_RESPONSES,
    message: () => "Insufficient privileges to complete the operation.",
  }),
  hostNameNotOnVerifiedDomain: graph({
    status: 400,
    code: "HostNameNotOnVerifiedDomain",
    source: 'Learn "Restrictions on identifier URIs of Microsoft Entra apps"',
    message: (uri: string) =>
      `Values of identifierUris property must use a verified domain of the organization or its subdomain: '${uri}'`,
  }),
  identifierUriTaken: graph({
    status: 400,
    code: "Request_MultipleObjectsWithSameKeyValue",
    source: "Graph's answer for a taken identifier URI, as seen in MicrosoftLearning/AI-102-AIEngineer#204",
    approximate: "the status",
    message: () => "Another object with the same value for property identifierUris already exists.",
  }),
  /** A service principal's appId must name an existing application. */
  noApplicationForServicePrincipal: graph({
    status: 400,
    code: "Request_BadRequest",
    source: 'Learn "Application and service principal objects in Microsoft Entra ID"',
    approximate: "the wording",
    message: (appId: string) =>
      `The appId '${appId}' of the service principal does not reference a valid application object.`,
  }),
  servicePrincipalNameInUse: graph({
    status: 409,
    code: "Request_MultipleObjectsWithSameKeyValue",
    source: "Graph's answer as azuread reports it, as seen in Azure/reliable-web-app-pattern-java#185",
    message: (appId: string) =>
      "The service principal cannot be created, updated, or restored because the service principal name " +
      `${appId} is already in use.`,
  }),
  /** The app role is not one of the resource's enabled roles, or does not admit the principal's kind. */
  appRoleNotFound: graph({
    status: 400,
    code: "Request_BadRequest",
    source: 'Learn "appRoleAssignment resource type"',
    approximate: "the wording",
    message: (resourceAppId: string) => `Permission being assigned was not found on application '${resourceAppId}'.`,
  }),
  appRoleAssignmentExists: graph({
    status: 400,
    code: "Request_BadRequest",
    source: 'Learn "appRoleAssignment resource type"',
    approximate: "the wording",
    message: () => "Permission being assigned already exists on the object",
  }),
  /** Pre-authorization of permission ids that are not the application's own scopes. */
  preAuthorizedUnknownScope: graph({
    status: 400,
    code: "Request_BadRequest",
    source: 'Learn "preAuthorizedApplication resource type"',
    approximate: "the code and the wording",
    message: (unknown: string[], appId: string) =>
      `Property api.preAuthorizedApplications.delegatedPermissionIds has an invalid value: ` +
      `${unknown.join(", ")} is not a permission scope of application ${appId}.`,
  }),
  tooManyFederatedCredentials: graph({
    status: 400,
    code: "Request_BadRequest",
    source: 'Learn "Workload identity federation: considerations"',
    approximate: "the code and the wording",
    message: (appId: string, max: number) =>
      `Application ${appId} already has the maximum of ${max} federated identity credentials.`,
  }),
  federatedCredentialNameTaken: graph({
    status: 409,
    code: "Request_MultipleObjectsWithSameKeyValue",
    source: FEDERATED_CREDENTIAL,
    approximate: "the wording",
    message: (name: string) => `FederatedIdentityCredential with name ${name} already exists.`,
  }),
  federatedCredentialIssuerSubjectTaken: graph({
    status: 409,
    code: "Request_MultipleObjectsWithSameKeyValue",
    source: FEDERATED_CREDENTIAL,
    approximate: "the wording",
    message: () => "FederatedIdentityCredential with the same issuer and subject already exists.",
  }),
} as const;

/** Graph refuses removing an app role or a scope that is still enabled: the provider disables it first. */
export const ENTITLEMENT_ERRORS = {
  cannotDeleteEnabledEntitlement: graph({
    status: 400,
    code: "CannotDeleteOrUpdateEnabledEntitlement",
    source:
      'Learn "Add app roles to your application" (disable a role before deleting it); terraform-provider-azuread ' +
      "v3.8.0 applications.go:64 applicationDisableAppRoles, which exists because of it",
    approximate: "the wording",
    message: (kind: string, value: string) =>
      `Property ${kind} value ${value} cannot be deleted or updated unless it is disabled first.`,
  }),
  identifierUriRestricted: graph({
    status: 400,
    code: "Request_BadRequest",
    source: 'Learn "identifierUriConfiguration resource type", nonDefaultUriAddition',
    approximate: "the code and the wording",
    message: (uri: string) =>
      `The identifier URI ${uri} is blocked by the tenant's app management policy (nonDefaultUriAddition): ` +
      "only api://{appId} and api://{tenantId}/{appId} may be added.",
  }),
} as const;

/** azuread's own refusals and data source answers, made without (or after) Graph's. */
export const AZUREAD_ERRORS = {
  /** azuread asks for an import rather than adopting what exists. */
  identifierUriExists: providerError({
    source: "terraform-provider-azuread application_identifier_uri_resource.go, Create: ResourceRequiresImport",
    approximate: "the wording",
    message: (uri: string, objectId: string) =>
      `identifier URI "${uri}" already exists on application ${objectId}: import it`,
  }),
  preAuthorizedExists: providerError({
    source: "terraform-provider-azuread application_pre_authorized_resource.go, create: ImportAsExistsDiag",
    approximate: "the wording",
    message: (objectId: string, clientId: string) =>
      `application ${objectId} already pre-authorizes ${clientId}: import it`,
  }),
  /** Entra ID refused the token azuread asks for while it configures (twin/src/session.ts). */
  signInFailed: providerError({
    source: 'terraform-provider-azuread internal/clients/client.go, build: "unable to obtain access token"',
    approximate: "what the bridge prints around it",
    message: (aadsts: string) => `unable to obtain access token: ${aadsts}`,
  }),
  /** go-azure-sdk expects 200 or 204 from a DELETE (method_delete*.go ExpectedStatusCodes): a 404 fails it. */
  deleteNotFound: providerError({
    source:
      "go-azure-sdk microsoft-graph v0.20260212.1143955 (vendored in terraform-provider-azuread v3.8.0), " +
      "method_deleteapproleassignedto.go / method_deleteapplication.go / method_deleteserviceprincipal.go / " +
      "method_deletefederatedidentitycredential.go: ExpectedStatusCodes 200, 204",
    message: (what: string, id: string) =>
      `Deleting ${what} ${id}: unexpected status 404 (404 Not Found) with OData error: Request_ResourceNotFound: ` +
      `Resource '${id.split("/").at(-1)}' does not exist or one of its queried reference-property objects are ` +
      "not present.",
  }),
  identifierUriGone: providerError({
    source: "terraform-provider-azuread v3.8.0 application_identifier_uri_resource.go:225, Delete",
    message: (id: string) => `deleting ${id}: could not identify existing identifier URI`,
  }),
  principalNotReplicated: providerError({
    source:
      "terraform-provider-azuread v3.8.0 app_role_assignment_resource.go:120 (RetryFunc on 404 and " +
      '"Not a valid reference update", until the 5 minute create timeout)',
    message: (principalId: string) =>
      `Could not create app role assignment: unexpected status 400 with OData error: Request_BadRequest: ` +
      `Not a valid reference update. (principal ${principalId}, retried for 5 minutes)`,
  }),
  /** A data source found nothing. */
  notFound: providerError({
    source: "terraform-provider-azuread, internal/services/.../*_data_source.go",
    approximate: "the wording",
    message: (kind: string, by: string, value: string) => `${kind} not found with ${by}: "${value}"`,
  }),
} as const;

const TF_VALIDATION = "terraform-plugin-sdk/v2 helper/validation (vendored in terraform-provider-azuread v3.8.0)";
const AZUREAD_SRC = "terraform-provider-azuread v3.8.0 (38d1993a)";

/**
 * The azuread provider's own validation, run in Check before any call: the reasons the bridge reports for
 * a schema validator or a CustomizeDiff that fails (the handler names the property).
 */
export const AZUREAD_CHECKS = {
  notEmpty: providerError({
    source: `${TF_VALIDATION}, StringIsNotEmpty`,
    message: (key: string) => `expected "${key}" to not be an empty string`,
  }),
  uuid: providerError({
    source: `${TF_VALIDATION}, IsUUID`,
    message: (key: string, value: string) => `expected "${key}" to be a valid UUID, got ${value}`,
  }),
  oneOf: providerError({
    source: `${TF_VALIDATION}, StringInSlice`,
    message: (key: string, allowed: readonly string[], value: string) =>
      `expected ${key} to be one of [${allowed.map((a) => `"${a}"`).join(" ")}], got ${value}`,
  }),
  lengthBetween: providerError({
    source: `${TF_VALIDATION}, StringLenBetween`,
    message: (key: string, min: number, max: number, value: string) =>
      `expected length of ${key} to be in the range (${min} - ${max}), got ${value}`,
  }),
  items: providerError({
    source: "terraform-plugin-sdk/v2 schema MinItems/MaxItems",
    message: (key: string, bound: "at least" | "at most", count: number) =>
      `${key}: attribute supports ${bound} ${count} item${count === 1 ? "" : "s"}`,
  }),
  claimValue: providerError({
    source: `${AZUREAD_SRC} internal/services/applications/validate/tokens.go, RoleScopeClaimValue`,
    message: (reason: string) => reason,
  }),
  tokenVersion: providerError({
    source: `${AZUREAD_SRC} application_resource.go, api.requested_access_token_version ValidateDiagFunc`,
    message: () => "Value must be one of: 1, 2",
  }),
  duplicatePermission: providerError({
    source: `${AZUREAD_SRC} internal/services/applications/applications.go:328, applicationValidateRolesScopes`,
    message: (what: "ID" | "value", value: string) =>
      "checking for duplicate app roles / OAuth2.0 permission scopes: validation failed: " +
      `duplicate ${what} found: "${value}"`,
  }),
  personalAccountsNeedV2: providerError({
    source: `${AZUREAD_SRC} application_resource.go:730, applicationResourceCustomizeDiff`,
    message: (audience: string) =>
      '`requested_access_token_version` must be 2 when `sign_in_audience` is "AzureADandPersonalMicrosoftAccount" ' +
      `or "PersonalMicrosoftAccount" (got ${audience})`,
  }),
} as const;
