// A read-only index over the planned resources that offers what the rules ask about: resources by
// type, parent and output reference, each callee with its parts, app roles and delegated scopes of
// either shape (inline on an Application or their own resources), the callee a grant targets and
// the basic-auth policies of a site. Relations use what all three settings share (Pulumi's mock
// runtime in tests, the offline plan, the policy pack at `pulumi preview`): parent URNs, and output
// references where they can be seen. A value that cannot be known yet is `undefined`.
import {
  NOT_YET_KNOWN,
  type PlannedResource,
  PROVIDER_TYPE_PREFIX,
  RESOURCE_TYPE,
  resourceReference,
} from "../model/index.ts";

/** Credentials: a secret or certificate on an app or service principal defeats "no secrets". */
export const CREDENTIAL_TYPES: readonly string[] = [
  RESOURCE_TYPE.applicationPassword,
  RESOURCE_TYPE.applicationCertificate,
  RESOURCE_TYPE.servicePrincipalPassword,
  RESOURCE_TYPE.servicePrincipalCertificate,
];

/** App registrations: the classic Application, or the granular ApplicationRegistration. */
export const APP_TYPES: readonly string[] = [RESOURCE_TYPE.application, RESOURCE_TYPE.applicationRegistration];
/** Where a service runs: web and function apps (App Service), container apps. */
export const HOST_TYPES: readonly string[] = [RESOURCE_TYPE.webApp, RESOURCE_TYPE.containerApp];
/** The hosts' built-in authentication (EasyAuth v2, Container Apps auth): the same shape. */
export const AUTH_TYPES: readonly string[] = [RESOURCE_TYPE.authSettingsV2, RESOURCE_TYPE.containerAppAuth];

/** Resources that are bookkeeping, not infrastructure: the root stack and provider instances. */
export function isBookkeeping(r: PlannedResource): boolean {
  return r.type === RESOURCE_TYPE.stack || r.type.startsWith(PROVIDER_TYPE_PREFIX);
}

/** Reads a nested input, e.g. `valueAt(site.inputs, "siteConfig", "minTlsVersion")`. */
export function valueAt(value: unknown, ...path: (string | number)[]): unknown {
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
export function asList(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/**
 * Whether two inputs that should carry the same output (e.g. a client id) agree: "same",
 * "different", or "unknown" when either cannot be known yet.
 */
export function outputAgreement(a: unknown, b: unknown): "same" | "different" | "unknown" {
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
  /** Every app role of either shape: the Applications' inline roles, then the ApplicationAppRoles. */
  appRoles(): AppRole[];
  /** Every delegated scope of either shape: the Applications' inline scopes, then the ApplicationPermissionScopes. */
  permissionScopes(): PermissionScope[];
  /**
   * The callee an app role assignment grants access to: the callee of the service principal its
   * `resourceObjectId` names, else the callee it is declared under.
   */
  calleeOfGrant(assignment: PlannedResource): Callee | undefined;
  /**
   * Every component (or lone app) with federated identity credentials (bootstrap's
   * PipelineIdentity, the program's CiPrincipal), with its grants and app registrations.
   */
  federatedIdentities(): FederatedIdentity[];
  /** The policies that allow or refuse a site's basic-auth publishing over FTP and SCM. */
  publishingPolicies(site: PlannedResource): { ftp: PlannedResource | undefined; scm: PlannedResource | undefined };
}

/** An app role, declared inline in an Application's `appRoles` or as its own ApplicationAppRole. */
export interface AppRole {
  /** The resource that declares it: the Application, or the ApplicationAppRole. */
  declaredBy: PlannedResource;
  /** Whether it is its own resource (ApplicationAppRole) rather than an entry of `appRoles`. */
  separate: boolean;
  value: unknown;
  id: unknown;
  allowedMemberTypes: unknown;
}

/** Something an outside issuer can sign in as, and what it was granted. */
export interface FederatedIdentity {
  /** The component (or, for a lone app, the app) the credentials belong to. */
  owner: PlannedResource;
  credentials: PlannedResource[];
  /** Role assignments and app role assignments declared under it or naming its service principal. */
  grants: PlannedResource[];
  /** Its app registrations (Applications). */
  apps: PlannedResource[];
}

/** A delegated scope, inline in an Application's `api.oauth2PermissionScopes` or its own resource. */
export interface PermissionScope {
  /** The resource that declares it: the Application, or the ApplicationPermissionScope. */
  declaredBy: PlannedResource;
  value: unknown;
}

/**
 * What the program read of an app registration a callee uses but does not create
 * (`existingApplication` in config, the ProtectedApi's input and output): each setting is a value
 * only where it could be read (at `pulumi preview`), else a placeholder or not known yet.
 */
export interface ExistingApplication {
  clientId: unknown;
  /** The service principal's "Assignment required?". */
  appRoleAssignmentRequired: unknown;
  /** Not "Visible to users?": the service principal's `hide` feature tag. */
  hiddenFromUsers: unknown;
  accessTokenIssuanceEnabled: unknown;
  idTokenIssuanceEnabled: unknown;
  identifierUris: unknown;
}

/** One protected API and what belongs to it. */
export interface Callee {
  component: PlannedResource;
  /** Set when the callee uses an app registration the stack reads rather than creates. */
  existingApplication: ExistingApplication | undefined;
  /** Its Application (or ApplicationRegistration). */
  app: PlannedResource | undefined;
  servicePrincipals: PlannedResource[];
  identifierUris: PlannedResource[];
  /** The app's host resources (web app, function app or container app). */
  sites: PlannedResource[];
  /** Its built-in authentication settings. */
  authSettings: PlannedResource[];
  /**
   * The roles its app declares, of either shape; undefined while they cannot be known (no app in
   * the stack, or the app's `appRoles` not known yet).
   */
  appRoles: AppRole[] | undefined;
}

/** The roles in an Application's `appRoles`; undefined while the list is not known. */
function inlineRoles(app: PlannedResource): AppRole[] | undefined {
  return asList(app.inputs["appRoles"])?.map((role) => ({
    declaredBy: app,
    separate: false,
    value: valueAt(role, "value"),
    id: valueAt(role, "id"),
    allowedMemberTypes: valueAt(role, "allowedMemberTypes"),
  }));
}

/** An ApplicationAppRole resource, as the AppRole it declares. */
function separateRole(role: PlannedResource): AppRole {
  return {
    declaredBy: role,
    separate: true,
    value: role.inputs["value"],
    id: role.inputs["roleId"],
    allowedMemberTypes: role.inputs["allowedMemberTypes"],
  };
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
    (childrenOf.get(r.urn) ?? []).filter((child) => types === undefined || types.includes(child.type));
  const ancestor = (r: PlannedResource, type: string) => {
    const seen = new Set<string>();
    for (
      let parent = byUrn.get(r.parent ?? "");
      parent && !seen.has(parent.urn);
      parent = byUrn.get(parent.parent ?? "")
    ) {
      seen.add(parent.urn);
      if (parent.type === type) return parent;
    }
    return undefined;
  };

  // Resources of a callee: its component's direct children, plus (outside the component) those
  // whose inputs reference the callee's app by placeholder.
  const refersToApp = (r: PlannedResource, app: PlannedResource | undefined, key: string, output: string) => {
    const ref = resourceReference(r.inputs[key]);
    return app !== undefined && ref !== undefined && ref.urn === app.urn && ref.output === output;
  };
  // A callee's roles: an ApplicationRegistration declares them only as ApplicationAppRoles, which
  // sit under the callee or name its app by placeholder (through any output).
  const calleeRoles = (component: PlannedResource, app: PlannedResource | undefined) => {
    const inline = app === undefined || app.type === RESOURCE_TYPE.applicationRegistration ? [] : inlineRoles(app);
    if (app === undefined || inline === undefined) return undefined;
    const separate = ofType(RESOURCE_TYPE.applicationAppRole).filter(
      (role) => resourceReference(role.inputs["applicationId"])?.urn === app.urn || role.parent === component.urn,
    );
    return [...inline, ...separate.map(separateRole)];
  };
  const existingOf = (component: PlannedResource): ExistingApplication | undefined => {
    const existing = component.inputs["existingApplication"];
    if (existing === undefined || existing === null) return undefined;
    return {
      clientId: valueAt(existing, "clientId"),
      appRoleAssignmentRequired: valueAt(existing, "appRoleAssignmentRequired"),
      hiddenFromUsers: valueAt(existing, "hiddenFromUsers"),
      accessTokenIssuanceEnabled: valueAt(existing, "implicitGrant", "accessTokenIssuanceEnabled"),
      idTokenIssuanceEnabled: valueAt(existing, "implicitGrant", "idTokenIssuanceEnabled"),
      identifierUris: valueAt(existing, "identifierUris"),
    };
  };
  const callees: Callee[] = ofType(RESOURCE_TYPE.protectedApi).map((component) => {
    const app = children(component, APP_TYPES)[0];
    const partOf = (type: string, key: string, output: string) =>
      ofType(type).filter((r) => r.parent === component.urn || refersToApp(r, app, key, output));
    return {
      component,
      existingApplication: existingOf(component),
      app,
      servicePrincipals: partOf(RESOURCE_TYPE.servicePrincipal, "clientId", "clientId"),
      identifierUris: partOf(RESOURCE_TYPE.identifierUri, "applicationId", "id"),
      sites: children(component, HOST_TYPES),
      authSettings: children(component, AUTH_TYPES),
      appRoles: calleeRoles(component, app),
    };
  });
  const calleeOf = (r: PlannedResource) =>
    callees.find(
      (callee) =>
        callee.component.urn === r.urn ||
        ancestor(r, RESOURCE_TYPE.protectedApi)?.urn === callee.component.urn ||
        [
          callee.app,
          ...callee.servicePrincipals,
          ...callee.identifierUris,
          ...callee.sites,
          ...callee.authSettings,
        ].some((part) => part?.urn === r.urn),
    );

  // A service principal's app: named by its clientId placeholder, else its sibling Application.
  const appOf = (sp: PlannedResource) => {
    const ref = resourceReference(sp.inputs["clientId"]);
    if (ref !== undefined) return byUrn.get(ref.urn);
    return sp.parent === undefined ? undefined : children(byUrn.get(sp.parent) ?? sp, [RESOURCE_TYPE.application])[0];
  };
  const apiServicePrincipals = () => {
    const ofCallees = new Set(callees.flatMap((callee) => callee.servicePrincipals.map((sp) => sp.urn)));
    return ofType(RESOURCE_TYPE.servicePrincipal).filter((sp) => {
      if (ofCallees.has(sp.urn)) return true;
      const roles = appOf(sp)?.inputs["appRoles"];
      return Array.isArray(roles) && roles.length > 0;
    });
  };

  const appRoles = () => [
    ...ofType(RESOURCE_TYPE.application).flatMap((app) => inlineRoles(app) ?? []),
    ...ofType(RESOURCE_TYPE.applicationAppRole).map(separateRole),
  ];
  const permissionScopes = (): PermissionScope[] => [
    ...ofType(RESOURCE_TYPE.application).flatMap((app) =>
      (asList(valueAt(app.inputs, "api", "oauth2PermissionScopes")) ?? []).map((scope) => ({
        declaredBy: app,
        value: valueAt(scope, "value"),
      })),
    ),
    ...ofType(RESOURCE_TYPE.permissionScope).map((scope) => ({ declaredBy: scope, value: scope.inputs["value"] })),
  ];

  const calleeOfGrant = (assignment: PlannedResource) => {
    const ref = resourceReference(assignment.inputs["resourceObjectId"]);
    const target = ref?.output === "objectId" ? byUrn.get(ref.urn) : undefined;
    return calleeOf(target ?? assignment);
  };

  // Credentials group by the component they are declared under, else by the app they name.
  const federatedIdentities = (): FederatedIdentity[] => {
    const credentialsByOwner = new Map<string, PlannedResource[]>();
    for (const credential of ofType(RESOURCE_TYPE.federatedIdentityCredential)) {
      const key = credential.parent ?? resourceReference(credential.inputs["applicationId"])?.urn ?? credential.urn;
      credentialsByOwner.set(key, [...(credentialsByOwner.get(key) ?? []), credential]);
    }
    return [...credentialsByOwner].map(([key, credentials]) => {
      const owner = byUrn.get(key) ?? credentials[0]!;
      const inside = children(owner);
      const principals = new Set(inside.filter((r) => r.type === RESOURCE_TYPE.servicePrincipal).map((r) => r.urn));
      const namesPrincipal = (grant: PlannedResource) =>
        [grant.inputs["principalId"], grant.inputs["principalObjectId"]].some((value) => {
          const ref = resourceReference(value);
          return ref !== undefined && principals.has(ref.urn);
        });
      const grantTypes: readonly string[] = [RESOURCE_TYPE.roleAssignment, RESOURCE_TYPE.appRoleAssignment];
      const grants = resources.filter(
        (r) => grantTypes.includes(r.type) && (r.parent === owner.urn || namesPrincipal(r)),
      );
      return { owner, credentials, grants, apps: inside.filter((r) => r.type === RESOURCE_TYPE.application) };
    });
  };

  // hardenedWebApp (components/hosting/appService.ts) declares both policies beside the site, named
  // after it: the policy's name refers to the site's, else both names agree, else the logical
  // name `<site>-ftp` / `<site>-scm` under the same parent.
  const publishingPolicy = (site: PlannedResource, type: string, suffix: string) =>
    ofType(type).find((policy) => {
      const ref = resourceReference(policy.inputs["name"]);
      if (ref !== undefined) return ref.urn === site.urn;
      const siteName = site.inputs["name"];
      if (siteName !== undefined && policy.inputs["name"] !== undefined) return policy.inputs["name"] === siteName;
      return policy.parent === site.parent && policy.name === `${site.name}-${suffix}`;
    });

  return {
    resources,
    byUrn: (urn) => (urn === undefined ? undefined : byUrn.get(urn)),
    apiServicePrincipals,
    ofType,
    children,
    ancestor,
    callees: () => callees,
    calleeOf,
    appRoles,
    permissionScopes,
    calleeOfGrant,
    federatedIdentities,
    publishingPolicies: (site) => ({
      ftp: publishingPolicy(site, RESOURCE_TYPE.ftpAllowed, "ftp"),
      scm: publishingPolicy(site, RESOURCE_TYPE.scmAllowed, "scm"),
    }),
  };
}
