// Every AADSTS error the twin's token endpoint answers with (twin/src/errors.ts says how a catalog is
// written), and the body Entra sends them in. The rules that choose them are in entra.ts and server.ts;
// those files build no error of their own (twin/test/entra-runtime/errors.test.ts).
import { randomUUID } from "node:crypto";
import { type ErrorFactory, type ErrorSpec, errorFactory } from "../errors.ts";

/** An AADSTS error of the token endpoint. */
export interface AadstsError {
  /** HTTP status of the token endpoint's answer. */
  status: number;
  /** The OAuth 2.0 `error` (RFC 6749 section 5.2). */
  error: string;
  code: number;
  message: string;
  suberror?: string;
}

interface AadstsSpec {
  /** The OAuth 2.0 `error` Entra pairs with the code. */
  readonly error: string;
  readonly suberror?: string;
}

type Aadsts<A extends unknown[]> = ErrorFactory<A, number, AadstsSpec, AadstsError>;

function aadsts<A extends unknown[]>(spec: ErrorSpec<A, number> & AadstsSpec): Aadsts<A> {
  return errorFactory(spec, (s, message) => ({
    status: s.status,
    error: s.error,
    code: s.code,
    message,
    ...(s.suberror ? { suberror: s.suberror } : {}),
  }));
}

const ERROR_CODES =
  'Learn "Microsoft Entra authentication and authorization error codes", ' +
  "learn.microsoft.com/entra/identity-platform/reference-error-codes";
const APP_ROLES =
  'Learn "Add app roles to your application and receive them in the token", ' +
  "learn.microsoft.com/entra/identity-platform/howto-add-app-roles-in-apps";
const FEDERATION =
  'Learn "Workload identity federation" / "Configure an app to trust an external identity provider", ' +
  "learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust";
const CLIENT_CREDENTIALS =
  'Learn "OAuth 2.0 client credentials flow", ' +
  "learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow";

const tenantNotFound = (tenant: string) => `Tenant '${tenant}' not found.`;
const applicationNotFound = (id: string, tenantId: string) =>
  `Application with identifier '${id}' was not found in the directory '${tenantId}'. This can happen if the ` +
  "application has not been installed by the administrator of the tenant or consented to by any user in the " +
  "tenant. You may have sent your authentication request to the wrong tenant.";
const NO_MATCH_TAIL =
  "Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.";

export const AADSTS = {
  /** The tenant in the token endpoint's path does not exist. */
  tenantNotFound: aadsts({
    status: 400,
    error: "invalid_request",
    code: 90002,
    source: ERROR_CODES,
    message: tenantNotFound,
  }),
  /** The tenant of a discovery document or key set does not exist. */
  tenantNotFoundInMetadata: aadsts({
    status: 400,
    error: "invalid_tenant",
    code: 90002,
    source: ERROR_CODES,
    message: tenantNotFound,
  }),
  /** No application with this client id in the tenant (or Microsoft's first-party clients). */
  applicationNotFound: aadsts({
    status: 400,
    error: "unauthorized_client",
    code: 700016,
    source: ERROR_CODES,
    message: applicationNotFound,
  }),
  /** A managed identity whose service principal is not (yet) in Graph. */
  identityNotFound: aadsts({
    status: 400,
    error: "invalid_request",
    code: 700016,
    source: ERROR_CODES,
    approximate: "what the identity endpoint says for an identity not yet in Graph (GUESS)",
    message: applicationNotFound,
  }),
  /** A scope the twin cannot read, or one the resource does not define. */
  invalidScope: aadsts({
    status: 400,
    error: "invalid_scope",
    code: 70011,
    source: ERROR_CODES,
    message: (shown: string) =>
      `The provided value for the input parameter 'scope' isn't valid. The scope ${shown} isn't valid.`,
  }),
  /** No service principal in the tenant answers to the requested resource. */
  resourceNotFound: aadsts({
    status: 400,
    error: "invalid_resource",
    code: 500011,
    source: ERROR_CODES,
    message: (requested: string, tenantId: string) =>
      `The resource principal named ${requested} was not found in the tenant named ${tenantId}. ` +
      "This can happen if the application has not been installed by the administrator of the tenant or " +
      "consented to by any user in the tenant. " +
      "You might have sent your authentication request to the wrong tenant.",
  }),
  /** An app-only client without an app role assignment on a resource that requires one. */
  applicationNotAssigned: aadsts({
    status: 400,
    error: "invalid_client",
    code: 501051,
    source:
      `${APP_ROLES}: "Azure AD returns the error invalid_client: AADSTS501051: Application <application name> ` +
      `is not assigned to a role for the <web API>"`,
    message: (clientAppId: string, clientName: string, requested: string, resourceName: string) =>
      `Application '${clientAppId}'(${clientName}) is not assigned to a role for the ` +
      `application '${requested}'(${resourceName}).`,
  }),
  noFederatedCredential: aadsts({
    status: 400,
    error: "invalid_client",
    code: 70021,
    source: FEDERATION,
    message: (iss: string, sub: string, aud: string) =>
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. ` +
      `Assertion Subject: '${sub}'. Assertion Audience: '${aud}'.`,
  }),
  federatedIssuerMismatch: aadsts({
    status: 400,
    error: "invalid_client",
    code: 700211,
    source: FEDERATION,
    message: (iss: string) =>
      `No matching federated identity record found for presented assertion issuer '${iss}'. ${NO_MATCH_TAIL}`,
  }),
  federatedSubjectMismatch: aadsts({
    status: 400,
    error: "invalid_client",
    code: 700213,
    source: FEDERATION,
    message: (sub: string) =>
      `No matching federated identity record found for presented assertion subject '${sub}'. Please note ` +
      `that the matching is done using a case-sensitive comparison. ${NO_MATCH_TAIL}`,
  }),
  federatedAudienceMismatch: aadsts({
    status: 400,
    error: "invalid_client",
    code: 700212,
    source: FEDERATION,
    message: (aud: string) =>
      `No matching federated identity record found for presented assertion audience '${aud}'. ${NO_MATCH_TAIL}`,
  }),
  /** The client assertion is expired or not yet valid. */
  assertionNotValidNow: aadsts({
    status: 400,
    error: "invalid_client",
    code: 700024,
    source: ERROR_CODES,
    message: () => "Client assertion is not within its valid time range.",
  }),
  /** An assertion whose signature (or issuer keys) cannot be validated. */
  assertionSignatureInvalid: aadsts({
    status: 400,
    error: "invalid_client",
    code: 700027,
    source: ERROR_CODES,
    approximate: "the code for an assertion the twin cannot validate (GUESS)",
    message: () => "Client assertion failed signature validation.",
  }),
  /** Client credentials take only `<resource>/.default`. */
  clientCredentialsNeedDefaultScope: aadsts({
    status: 400,
    error: "invalid_scope",
    code: 1002012,
    source: CLIENT_CREDENTIALS,
    message: (scope: string) =>
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope ` +
      `value with /.default suffixed to the resource identifier (application ID URI).`,
  }),
  /** An application without a service principal in the tenant asks for an app-only token. */
  clientServicePrincipalMissing: aadsts({
    status: 400,
    error: "invalid_client",
    code: 7000229,
    source: ERROR_CODES,
    approximate: "the code and the wording (GUESS)",
    message: (appId: string, tenantId: string) =>
      `The client application ${appId} is missing service principal in the tenant ${tenantId}.`,
  }),
  /** A client secret: the twin holds none, and the program uses none. */
  invalidClientSecret: aadsts({
    status: 401,
    error: "invalid_client",
    code: 7000215,
    source: ERROR_CODES,
    message: () =>
      "Invalid client secret provided. Ensure the secret being sent in the request is the client secret " +
      "value, not the client secret ID.",
  }),
  /** Client credentials with neither an assertion nor a secret. */
  missingClientAssertion: aadsts({
    status: 400,
    error: "invalid_request",
    code: 900144,
    source: ERROR_CODES,
    message: () => "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  unsupportedGrantType: aadsts({
    status: 400,
    error: "unsupported_grant_type",
    code: 70003,
    source: ERROR_CODES,
    message: (grant: string) => `The app requested an unsupported grant type '${grant}'.`,
  }),
  /** A user that does not exist in the tenant. */
  userNotFound: aadsts({
    status: 400,
    error: "invalid_grant",
    code: 50034,
    source: ERROR_CODES,
    message: (upn: string, tenantId: string) =>
      `The user account ${upn} does not exist in the ${tenantId} directory. To sign ` +
      `into this application, the account must be added to the directory.`,
  }),
  /** EntitlementGrantsNotFound: a user without an assignment on a resource that requires one. */
  userNotAssigned: aadsts({
    status: 400,
    error: "invalid_grant",
    code: 50105,
    source: ERROR_CODES,
    message: (upn: string, resourceAppId: string, resourceName: string) =>
      `The signed in user '${upn}' is not assigned to a role for the application ` +
      `'${resourceAppId}'(${resourceName}).`,
  }),
  /** DelegationDoesNotExist: neither pre-authorization nor a grant covers the scope. */
  consentRequired: aadsts({
    status: 400,
    error: "invalid_grant",
    code: 65001,
    suberror: "consent_required",
    source: ERROR_CODES,
    message: (clientId: string, clientName: string) =>
      `The user or administrator has not consented to use the application with ID '${clientId}' named ` +
      `'${clientName}'. Send an interactive authorization request for this user and resource.`,
  }),
} as const;

/** What a CLI prints for a refusal: `AADSTS<code>: <message>`, the first line of `error_description`. */
export function aadstsText(err: AadstsError): string {
  return `AADSTS${err.code}: ${err.message}`;
}

/** The token endpoint's error body, in Entra's shape (ERROR_CODES, "Handling error codes in your application"). */
export function errorBody(err: AadstsError, now: Date = new Date()): Record<string, unknown> {
  const trace = randomUUID();
  const correlation = randomUUID();
  const stamp = now
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  return {
    error: err.error,
    error_description: [
      aadstsText(err),
      `Trace ID: ${trace}`,
      `Correlation ID: ${correlation}`,
      `Timestamp: ${stamp}`,
    ].join("\r\n"),
    error_codes: [err.code],
    timestamp: stamp,
    trace_id: trace,
    correlation_id: correlation,
    ...(err.suberror ? { suberror: err.suberror } : {}),
  };
}
