/**
 * A setup made by hand, as the seed's walkthrough has a person make it in the portal: a resource group
 * and a Linux plan, a callee and a caller site with system-assigned identities, an app registration
 * for the callee (an app role, its Application ID URI), its enterprise application (assignment
 * required, hidden from users), the caller's identity assigned the role, and App Service
 * Authentication on the callee. What a team then adopts with `pulumi import` (docs/reusing.md), or
 * reuses with `existingApplication`. Made through the twin's own handlers, as the portal calls the same
 * APIs: `npm run twin -- hand-made <prefix> [--loose]`. `--loose` leaves what the walkthrough turns off
 * as the portal's defaults leave it: assignment not required, visible to users, and implicit grant on
 * (a registration made for a browser sign-in).
 */
import { AZURE_NATIVE } from "./arm.ts";
import { AZUREAD } from "./graph.ts";
import { type JsonObject, newGuid, type TwinState } from "./state.ts";

/** The ids `pulumi import` takes for each part, by what the walkthrough calls it. */
export interface HandMade {
  resourceGroup: string;
  plan: string;
  calleeSite: string;
  callerSite: string;
  authSettings: string;
  application: string;
  clientId: string;
  identifierUri: string;
  servicePrincipal: string;
  appRoleId: string;
  assignment: string;
}

function make(state: TwinState, token: string, inputs: JsonObject): { id: string; outs: JsonObject } {
  const handler = (token.startsWith("azuread:") ? AZUREAD : AZURE_NATIVE).resources[token];
  if (handler === undefined) throw new Error(`the twin does not model ${token}`);
  return handler.create(state, inputs);
}

/**
 * Made by a person with the rights the walkthrough needs (an Application Administrator who owns the
 * subscription), not by the tenant's deployer: so the objects are owned by no deploy identity, as a
 * real hand-made setup's are, and adopting them takes what docs/reusing.md says it takes.
 */
export function handMade(state: TwinState, prefix: string, loose = false): HandMade {
  return byAPerson(state, () => makeByHand(state, prefix, loose));
}

/** Deletes what {@link handMade} made under `prefix` (whatever of it is still there), as the person would. */
export function removeHandMade(state: TwinState, prefix: string): void {
  byAPerson(state, () => {
    const group = Object.values(state.arm.resources).find(
      (r) => r.type === "Microsoft.Resources/resourceGroups" && r.name === `${prefix}-rg`,
    );
    // Deleting the group deletes its sites and with them their identities (twin/src/arm/resource.ts).
    if (group !== undefined)
      AZURE_NATIVE.resources["azure-native:resources:ResourceGroup"]!.delete(state, group.id, {});
    for (const app of Object.values(state.graph.applications).filter((a) => a.displayName === `${prefix}-callee`)) {
      for (const sp of Object.values(state.graph.servicePrincipals).filter((x) => x.appId === app.appId))
        AZUREAD.resources["azuread:index/servicePrincipal:ServicePrincipal"]!.delete(
          state,
          `/servicePrincipals/${sp.id}`,
          {},
        );
      AZUREAD.resources["azuread:index/application:Application"]!.delete(state, `/applications/${app.id}`, {});
    }
  });
}

function byAPerson<T>(state: TwinState, work: () => T): T {
  const deployer = state.deployer;
  state.deployer = {
    servicePrincipalId: "hand-made-by-a-person",
    azureRoles: [{ role: "Owner", scope: `/subscriptions/${state.subscriptionId}` }],
    graphAppRoles: ["Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All"],
  };
  try {
    return work();
  } finally {
    state.deployer = deployer;
  }
}

function makeByHand(state: TwinState, prefix: string, loose: boolean): HandMade {
  const location = "westeurope";
  const resourceGroupName = `${prefix}-rg`;
  const group = make(state, "azure-native:resources:ResourceGroup", { resourceGroupName, location });
  const plan = make(state, "azure-native:web:AppServicePlan", {
    resourceGroupName,
    name: `${prefix}-plan`,
    location,
    kind: "linux",
    reserved: true,
    sku: { name: "B1" },
  });
  const site = (role: string) =>
    make(state, "azure-native:web:WebApp", {
      resourceGroupName,
      name: `${prefix}-${role}`,
      location,
      kind: "app,linux",
      serverFarmId: plan.id,
      httpsOnly: true,
      identity: { type: "SystemAssigned" },
      siteConfig: { linuxFxVersion: "NODE|22-lts" },
    });
  const callee = site("callee");
  const caller = site("caller");

  const roleId = newGuid();
  const app = make(state, "azuread:index/application:Application", {
    displayName: `${prefix}-callee`,
    signInAudience: "AzureADMyOrg",
    appRoles: [
      {
        id: roleId,
        value: "Invoke",
        displayName: "Invoke",
        description: "Call the callee.",
        allowedMemberTypes: ["Application"],
        enabled: true,
      },
    ],
    web: { implicitGrant: { accessTokenIssuanceEnabled: loose, idTokenIssuanceEnabled: loose } },
  });
  const clientId = String(app.outs.clientId);
  const uri = make(state, "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri", {
    applicationId: app.id,
    identifierUri: `api://${clientId}`,
  });
  // The portal makes an enterprise application with its "integrated app" tag; "Visible to users? No" hides it.
  const sp = make(state, "azuread:index/servicePrincipal:ServicePrincipal", {
    clientId,
    appRoleAssignmentRequired: !loose,
    featureTags: [{ enterprise: true, hide: !loose }],
  });
  const callerIdentity = (caller.outs.identity as JsonObject).principalId as string;
  const assignment = make(state, "azuread:index/appRoleAssignment:AppRoleAssignment", {
    principalObjectId: callerIdentity,
    resourceObjectId: String(sp.outs.objectId),
    appRoleId: roleId,
  });
  const auth = make(state, "azure-native:web:WebAppAuthSettingsV2", {
    resourceGroupName,
    name: String(callee.outs.name),
    platform: { enabled: true },
    globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "Return401" },
    identityProviders: {
      azureActiveDirectory: {
        enabled: true,
        registration: { clientId, openIdIssuer: `https://login.microsoftonline.com/${state.tenantId}/v2.0` },
        validation: { allowedAudiences: [`api://${clientId}`] },
      },
    },
  });
  return {
    resourceGroup: group.id,
    plan: plan.id,
    calleeSite: callee.id,
    callerSite: caller.id,
    authSettings: auth.id,
    application: app.id,
    clientId,
    identifierUri: uri.id,
    servicePrincipal: sp.id,
    appRoleId: roleId,
    assignment: assignment.id,
  };
}
