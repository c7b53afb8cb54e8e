// The twin's state file as this runtime sees it: the subset of the shared contract
// (ARM resources and Graph objects in their REST shapes) that token issuance and EasyAuth need.
// The runtime never writes the file; the provider plugins own it.
import { readState as readTenant } from "../state.ts";

export interface GraphApplication {
  id: string;
  appId: string;
  displayName?: string;
  identifierUris?: string[];
  api?: {
    requestedAccessTokenVersion?: number | null;
    oauth2PermissionScopes?: PermissionScope[];
    preAuthorizedApplications?: { appId: string; delegatedPermissionIds?: string[] }[];
  };
  appRoles?: AppRole[];
}

export interface PermissionScope {
  id: string;
  value: string;
  type?: string;
  isEnabled?: boolean;
}

export interface AppRole {
  id: string;
  value?: string | null;
  allowedMemberTypes?: string[];
  isEnabled?: boolean;
}

export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName?: string;
  servicePrincipalType?: string;
  appRoleAssignmentRequired?: boolean;
  appRoles?: AppRole[];
  oauth2PermissionScopes?: PermissionScope[];
  alternativeNames?: string[];
}

export interface AppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType?: string;
  resourceId: string;
}

export interface FederatedIdentityCredential {
  id: string;
  applicationObjectId: string;
  name?: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

/**
 * Delegated consent, in Graph's oAuth2PermissionGrant shape (`clientId` and `resourceId` are
 * service principal object ids, `scope` space-separated): `oauth2PermissionGrants` in twin/src/state.ts.
 */
export interface OAuth2PermissionGrant {
  id: string;
  clientId: string;
  consentType: "AllPrincipals" | "Principal";
  principalId?: string | null;
  resourceId: string;
  scope: string;
}

export interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName?: string;
}

export interface GraphGroup {
  id: string;
  displayName?: string;
  members?: string[];
}

export interface ArmResource {
  id: string;
  name: string;
  type: string;
  kind?: string;
  location?: string;
  identity?: {
    type?: string;
    principalId?: string;
    tenantId?: string;
    userAssignedIdentities?: Record<string, { principalId?: string; clientId?: string }>;
  };
  properties?: Record<string, unknown>;
}

export interface TwinState {
  tenantId: string;
  subscriptionId?: string;
  arm: { resources: Record<string, ArmResource> };
  graph: {
    applications: Record<string, GraphApplication>;
    servicePrincipals: Record<string, GraphServicePrincipal>;
    appRoleAssignments: Record<string, AppRoleAssignment>;
    federatedIdentityCredentials: Record<string, FederatedIdentityCredential>;
    users: Record<string, GraphUser>;
    groups: Record<string, GraphGroup>;
    oauth2PermissionGrants?: Record<string, OAuth2PermissionGrant>;
  };
}

/**
 * The state file through the twin's one reader (twin/src/state.ts, which also fills missing collections),
 * seen through this runtime's types.
 */
export function readState(file: string): TwinState {
  return readTenant(file) as unknown as TwinState;
}

export const values = <T>(r: Record<string, T>): T[] => Object.values(r);

export function applicationByAppId(state: TwinState, appId: string): GraphApplication | undefined {
  const id = appId.toLowerCase();
  return values(state.graph.applications).find((a) => a.appId.toLowerCase() === id);
}

export function servicePrincipalByAppId(state: TwinState, appId: string): GraphServicePrincipal | undefined {
  const id = appId.toLowerCase();
  return values(state.graph.servicePrincipals).find((sp) => sp.appId.toLowerCase() === id);
}

export function servicePrincipalById(state: TwinState, objectId: string): GraphServicePrincipal | undefined {
  const id = objectId.toLowerCase();
  return values(state.graph.servicePrincipals).find((sp) => sp.id.toLowerCase() === id);
}

/** A web app, Function App or Container App: the sites EasyAuth fronts and identity endpoints serve. */
export interface Site {
  name: string;
  /**
   * How the runtime's addresses name the site: its name, or `<resource group>/<name>` when another
   * site in the tenant has the same name (container app names are unique only within a resource
   * group, so two stacks can both have an `orders`).
   */
  key: string;
  armId: string;
  kind: "appService" | "containerApp";
  resource: ArmResource;
  /** `<site id>/config/authsettingsV2` or `<app id>/authConfigs/current`, lower-cased. */
  authConfigKey: string;
}

const SITE_TYPES: Record<string, Site["kind"]> = {
  "microsoft.web/sites": "appService",
  "microsoft.app/containerapps": "containerApp",
};

export function sites(state: TwinState): Site[] {
  const out: Site[] = [];
  const found = Object.entries(state.arm.resources).filter(
    ([, resource]) => SITE_TYPES[resource.type.toLowerCase()] !== undefined,
  );
  const named = new Map<string, number>();
  for (const [, resource] of found) named.set(resource.name, (named.get(resource.name) ?? 0) + 1);
  for (const [key, resource] of found) {
    const kind = SITE_TYPES[resource.type.toLowerCase()]!;
    const group = /\/resourcegroups\/([^/]+)\//i.exec(key)?.[1] ?? "";
    out.push({
      name: resource.name,
      key: named.get(resource.name)! > 1 ? `${group}/${resource.name}` : resource.name,
      armId: key,
      kind,
      resource,
      authConfigKey: kind === "appService" ? `${key}/config/authsettingsv2` : `${key}/authconfigs/current`,
    });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The host name Azure serves a site on: App Service `defaultHostName`, Container Apps `configuration.ingress.fqdn`. */
export function siteHost(site: Site): string | undefined {
  const p = site.resource.properties ?? {};
  if (site.kind === "appService") return typeof p["defaultHostName"] === "string" ? p["defaultHostName"] : undefined;
  const ingress = (p["configuration"] as { ingress?: { fqdn?: unknown } } | undefined)?.ingress;
  return typeof ingress?.fqdn === "string" && ingress.fqdn.length > 0 ? ingress.fqdn : undefined;
}
