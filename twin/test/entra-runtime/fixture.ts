// A twin state in the shared contract's shape: a callee API (App Service and Container App), a
// caller site whose managed identity holds the callee's role, a site whose identity holds none,
// developers (assigned, group-assigned, not assigned), and a CI app with a GitHub federated credential.
import { writeFileSync } from "node:fs";
import { AZURE_CLI_APP_ID } from "../../src/state.ts";

export const T = "72f988bf-0000-4000-8000-000000000001";
export const SUB = "00000000-0000-4000-8000-00000000aaaa";
export const AZURE_CLI = AZURE_CLI_APP_ID;
export const GITHUB = "https://token.actions.githubusercontent.com";

export const CALLEE_APP_OBJ = "a0000000-0000-4000-8000-000000000001";
export const CALLEE_CLIENT = "c0000000-0000-4000-8000-000000000001";
export const CALLEE_SP = "50000000-0000-4000-8000-000000000001";
export const CALLEE_URI = `api://${CALLEE_CLIENT}`;
export const ROLE = "e0000000-0000-4000-8000-000000000001";
export const SCOPE = "f0000000-0000-4000-8000-000000000001";

export const OTHER_APP_OBJ = "a0000000-0000-4000-8000-000000000002";
export const OTHER_CLIENT = "c0000000-0000-4000-8000-000000000002";
export const OTHER_SP = "50000000-0000-4000-8000-000000000002";

export const CALLER_MI = "60000000-0000-4000-8000-000000000001";
export const CALLER_MI_CLIENT = "d0000000-0000-4000-8000-000000000001";
export const LONELY_MI = "60000000-0000-4000-8000-000000000002";
export const LONELY_MI_CLIENT = "d0000000-0000-4000-8000-000000000002";
/** A caller site made after the runtime started (`late`): its identity holds the callee's role. */
export const LATE_MI = "60000000-0000-4000-8000-000000000003";
export const LATE_MI_CLIENT = "d0000000-0000-4000-8000-000000000003";

export const CI_APP_OBJ = "a0000000-0000-4000-8000-000000000003";
export const CI_CLIENT = "c0000000-0000-4000-8000-000000000003";
export const CI_SP = "50000000-0000-4000-8000-000000000003";
export const CI_SUBJECT = "repo:contoso/s2s:environment:dev";

export const ALICE = "70000000-0000-4000-8000-000000000001"; // assigned directly
export const BOB = "70000000-0000-4000-8000-000000000002"; // not assigned
export const CAROL = "70000000-0000-4000-8000-000000000003"; // member of an assigned group
export const DAVE = "70000000-0000-4000-8000-000000000004"; // member of a group nested in the assigned one
export const DEVS = "80000000-0000-4000-8000-000000000001";
export const NESTED = "80000000-0000-4000-8000-000000000002";

const rg = `/subscriptions/${SUB}/resourcegroups/rg-dev`;
export const CALLEE_SITE_ID = `${rg}/providers/microsoft.web/sites/callee-app`;
export const CALLEE_ACA_ID = `${rg}/providers/microsoft.app/containerapps/callee-aca`;
const CALLER_SITE_ID = `${rg}/providers/microsoft.web/sites/caller-app`;
const LONELY_SITE_ID = `${rg}/providers/microsoft.web/sites/lonely-app`;
const OPEN_SITE_ID = `${rg}/providers/microsoft.web/sites/open-app`;
const LATE_SITE_ID = `${rg}/providers/microsoft.web/sites/late-app`;

export interface FixtureOptions {
  tokenVersion?: 1 | 2;
  /** Pre-authorize the Azure CLI for the callee's scope (dev does, test and prod don't). */
  preAuthorizeCli?: boolean;
  allowedApplications?: string[];
  acaAllowedApplications?: string[];
  openIdIssuer?: string;
  /** Adds `late-app`, a caller site granted the callee's role, as a `pulumi up` after the start would. */
  late?: boolean;
}

type Json = Record<string, unknown>;

export function fixture(o: FixtureOptions = {}): Json {
  const role = {
    id: ROLE,
    value: "Callee.Call",
    allowedMemberTypes: ["Application", "User"],
    isEnabled: true,
    displayName: "Call",
  };
  const scope = { id: SCOPE, value: "user_impersonation", type: "User", isEnabled: true };
  const aad = (allowed: string[]): Json => ({
    enabled: true,
    registration: {
      clientId: CALLEE_CLIENT,
      openIdIssuer: o.openIdIssuer ?? `https://login.microsoftonline.com/${T}/v2.0`,
    },
    validation: { allowedAudiences: [CALLEE_URI], defaultAuthorizationPolicy: { allowedApplications: allowed } },
  });
  const site = (id: string, name: string, identity?: { principalId: string }): Json => ({
    id,
    name,
    type: "Microsoft.Web/sites",
    kind: "app",
    location: "westeurope",
    ...(identity ? { identity: { type: "SystemAssigned", principalId: identity.principalId, tenantId: T } } : {}),
    properties: { defaultHostName: `${name}.azurewebsites.net` },
  });
  const assignment = (id: string, principalId: string, principalType: string): Json => ({
    id,
    appRoleId: ROLE,
    principalId,
    principalType,
    resourceId: CALLEE_SP,
  });
  return {
    tenantId: T,
    subscriptionId: SUB,
    arm: {
      resources: {
        [CALLEE_SITE_ID]: site(CALLEE_SITE_ID, "callee-app"),
        [`${CALLEE_SITE_ID}/config/authsettingsv2`]: {
          id: `${CALLEE_SITE_ID}/config/authsettingsV2`,
          name: "authsettingsV2",
          type: "Microsoft.Web/sites/config",
          properties: {
            platform: { enabled: true },
            globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "Return401" },
            identityProviders: {
              azureActiveDirectory: aad(o.allowedApplications ?? [CALLER_MI_CLIENT, AZURE_CLI, CI_CLIENT]),
            },
          },
        },
        [CALLEE_ACA_ID]: {
          id: CALLEE_ACA_ID,
          name: "callee-aca",
          type: "Microsoft.App/containerApps",
          location: "westeurope",
          properties: { configuration: { ingress: { fqdn: "callee-aca.example.westeurope.azurecontainerapps.io" } } },
        },
        [`${CALLEE_ACA_ID}/authconfigs/current`]: {
          id: `${CALLEE_ACA_ID}/authConfigs/current`,
          name: "current",
          type: "Microsoft.App/containerApps/authConfigs",
          properties: {
            platform: { enabled: true },
            globalValidation: { unauthenticatedClientAction: "Return401" },
            identityProviders: { azureActiveDirectory: aad(o.acaAllowedApplications ?? [CALLER_MI_CLIENT]) },
          },
        },
        [CALLER_SITE_ID]: site(CALLER_SITE_ID, "caller-app", { principalId: CALLER_MI }),
        [LONELY_SITE_ID]: site(LONELY_SITE_ID, "lonely-app", { principalId: LONELY_MI }),
        [OPEN_SITE_ID]: site(OPEN_SITE_ID, "open-app"),
        ...(o.late ? { [LATE_SITE_ID]: site(LATE_SITE_ID, "late-app", { principalId: LATE_MI }) } : {}),
        [`${OPEN_SITE_ID}/config/authsettingsv2`]: {
          id: `${OPEN_SITE_ID}/config/authsettingsV2`,
          name: "authsettingsV2",
          type: "Microsoft.Web/sites/config",
          properties: {
            platform: { enabled: true },
            globalValidation: { requireAuthentication: false, unauthenticatedClientAction: "AllowAnonymous" },
            identityProviders: { azureActiveDirectory: aad([CALLER_MI_CLIENT]) },
          },
        },
      },
    },
    graph: {
      applications: {
        [CALLEE_APP_OBJ]: {
          id: CALLEE_APP_OBJ,
          appId: CALLEE_CLIENT,
          displayName: "callee-api",
          identifierUris: [CALLEE_URI],
          signInAudience: "AzureADMyOrg",
          api: {
            requestedAccessTokenVersion: o.tokenVersion === 2 ? 2 : null,
            oauth2PermissionScopes: [scope],
            preAuthorizedApplications:
              o.preAuthorizeCli === false ? [] : [{ appId: AZURE_CLI, delegatedPermissionIds: [SCOPE] }],
          },
          appRoles: [role],
          web: { implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } },
        },
        [OTHER_APP_OBJ]: {
          id: OTHER_APP_OBJ,
          appId: OTHER_CLIENT,
          displayName: "other-api",
          identifierUris: [`api://${OTHER_CLIENT}`],
          api: {},
          appRoles: [],
        },
        [CI_APP_OBJ]: {
          id: CI_APP_OBJ,
          appId: CI_CLIENT,
          displayName: "ci",
          identifierUris: [],
          api: {},
          appRoles: [],
        },
      },
      servicePrincipals: {
        [CALLEE_SP]: {
          id: CALLEE_SP,
          appId: CALLEE_CLIENT,
          displayName: "callee-api",
          servicePrincipalType: "Application",
          appRoleAssignmentRequired: true,
          appRoles: [role],
          oauth2PermissionScopes: [scope],
          tags: ["HideApp"],
        },
        [OTHER_SP]: {
          id: OTHER_SP,
          appId: OTHER_CLIENT,
          displayName: "other-api",
          servicePrincipalType: "Application",
          appRoleAssignmentRequired: false,
          appRoles: [],
        },
        [CI_SP]: {
          id: CI_SP,
          appId: CI_CLIENT,
          displayName: "ci",
          servicePrincipalType: "Application",
          appRoleAssignmentRequired: false,
          appRoles: [],
        },
        [CALLER_MI]: {
          id: CALLER_MI,
          appId: CALLER_MI_CLIENT,
          displayName: "caller-app",
          servicePrincipalType: "ManagedIdentity",
          alternativeNames: [`isExplicit=False`, CALLER_SITE_ID],
        },
        [LONELY_MI]: {
          id: LONELY_MI,
          appId: LONELY_MI_CLIENT,
          displayName: "lonely-app",
          servicePrincipalType: "ManagedIdentity",
        },
        ...(o.late
          ? {
              [LATE_MI]: {
                id: LATE_MI,
                appId: LATE_MI_CLIENT,
                displayName: "late-app",
                servicePrincipalType: "ManagedIdentity",
              },
            }
          : {}),
      },
      appRoleAssignments: {
        r1: assignment("r1", CALLER_MI, "ServicePrincipal"),
        r2: assignment("r2", ALICE, "User"),
        r3: assignment("r3", DEVS, "Group"),
        r4: assignment("r4", CI_SP, "ServicePrincipal"),
        ...(o.late ? { r5: assignment("r5", LATE_MI, "ServicePrincipal") } : {}),
      },
      federatedIdentityCredentials: {
        f1: {
          id: "f1",
          applicationObjectId: CI_APP_OBJ,
          name: "github-dev",
          issuer: GITHUB,
          subject: CI_SUBJECT,
          audiences: ["api://AzureADTokenExchange"],
        },
      },
      users: {
        [ALICE]: { id: ALICE, userPrincipalName: "alice@contoso.example", displayName: "Alice" },
        [BOB]: { id: BOB, userPrincipalName: "bob@contoso.example", displayName: "Bob" },
        [CAROL]: { id: CAROL, userPrincipalName: "carol@contoso.example", displayName: "Carol" },
        [DAVE]: { id: DAVE, userPrincipalName: "dave@contoso.example", displayName: "Dave" },
      },
      groups: {
        [DEVS]: { id: DEVS, displayName: "devs", members: [CAROL, NESTED] },
        [NESTED]: { id: NESTED, displayName: "nested", members: [DAVE] },
      },
      deletedItems: {},
    },
  };
}

export function writeFixture(file: string, o: FixtureOptions = {}): void {
  writeFileSync(file, JSON.stringify(fixture(o), null, 2));
}
