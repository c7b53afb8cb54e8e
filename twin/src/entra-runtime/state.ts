// The tenant as this runtime reads it (twin/src/state.ts, the one reader and the one set of types):
// lookups that token issuance and EasyAuth need, and the sites they front. The runtime never writes
// the file; the provider plugins own it.
import type { ArmResource, GraphApplication, GraphServicePrincipal, TwinState } from "../state.ts";

/** The state file through the twin's one reader (which also fills missing collections): what e2e/smoke.ts reads. */
export { readState, readWorld } from "../state.ts";

/** Strings in code-unit order, as Entra sorts claim values here (never the locale's order). */
export const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

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
  /** The tenant whose subscription holds the site: its tokens are the ones EasyAuth accepts there. */
  tenantId: string;
  kind: "appService" | "containerApp";
  resource: ArmResource;
  /** `<site id>/config/authsettingsV2` or `<app id>/authConfigs/current`, lower-cased. */
  authConfigKey: string;
}

const SITE_TYPES: Record<string, Site["kind"]> = {
  "microsoft.web/sites": "appService",
  "microsoft.app/containerapps": "containerApp",
};

/** The sites of these tenants (every tenant of the world, for the runtime). */
export function sites(...tenants: TwinState[]): Site[] {
  const out: Site[] = [];
  const found = tenants.flatMap((tenant) =>
    Object.entries(tenant.arm.resources)
      .filter(([, resource]) => SITE_TYPES[resource.type.toLowerCase()] !== undefined)
      .map(([key, resource]) => [key, resource, tenant.tenantId] as const),
  );
  const named = new Map<string, number>();
  for (const [, resource] of found) named.set(resource.name, (named.get(resource.name) ?? 0) + 1);
  for (const [key, resource, tenantId] of found) {
    const kind = SITE_TYPES[resource.type.toLowerCase()]!;
    const group = /\/resourcegroups\/([^/]+)\//i.exec(key)?.[1] ?? "";
    out.push({
      name: resource.name,
      key: named.get(resource.name)! > 1 ? `${group}/${resource.name}` : resource.name,
      armId: key,
      tenantId,
      kind,
      resource,
      authConfigKey: kind === "appService" ? `${key}/config/authsettingsv2` : `${key}/authconfigs/current`,
    });
  }
  return out.sort((a, b) => compareCodeUnits(a.key, b.key));
}

/** The host name Azure serves a site on: App Service `defaultHostName`, Container Apps `configuration.ingress.fqdn`. */
export function siteHost(site: Site): string | undefined {
  const p = site.resource.properties;
  if (site.kind === "appService") return typeof p["defaultHostName"] === "string" ? p["defaultHostName"] : undefined;
  const ingress = (p["configuration"] as { ingress?: { fqdn?: unknown } } | undefined)?.ingress;
  return typeof ingress?.fqdn === "string" && ingress.fqdn.length > 0 ? ingress.fqdn : undefined;
}
