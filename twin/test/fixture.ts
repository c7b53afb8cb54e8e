// A fresh twin tenant per test and the three providers driven in process, as the engine drives them:
// configure, then check (inputs with auto-names), create, diff, update, read, delete, invoke.
import { AZURE_NATIVE } from "../src/arm.ts";
import { GITHUB } from "../src/github.ts";
import { AZUREAD } from "../src/graph.ts";
import { type TwinProvider, twinProvider } from "../src/provider.ts";
import {
  type JsonObject,
  type TwinState,
  type TwinWorld,
  newTenant,
  readState,
  readWorld,
  scratchStatePath,
  writeStateAtomically,
} from "../src/state.ts";

export interface Twin {
  arm: TwinProvider;
  graph: TwinProvider;
  github: TwinProvider;
  /** The state file. */
  path: string;
  /** The default tenant. */
  state(): TwinState;
  world(): TwinWorld;
  urn(type: string, name: string): string;
  /** check + create, returning the id and outputs. */
  create(type: string, name: string, inputs: JsonObject): Promise<{ id: string; outs: JsonObject; inputs: JsonObject }>;
}

export function freshTwin(): Twin {
  const path = scratchStatePath();
  process.env.S2S_TWIN_STATE = path;
  delete process.env.S2S_TWIN_DEPLOYER;
  delete process.env.S2S_TWIN_IDENTITY_DELAY_MS;
  // What the real providers read when their configuration names nothing (twin/src/session.ts).
  for (const name of ["ARM_TENANT_ID", "ARM_CLIENT_ID", "ARM_SUBSCRIPTION_ID", "GITHUB_TOKEN", "GITHUB_OWNER"])
    delete process.env[name];
  writeStateAtomically(path, newTenant());
  const arm = twinProvider(AZURE_NATIVE);
  const graph = twinProvider(AZUREAD);
  const github = twinProvider(GITHUB);
  const urn = (type: string, name: string) => `urn:pulumi:dev::s2s-auth::${type}::${name}`;
  return {
    arm,
    graph,
    github,
    path,
    state: () => readState(path),
    world: () => readWorld(path),
    urn,
    async create(type, name, inputs) {
      const provider = type.startsWith("azuread:") ? graph : type.startsWith("github:") ? github : arm;
      const result = await provider.check!(urn(type, name), {}, inputs);
      // The engine stops at check failures, as it does for the real providers.
      if ((result.failures ?? []).length > 0) {
        throw new Error(`check failed: ${result.failures!.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
      }
      const checked = result.inputs as JsonObject;
      const { id, outs } = await provider.create!(urn(type, name), checked);
      return { id, outs: outs as JsonObject, inputs: checked };
    },
  };
}

export const T = {
  rg: "azure-native:resources:ResourceGroup",
  plan: "azure-native:web:AppServicePlan",
  site: "azure-native:web:WebApp",
  auth: "azure-native:web:WebAppAuthSettingsV2",
  ftp: "azure-native:web:WebAppFtpAllowed",
  env: "azure-native:app:ManagedEnvironment",
  containerApp: "azure-native:app:ContainerApp",
  storage: "azure-native:storage:StorageAccount",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  roleDefinition: "azure-native:authorization:RoleDefinition",
  app: "azuread:index/application:Application",
  uri: "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri",
  sp: "azuread:index/servicePrincipal:ServicePrincipal",
  assignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  preAuth: "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized",
  fic: "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
  environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
  branchPolicy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
  variable: "github:index/actionsVariable:ActionsVariable",
  environmentVariable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
} as const;

/** A resource group, a plan and a site with a system-assigned identity. */
export async function siteIn(twin: Twin, name = "api-site") {
  const rg = await twin.create(T.rg, "rg", { location: "westeurope" });
  const plan = await twin.create(T.plan, "plan", {
    resourceGroupName: rg.outs.name!,
    location: "westeurope",
    kind: "linux",
    reserved: true,
    sku: { name: "B1" },
  });
  const site = await twin.create(T.site, name, {
    resourceGroupName: rg.outs.name!,
    location: "westeurope",
    serverFarmId: plan.id,
    kind: "app,linux",
    identity: { type: "SystemAssigned" },
    siteConfig: { linuxFxVersion: "NODE|22-lts" },
  });
  return { rg, plan, site };
}

/** An app role and a delegated scope the API of `apiIn` declares. */
export const ROLE_ID = "5f0c1a4e-1111-4aaa-8bbb-000000000001";
export const SCOPE_ID = "5f0c1a4e-1111-4aaa-8bbb-000000000002";
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An API as the program registers one: an application owned by the deployer with an app role (admitting
 * `memberTypes`) and a scope, and its service principal requiring assignment.
 */
export async function apiIn(twin: Twin, memberTypes = ["Application"]) {
  const deployer = twin.state().deployer.servicePrincipalId;
  const app = await twin.create(T.app, "api-app", {
    displayName: "api",
    signInAudience: "AzureADMyOrg",
    owners: [deployer],
    appRoles: [
      {
        id: ROLE_ID,
        value: "Invoke",
        displayName: "Invoke",
        description: "Call it",
        allowedMemberTypes: memberTypes,
        enabled: true,
      },
    ],
    api: {
      requestedAccessTokenVersion: 2,
      oauth2PermissionScopes: [
        {
          id: SCOPE_ID,
          value: "user_impersonation",
          type: "User",
          enabled: true,
          adminConsentDisplayName: "a",
          adminConsentDescription: "b",
        },
      ],
    },
    web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
  });
  const sp = await twin.create(T.sp, "api-sp", {
    clientId: app.outs.clientId!,
    appRoleAssignmentRequired: true,
    owners: [deployer],
    featureTags: [{ hide: true, enterprise: true }],
  });
  return { app, sp };
}
