/**
 * Every error the azure-native twin answers with (twin/src/errors.ts says how a catalog is written):
 * Azure Resource Manager's, as the azure-native provider reports them, and the provider's own refusals.
 * Handlers throw what this catalog makes and build no error of their own (twin/test/arm/errors.test.ts).
 */
import { type ErrorFactory, type ErrorSpec, ServiceError, errorFactory, providerError } from "../errors.ts";

/** An error as ARM returns it, in azure-native's words; the plugin reports them as the operation's failure. */
export class CloudError extends ServiceError {
  constructor(status: number, code: string, message: string) {
    super(status, code, `Status=${status} Code="${code}" Message="${message}"`);
  }
}

type ArmError<A extends unknown[]> = ErrorFactory<A, string, object, CloudError>;

function arm<A extends unknown[]>(spec: ErrorSpec<A, string>): ArmError<A> {
  return errorFactory(spec, (s, message) => new CloudError(s.status, s.code, message));
}

const RESOURCE_NOT_FOUND = 'Learn "Resolve errors for resource not found"';
const STORAGE_NAMES = 'Learn "Resolve errors for storage account names"';
const TROUBLESHOOT_RBAC = 'Learn "Troubleshoot Azure RBAC"';

/** Container Apps' answer for a name its rules refuse; `kind` is the resource ("ContainerApp"). */
const containerAppsInvalidName = (kind: string) => (name: string, max: number) =>
  `Invalid ${kind} name '${name}'. A name must consist of lower case alphanumeric characters or '-', ` +
  `start with an alphabetic character, and end with an alphanumeric character and cannot have '--'. The ` +
  `length must not be more than ${max} characters.`;

export const ARM_ERRORS = {
  resourceGroupNotFound: arm({
    status: 404,
    code: "ResourceGroupNotFound",
    source: RESOURCE_NOT_FOUND,
    message: (group: string) => `Resource group '${group}' could not be found.`,
  }),
  resourceNotFound: arm({
    status: 404,
    code: "ResourceNotFound",
    source: RESOURCE_NOT_FOUND,
    message: (typeAndName: string, group: string) =>
      `The Resource '${typeAndName}' under resource group '${group}' was not found. For more details please go to ` +
      `https://aka.ms/ARMResourceNotFoundFix`,
  }),
  invalidSiteName: arm({
    status: 400,
    code: "InvalidResourceName",
    source: 'Learn "Naming rules and restrictions for Azure resources" (the rule, Microsoft.Web/sites)',
    approximate: "the code and the wording; the rule is Learn's",
    message: (name: string) =>
      `The site name '${name}' is invalid: 2-60 characters, letters, numbers and hyphens, not starting or ` +
      `ending with a hyphen.`,
  }),
  websiteNameTaken: arm({
    status: 409,
    code: "Conflict",
    source: "App Service's CreateOrUpdate answer for a taken name",
    approximate: "the wording",
    message: (name: string) => `Website with given name ${name} already exists.`,
  }),
  accountNameInvalid: arm({
    status: 400,
    code: "AccountNameInvalid",
    source: STORAGE_NAMES,
    message: (name: string) =>
      `${name} is not a valid storage account name. Storage account name must be between 3 and 24 characters ` +
      `in length and use numbers and lower-case letters only.`,
  }),
  storageAccountAlreadyTaken: arm({
    status: 409,
    code: "StorageAccountAlreadyTaken",
    source: STORAGE_NAMES,
    message: (name: string) => `The storage account named ${name} is already taken.`,
  }),
  containerAppInvalidName: arm({
    status: 400,
    code: "ContainerAppInvalidName",
    source: "Container Apps' ContainerAppInvalidName answer",
    approximate: "the wording",
    message: containerAppsInvalidName("ContainerApp"),
  }),
  managedEnvironmentInvalidName: arm({
    status: 400,
    code: "ManagedEnvironmentInvalidName",
    source: "Container Apps' ContainerAppInvalidName answer, for an environment",
    approximate: "the code and the wording",
    message: containerAppsInvalidName("ManagedEnvironment"),
  }),
  principalNotFound: arm({
    status: 400,
    code: "PrincipalNotFound",
    source: TROUBLESHOOT_RBAC,
    message: (principalId: string, tenantId: string) =>
      `Principal ${principalId.replace(/-/g, "")} does not exist in the directory ${tenantId}. Check ` +
      `that you have the correct principal ID. ` +
      "If you are creating this principal and then immediately assigning a role, this error might be " +
      "related to a replication delay. In this case, set the role assignment principalType property to a " +
      "value, such as ServicePrincipal, User, or Group.",
  }),
  roleDefinitionDoesNotExist: arm({
    status: 400,
    code: "RoleDefinitionDoesNotExist",
    source: TROUBLESHOOT_RBAC,
    message: (roleDefinitionId: string) =>
      `The specified role definition with ID '${roleDefinitionId.split("/").at(-1)}' does not exist.`,
  }),
  roleAssignmentExists: arm({
    status: 409,
    code: "RoleAssignmentExists",
    source: TROUBLESHOOT_RBAC,
    message: () => "The role assignment already exists.",
  }),
  /** A token from one tenant for a subscription of another. */
  invalidAuthenticationTokenTenant: arm({
    status: 401,
    code: "InvalidAuthenticationTokenTenant",
    source:
      'Learn "Troubleshoot common Azure deployment errors" (InvalidAuthenticationTokenTenant: "Get access token ' +
      'for the appropriate tenant"); the message as ARM sends it, quoted in Azure/azure-sdk-for-net#49391',
    message: (tokenTenant: string, subscriptionTenant: string) =>
      `The access token is from the wrong issuer 'https://sts.windows.net/${tokenTenant}/'. It must match the ` +
      `tenant 'https://sts.windows.net/${subscriptionTenant}/' associated with this subscription. Please use the ` +
      `authority (URL) 'https://login.windows.net/${subscriptionTenant}' to get the token. Note, if the ` +
      "subscription is transferred to another tenant there is no impact to the services, but information about " +
      "new tenant could take time to propagate (up to an hour). If you just transferred your subscription and " +
      "see this error message, please try back later.",
  }),
  /** A subscription no tenant holds. */
  subscriptionNotFound: arm({
    status: 404,
    code: "SubscriptionNotFound",
    source: 'Learn "Troubleshoot common Azure deployment errors" (SubscriptionNotFound)',
    approximate: "the wording",
    message: (subscriptionId: string) => `The subscription '${subscriptionId}' could not be found.`,
  }),
  /** A custom role name is unique in its directory. */
  roleDefinitionWithSameNameExists: arm({
    status: 409,
    code: "RoleDefinitionWithSameNameExists",
    source:
      'Learn "Azure custom roles" (a custom role name is unique in the directory); code and message as quoted ' +
      "in Azure/Azure-Landing-Zones#1505 and MicrosoftDocs/azure-docs#60446",
    message: () => "A role definition cannot be updated with a name that already exists.",
  }),
  /** A custom role still assigned cannot be deleted. */
  roleDefinitionHasAssignments: arm({
    status: 409,
    code: "RoleDefinitionHasAssignments",
    source: `${TROUBLESHOOT_RBAC} ("There are existing role assignments referencing role")`,
    message: () => "There are existing role assignments referencing role.",
  }),
  authorizationFailed: arm({
    status: 403,
    code: "AuthorizationFailed",
    source: `${TROUBLESHOOT_RBAC}, "AuthorizationFailed"`,
    message: (clientId: string, objectId: string, action: string, scope: string) =>
      `The client '${clientId}' with object id '${objectId}' does not have authorization ` +
      `to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently ` +
      `granted, please refresh your credentials.`,
  }),
  conditionNotFulfilled: arm({
    status: 403,
    code: "AuthorizationFailed",
    source: `${TROUBLESHOOT_RBAC}, "Symptom - Unable to assign a role"`,
    message: (clientId: string, objectId: string, action: string, scope: string) =>
      `The client '${clientId}' with object id '${objectId}' does not have authorization or an ABAC condition ` +
      `not fulfilled to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was ` +
      `recently granted, please refresh your credentials.`,
  }),
  alwaysOnNotAllowed: arm({
    status: 409,
    code: "Conflict",
    source: "App Service's answer as quoted in tonybaloney/simple-flask-azd#1",
    approximate: "the wording",
    message: () =>
      "There was a conflict. AlwaysOn cannot be set for this site as the plan does not allow it. For more " +
      "information on pricing and features, please see: https://aka.ms/appservicepricingdetails",
  }),
  tooManySitesInPlan: arm({
    status: 409,
    code: "Conflict",
    source: 'Learn "Azure subscription and service limits, quotas, and constraints", App Service limits',
    approximate: "the code and the wording; the limit is Learn's",
    message: (tier: string, max: number) =>
      `The maximum number of sites (${max}) for an App Service plan in the ${tier} tier has been reached.`,
  }),
  tooManyInstances: arm({
    status: 400,
    code: "BadRequest",
    source: 'Learn "Azure subscription and service limits, quotas, and constraints", App Service limits',
    approximate: "the code and the wording; the limit is Learn's",
    message: (tier: string, capacity: number, max: number) =>
      `Requested ${capacity} instances: the ${tier} tier allows at most ${max}.`,
  }),
  unmatchedPrincipalType: arm({
    status: 400,
    code: "UnmatchedPrincipalType",
    source: "ARM's answer as quoted in Azure/modern-web-app-pattern-dotnet#129",
    approximate: "the status",
    message: (principalId: string, actual: string, specified: string) =>
      `The PrincipalId '${principalId.replace(/-/g, "")}' has type '${actual}' , which is different from ` +
      `specified PrinciaplType '${specified}'.`,
  }),
} as const;

/** azure-native's own refusals, made before any request reaches ARM. */
export const AZURE_NATIVE_ERRORS = {
  /** It refuses to adopt a resource it did not create. */
  alreadyExists: providerError({
    source: "pulumi-azure-native provider/pkg/provider/provider.go, Create",
    message: (id: string) =>
      `resource ${id} already exists; to be managed by Pulumi, it must be imported into the stack ` + `(pulumi import)`,
  }),
  /** Entra ID refused the credential's token request (twin/src/session.ts). */
  signInFailed: providerError({
    source:
      "azidentity's AuthenticationFailedError for a token request Entra ID refused (azure-sdk-for-go " +
      "sdk/azidentity/errors.go), which azure-native reports as the request's failure",
    approximate: "the wording around Entra ID's answer",
    message: (credential: string, aadsts: string) => `${credential} authentication failed: ${aadsts}`,
  }),
  /** A path parameter the resource id needs is missing. */
  missingPathParameter: providerError({
    source: "the resource id template of the type's REST path (azure-native metadata)",
    approximate: "the wording",
    message: (param: string) => `missing required property '${param}'`,
  }),
} as const;
