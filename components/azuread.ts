// The @pulumi/azuread classes and data sources this program uses, loaded with require() instead
// of `import * as`.
//
// Like azureNative.ts: the package is CommonJS with a lazy getter per resource class, and an ES
// module importing it makes Node read every export to build its namespace, which loads all of
// its ~80 files. require() loads the index and, below, only what the program uses: 19 files, about
// 7 % of an offline plan's CPU, and as much off every `pulumi preview`/`up` (docs/performance.md).
// Each name is a value and, for classes, the type of the same name, so `import * as azuread from
// "./azuread.ts"` reads as `import * as azuread from "@pulumi/azuread"` did.
import { createRequire } from "node:module";
import type * as AzureAD from "@pulumi/azuread";

const azuread: typeof AzureAD = createRequire(import.meta.url)("@pulumi/azuread");

export const Application = azuread.Application;
export type Application = AzureAD.Application;
export type ApplicationArgs = AzureAD.ApplicationArgs;
export const ApplicationFederatedIdentityCredential = azuread.ApplicationFederatedIdentityCredential;
export type ApplicationFederatedIdentityCredential = AzureAD.ApplicationFederatedIdentityCredential;
export const ApplicationIdentifierUri = azuread.ApplicationIdentifierUri;
export type ApplicationIdentifierUri = AzureAD.ApplicationIdentifierUri;
export const ApplicationPreAuthorized = azuread.ApplicationPreAuthorized;
export type ApplicationPreAuthorized = AzureAD.ApplicationPreAuthorized;
export const AppRoleAssignment = azuread.AppRoleAssignment;
export type AppRoleAssignment = AzureAD.AppRoleAssignment;
export const ServicePrincipal = azuread.ServicePrincipal;
export type ServicePrincipal = AzureAD.ServicePrincipal;
export type ServicePrincipalArgs = AzureAD.ServicePrincipalArgs;
export const getApplicationOutput = azuread.getApplicationOutput;
export const getClientConfigOutput = azuread.getClientConfigOutput;
export const getServicePrincipal = azuread.getServicePrincipal;
export const getServicePrincipalOutput = azuread.getServicePrincipalOutput;
export const getUserOutput = azuread.getUserOutput;
