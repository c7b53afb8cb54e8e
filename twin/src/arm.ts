/**
 * The azure-native twin (answers as azure-native 3.28.0): the registry of the type tokens it models, each
 * mapped to its handler in twin/src/arm/<type>.ts, over ARM's generic resource (twin/src/arm/resource.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getClientConfig } from "./arm/clientConfig.ts";
import { AZURE_NATIVE_ERRORS } from "./arm/errors.ts";
import { appServicePlan } from "./arm/appServicePlan.ts";
import { authSettingsV2 } from "./arm/authSettingsV2.ts";
import { containerApp } from "./arm/containerApp.ts";
import { containerAppsAuthConfig } from "./arm/containerAppsAuthConfig.ts";
import { managedEnvironment } from "./arm/managedEnvironment.ts";
import { ftpAllowed, scmAllowed } from "./arm/publishingCredentialsPolicy.ts";
import { type ArmSpec, armHandler, render } from "./arm/resource.ts";
import { resourceGroup } from "./arm/resourceGroup.ts";
import { roleAssignment } from "./arm/roleAssignment.ts";
import { roleDefinition } from "./arm/roleDefinition.ts";
import { storageAccount } from "./arm/storageAccount.ts";
import { webApp } from "./arm/webApp.ts";
import { AZCORE } from "./faults.ts";
import type { PackageTable } from "./provider.ts";
import { configured, signInReporting } from "./session.ts";
import type { JsonObject } from "./state.ts";

const SPECS: Readonly<Record<string, ArmSpec>> = {
  "azure-native:resources:ResourceGroup": resourceGroup,
  "azure-native:web:AppServicePlan": appServicePlan,
  "azure-native:web:WebApp": webApp,
  "azure-native:web:WebAppFtpAllowed": ftpAllowed,
  "azure-native:web:WebAppScmAllowed": scmAllowed,
  "azure-native:web:WebAppAuthSettingsV2": authSettingsV2,
  "azure-native:app:ManagedEnvironment": managedEnvironment,
  "azure-native:app:ContainerApp": containerApp,
  "azure-native:app:ContainerAppsAuthConfig": containerAppsAuthConfig,
  "azure-native:storage:StorageAccount": storageAccount,
  "azure-native:authorization:RoleAssignment": roleAssignment,
  "azure-native:authorization:RoleDefinition": roleDefinition,
};

export const REPLACEMENT = JSON.parse(readFileSync(join(import.meta.dirname, "arm", "replacement.json"), "utf8")) as {
  types: Record<string, { forceNew: string[]; from: string[] } | undefined>;
};

/** What azure-native's metadata marks ForceNew for a type: extracted, with its sources, in replacement.json. */
export function forceNewOf(token: string): readonly string[] {
  // Every modelled type has an entry (twin/test/arm/replacement.test.ts).
  return REPLACEMENT.types[token]?.forceNew ?? [];
}

export const AZURE_NATIVE: PackageTable = {
  name: "azure-native",
  version: "3.28.0",
  keepInputs: true,
  retry: AZCORE,
  resources: Object.fromEntries(
    Object.entries(SPECS).map(([token, spec]) => [token, armHandler({ ...spec, forceNew: forceNewOf(token) })]),
  ),
  invokes: { "azure-native:authorization:getClientConfig": getClientConfig },
  // twin/src/session.ts: config, else ARM_* (azure-native auth_azidentity.go, readAuthConfig); the token
  // is asked for on the first request.
  session: (world, config) => {
    const clientId = configured(config, "clientId", "ARM_CLIENT_ID");
    const credential = {
      tenantId: configured(config, "tenantId", "ARM_TENANT_ID"),
      clientId,
      subscriptionId: configured(config, "subscriptionId", "ARM_SUBSCRIPTION_ID"),
    };
    // A client id signs in through OIDC here (ClientAssertionCredential), none through the Azure CLI.
    const credentialType = clientId === undefined ? "AzureCLICredential" : "ClientAssertionCredential";
    return signInReporting(world, credential, (refusal) =>
      AZURE_NATIVE_ERRORS.signInFailed(credentialType, refusal.message),
    );
  },
};

/**
 * The ARM id a resource of this azure-native type gets from these (checked) inputs, or undefined for a
 * type the twin does not model: what `az resource show --ids` needs to find a resource a killed
 * `pulumi up` created but never recorded (e2e/pending.ts).
 */
export function armIdFor(token: string, subscriptionId: string, inputs: JsonObject): string | undefined {
  const spec = SPECS[token];
  if (spec === undefined) return undefined;
  try {
    return render(subscriptionId, spec.path, inputs);
  } catch {
    return undefined;
  }
}
