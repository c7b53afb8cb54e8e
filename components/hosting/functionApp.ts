// Services on Azure Functions: a hardened site whose host storage is reached with its identity.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { authorization, storage } from "../azureNative.ts";
import { hardenedWebApp, webAppAuth } from "./appService.ts";
import { principalIdOf, type HostedApp, type HostedAppArgs } from "./hostedApp.ts";

/** Where built-in Azure roles are defined, below a subscription. */
const ROLE_DEFINITIONS = "Microsoft.Authorization/roleDefinitions";

/** The runtime every function app is created with; its deployment may change it. */
export const FUNCTIONS_RUNTIME = "NODE|22";

/**
 * Built-in roles the Functions host needs on its storage account when it connects with its
 * identity instead of a connection string (Microsoft Learn, "Connecting to host storage with
 * an identity").
 */
export const HOST_STORAGE_ROLES: Readonly<Record<string, string>> = {
  "blob-data-owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  "queue-data-contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  "table-data-contributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
};

/**
 * Whether the plan SKU runs function apps on dedicated workers that Always On keeps loaded.
 * Without it the Functions runtime idles after a few minutes and only HTTP triggers wake it, so
 * a timer- or queue-triggered caller silently stops calling (Azure Functions wiki, "Enable
 * Always On when running on dedicated App Service Plan"; Microsoft Learn, "Azure Functions
 * hosting options", Always on). Dedicated tiers support it: Basic (B*), Standard (S*), Premium
 * v2/v3/mv3 (P*) and Isolated (I*). Free (F1) and Shared (D1) cannot enable it (ARM refuses
 * it on F1); Elastic Premium (EP*), Consumption (Y1) and Flex Consumption (FC1) keep instances
 * warm themselves, and Always On there only forces needless scale-out (same wiki page).
 */
export function alwaysOnSupported(sku: string): boolean {
  return /^[BSPI]\d/i.test(sku);
}

/**
 * Storage account names are global, 3-24 lowercase letters and digits. Derived from the
 * resource group's id (which names the subscription) so that it is unique, yet the same on
 * every run.
 */
export function storageAccountName(resourceGroupId: string, app: string): string {
  return `s2s${createHash("sha256").update(`${resourceGroupId}/${app}`).digest("hex").slice(0, 21)}`;
}

/**
 * A service on Azure Functions (Linux, the stack's shared plan). The host reaches its storage
 * with its managed identity (`AzureWebJobsStorage__accountName` plus data roles): the account
 * refuses shared keys, so no key or connection string exists anywhere.
 */
export function functionApp(name: string, args: HostedAppArgs, parent: pulumi.Resource): HostedApp {
  const account = new storage.StorageAccount(
    `${name}-storage`,
    {
      resourceGroupName: args.hosting.resourceGroupName,
      location: args.hosting.location,
      accountName: args.hosting.resourceGroupId.apply((id) => storageAccountName(id, name)),
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowBlobPublicAccess: false,
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
    },
    { parent },
  );
  const site = hardenedWebApp(
    `${name}-site`,
    {
      hosting: args.hosting,
      kind: "functionapp,linux",
      linuxFxVersion: FUNCTIONS_RUNTIME,
      alwaysOn: alwaysOnSupported(args.hosting.sku),
      appSettings: [
        { name: "FUNCTIONS_EXTENSION_VERSION", value: "~4" },
        { name: "FUNCTIONS_WORKER_RUNTIME", value: "node" },
        { name: "AzureWebJobsStorage__accountName", value: account.name },
        ...args.appSettings,
      ],
    },
    parent,
  );
  const principalId = principalIdOf(site.identity, parent);
  const subscriptionId = authorization.getClientConfigOutput({ parent }).subscriptionId;
  const roleDefinitions = pulumi.interpolate`/subscriptions/${subscriptionId}/providers/${ROLE_DEFINITIONS}`;
  for (const [role, roleId] of Object.entries(HOST_STORAGE_ROLES)) {
    new authorization.RoleAssignment(
      `${name}-storage-${role}`,
      {
        principalId,
        // Declaring the type lets ARM accept an identity Entra ID has not replicated yet.
        principalType: "ServicePrincipal",
        roleDefinitionId: pulumi.interpolate`${roleDefinitions}/${roleId}`,
        scope: account.id,
      },
      { parent },
    );
  }
  return {
    host: "functionApp",
    principalId,
    name: site.name,
    url: pulumi.interpolate`https://${site.defaultHostName}`,
    requireAuthentication: (authName, auth) => webAppAuth(authName, site, args.hosting, auth, parent),
  };
}
