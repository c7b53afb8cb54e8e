// A read-only index over the planned resources that the rules query: by type, by parent, and by
// the output references found in inputs. Relations use what all three settings share (Pulumi's
// mock runtime in tests, the offline plan, the policy pack at `pulumi preview`): parent URNs, and
// output references where they can be seen. A value that cannot be known yet is `undefined`.
import {
  NOT_YET_KNOWN,
  type PlannedResource,
  PROVIDER_TYPE_PREFIX,
  RESOURCE_TYPE,
  resourceReference,
} from "../model/index.ts";

/** Type tokens the rules look at. */
export const T = RESOURCE_TYPE;

/** Credentials: a secret or certificate on an app or service principal defeats "no secrets". */
export const CREDENTIAL_TYPES: readonly string[] = [
  T.applicationPassword,
  T.applicationCertificate,
  T.servicePrincipalPassword,
  T.servicePrincipalCertificate,
];

/** App registrations: the classic Application, or the granular ApplicationRegistration. */
export const APP_TYPES: readonly string[] = [T.application, T.applicationRegistration];
/** Where a service runs: web and function apps (App Service), container apps. */
export const HOST_TYPES: readonly string[] = [T.webApp, T.containerApp];
/** The hosts' built-in authentication (EasyAuth v2, Container Apps auth): the same shape. */
export const AUTH_TYPES: readonly string[] = [T.authSettingsV2, T.containerAppAuth];

/** Resources that are bookkeeping, not infrastructure: the root stack and provider instances. */
export function isBookkeeping(r: PlannedResource): boolean {
  return r.type === T.stack || r.type.startsWith(PROVIDER_TYPE_PREFIX);
}

/** Reads a nested input, e.g. `get(site.inputs, "siteConfig", "minTlsVersion")`. */
export function get(value: unknown, ...path: (string | number)[]): unknown {
  let cur = value;
  for (const key of path) {
    // Inside a value not known yet, everything is not known yet.
    if (cur === NOT_YET_KNOWN) return NOT_YET_KNOWN;
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** The elements of an input list; `undefined` when the list itself is unknown. */
export function list(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The resource and output an offline-plan placeholder stands for, if `value` is one. */
export const placeholderRef = resourceReference;

/**
 * Whether two inputs that should carry the same output (e.g. a client id) agree: "same",
 * "different", or "unknown" when either cannot be known yet.
 */
export function compare(a: unknown, b: unknown): "same" | "different" | "unknown" {
  if (a === undefined || b === undefined || a === NOT_YET_KNOWN || b === NOT_YET_KNOWN) return "unknown";
  return a === b ? "same" : "different";
}

export interface StackView {
  readonly resources: readonly PlannedResource[];
  byUrn(urn: string | undefined): PlannedResource | undefined;
  ofType(type: string): PlannedResource[];
  /** Direct children of a resource, optionally only those of some types. */
  children(r: PlannedResource, types?: readonly string[]): PlannedResource[];
  /** The nearest ancestor of a type (not the resource itself). */
  ancestor(r: PlannedResource, type: string): PlannedResource | undefined;
  /** Callee components with their parts. */
  callees(): Callee[];
  /** The callee a resource belongs to, by ancestry or by an output reference to the callee's app. */
  calleeOf(r: PlannedResource): Callee | undefined;
  /**
   * Service principals of APIs: those of callees, and any other whose app declares app roles.
   * A caller's own principal (e.g. the CI principal) is not one.
   */
  apiServicePrincipals(): PlannedResource[];
}

/** One protected API and what belongs to it. */
export interface Callee {
  component: PlannedResource;
  /** Its Application (or ApplicationRegistration). */
  app: PlannedResource | undefined;
  servicePrincipals: PlannedResource[];
  identifierUris: PlannedResource[];
  /** The app's host resources (web app, function app or container app). */
  sites: PlannedResource[];
  /** Its built-in authentication settings. */
  authSettings: PlannedResource[];
}

export function indexStack(resources: readonly PlannedResource[]): StackView {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const childrenOf = new Map<string, PlannedResource[]>();
  for (const r of resources) {
    if (r.parent === undefined) continue;
    const siblings = childrenOf.get(r.parent) ?? [];
    siblings.push(r);
    childrenOf.set(r.parent, siblings);
  }
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const children = (r: PlannedResource, types?: readonly string[]) =>
    (childrenOf.get(r.urn) ?? []).filter((c) => types === undefined || types.includes(c.type));
  const ancestor = (r: PlannedResource, type: string) => {
    const seen = new Set<string>();
    for (let p = byUrn.get(r.parent ?? ""); p && !seen.has(p.urn); p = byUrn.get(p.parent ?? "")) {
      seen.add(p.urn);
      if (p.type === type) return p;
    }
    return undefined;
  };

  // Resources of a callee: its component's direct children, plus (outside the component) those
  // whose inputs reference the callee's app by placeholder.
  const refersToApp = (r: PlannedResource, app: PlannedResource | undefined, key: string, output: string) => {
    const ref = placeholderRef(r.inputs[key]);
    return app !== undefined && ref !== undefined && ref.urn === app.urn && ref.output === output;
  };
  const callees: Callee[] = ofType(T.protectedApi).map((component) => {
    const app = children(component, APP_TYPES)[0];
    const partOf = (type: string, key: string, output: string) =>
      ofType(type).filter((r) => r.parent === component.urn || refersToApp(r, app, key, output));
    return {
      component,
      app,
      servicePrincipals: partOf(T.servicePrincipal, "clientId", "clientId"),
      identifierUris: partOf(T.identifierUri, "applicationId", "id"),
      sites: children(component, HOST_TYPES),
      authSettings: children(component, AUTH_TYPES),
    };
  });
  const calleeOf = (r: PlannedResource) =>
    callees.find(
      (c) =>
        c.component.urn === r.urn ||
        ancestor(r, T.protectedApi)?.urn === c.component.urn ||
        [c.app, ...c.servicePrincipals, ...c.identifierUris, ...c.sites, ...c.authSettings].some(
          (p) => p?.urn === r.urn,
        ),
    );

  // A service principal's app: named by its clientId placeholder, else its sibling Application.
  const appOf = (sp: PlannedResource) => {
    const ref = placeholderRef(sp.inputs["clientId"]);
    if (ref !== undefined) return byUrn.get(ref.urn);
    return sp.parent === undefined ? undefined : children(byUrn.get(sp.parent) ?? sp, [T.application])[0];
  };
  const apiServicePrincipals = () => {
    const ofCallees = new Set(callees.flatMap((c) => c.servicePrincipals.map((sp) => sp.urn)));
    return ofType(T.servicePrincipal).filter((sp) => {
      if (ofCallees.has(sp.urn)) return true;
      const roles = appOf(sp)?.inputs["appRoles"];
      return Array.isArray(roles) && roles.length > 0;
    });
  };

  return {
    resources,
    byUrn: (urn) => (urn === undefined ? undefined : byUrn.get(urn)),
    apiServicePrincipals,
    ofType,
    children,
    ancestor,
    callees: () => callees,
    calleeOf,
  };
}
