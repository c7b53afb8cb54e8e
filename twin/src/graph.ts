/**
 * The azuread twin (answers as azuread 6.9.1, the Terraform provider azuread v3 bridged): the registry of
 * the type tokens and functions it models, each mapped to its handler in twin/src/graph/<type>.ts.
 */
import { RETRYABLEHTTP } from "./faults.ts";
import { appRoleAssignment } from "./graph/appRoleAssignment.ts";
import { application, getApplication } from "./graph/application.ts";
import { getClientConfig } from "./graph/clientConfig.ts";
import { applicationFederatedIdentityCredential } from "./graph/federatedIdentityCredential.ts";
import { applicationIdentifierUri } from "./graph/identifierUri.ts";
import { applicationPreAuthorized } from "./graph/preAuthorized.ts";
import { getServicePrincipal, servicePrincipal } from "./graph/servicePrincipal.ts";
import { getUser } from "./graph/user.ts";
import { AZUREAD_ERRORS } from "./graph/errors.ts";
import type { PackageTable } from "./provider.ts";
import { configured, signInReporting } from "./session.ts";

export const AZUREAD: PackageTable = {
  name: "azuread",
  version: "6.9.1",
  keepInputs: false,
  retry: RETRYABLEHTTP,
  resources: {
    "azuread:index/application:Application": application,
    "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri": applicationIdentifierUri,
    "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized": applicationPreAuthorized,
    "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential":
      applicationFederatedIdentityCredential,
    "azuread:index/servicePrincipal:ServicePrincipal": servicePrincipal,
    "azuread:index/appRoleAssignment:AppRoleAssignment": appRoleAssignment,
  },
  invokes: {
    "azuread:index/getClientConfig:getClientConfig": getClientConfig,
    "azuread:index/getServicePrincipal:getServicePrincipal": getServicePrincipal,
    "azuread:index/getApplication:getApplication": getApplication,
    "azuread:index/getUser:getUser": getUser,
  },
  // twin/src/session.ts: config, else ARM_* (terraform-provider-azuread provider.go); Graph answers for the
  // token's tenant only, and azuread asks for the token while it configures.
  session: (world, config) =>
    signInReporting(
      world,
      {
        tenantId: configured(config, "tenantId", "ARM_TENANT_ID"),
        clientId: configured(config, "clientId", "ARM_CLIENT_ID"),
      },
      (refusal) => AZUREAD_ERRORS.signInFailed(refusal.message),
    ),
  signsInAtConfigure: true,
};
