// The type tokens of the program's resources and data sources, as the components declare them
// and the plan, the rules, the policy pack and the tests read them: every component passes its
// token from here to `super`, so a rename is one line. The twin keeps its own spelling on purpose.

/** Resource type tokens, by what the resource is. */
export const RESOURCE_TYPE = {
  stack: "pulumi:pulumi:Stack",
  // The program's components (components/**) and the bootstrap project's (bootstrap/).
  hosting: "s2s-auth:hosting:Hosting",
  protectedApi: "s2s-auth:api:ProtectedApi",
  callerApp: "s2s-auth:app:CallerApp",
  externalCaller: "s2s-auth:app:ExternalCaller",
  appRoleGrant: "s2s-auth:access:AppRoleGrant",
  devAccess: "s2s-auth:access:DevAccess",
  ciPrincipal: "s2s-auth:access:CiPrincipal",
  pipelineIdentity: "s2s-auth:bootstrap:PipelineIdentity",
  deploymentEnvironment: "s2s-auth:bootstrap:DeploymentEnvironment",
  // Entra ID (azuread).
  application: "azuread:index/application:Application",
  applicationRegistration: "azuread:index/applicationRegistration:ApplicationRegistration",
  applicationAppRole: "azuread:index/applicationAppRole:ApplicationAppRole",
  identifierUri: "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri",
  permissionScope: "azuread:index/applicationPermissionScope:ApplicationPermissionScope",
  preAuthorized: "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized",
  federatedIdentityCredential:
    "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
  servicePrincipal: "azuread:index/servicePrincipal:ServicePrincipal",
  appRoleAssignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  applicationPassword: "azuread:index/applicationPassword:ApplicationPassword",
  applicationCertificate: "azuread:index/applicationCertificate:ApplicationCertificate",
  servicePrincipalPassword: "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
  servicePrincipalCertificate: "azuread:index/servicePrincipalCertificate:ServicePrincipalCertificate",
  // Azure (azure-native).
  resourceGroup: "azure-native:resources:ResourceGroup",
  storageAccount: "azure-native:storage:StorageAccount",
  managedEnvironment: "azure-native:app:ManagedEnvironment",
  appServicePlan: "azure-native:web:AppServicePlan",
  webApp: "azure-native:web:WebApp",
  authSettingsV2: "azure-native:web:WebAppAuthSettingsV2",
  ftpAllowed: "azure-native:web:WebAppFtpAllowed",
  scmAllowed: "azure-native:web:WebAppScmAllowed",
  containerApp: "azure-native:app:ContainerApp",
  containerAppAuth: "azure-native:app:ContainerAppsAuthConfig",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  roleDefinition: "azure-native:authorization:RoleDefinition",
  // GitHub (@pulumi/github): the environments and variables the workflows rely on.
  githubEnvironment: "github:index/repositoryEnvironment:RepositoryEnvironment",
  githubDeploymentPolicy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
  githubEnvironmentVariable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
  githubVariable: "github:index/actionsVariable:ActionsVariable",
} as const;

/** Provider instances' types all start with this. */
export const PROVIDER_TYPE_PREFIX = "pulumi:providers:";

/** Data-source (invoke) tokens the program calls, by what they return. */
export const INVOKE_TOKEN = {
  getUser: "azuread:index/getUser:getUser",
  getGroup: "azuread:index/getGroup:getGroup",
  getServicePrincipal: "azuread:index/getServicePrincipal:getServicePrincipal",
  getApplication: "azuread:index/getApplication:getApplication",
  getEntraClientConfig: "azuread:index/getClientConfig:getClientConfig",
  getAzureClientConfig: "azure-native:authorization:getClientConfig",
} as const;
