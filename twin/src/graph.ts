/**
 * The slice of Microsoft Graph the program and bootstrap/ use, as the azuread provider (6.9.1, the
 * Terraform provider azuread v3 bridged) sees it. Objects are stored as Graph v1.0 returns them;
 * each handler maps azuread's attribute names (node_modules/@pulumi/azuread/*.d.ts) to and from them.
 */
import { randomBytes } from "node:crypto";
import { modelledMsSince } from "./clock.ts";
import { GraphError, type GraphOperation, deployerOf, ownerIds, requireGraph } from "./deployer.ts";
import { RETRYABLEHTTP } from "./faults.ts";
import type { InvokeHandler, PackageTable, ResourceHandler } from "./provider.ts";
import { type GraphObject, type Json, type JsonObject, type TwinState, isObject, newGuid } from "./state.ts";

function objects(value: Json | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
function str(value: Json | undefined): string {
  return typeof value === "string" ? value : "";
}

/**
 * Graph's answer for an id that resolves to nothing (Learn "Microsoft Graph error responses",
 * Request_ResourceNotFound).
 */
function missing(id: string): GraphError {
  return new GraphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/** `/applications/{objectId}` (azuread v3's application resource id, application.d.ts "Import") → the object. */
function applicationFromId(state: TwinState, applicationId: Json | undefined): GraphObject {
  const objectId = str(applicationId).replace(/^\/applications\//, "");
  const app = state.graph.applications[objectId];
  if (app === undefined) throw missing(objectId);
  return app;
}

// ---------------------------------------------------------------------------------------------
// Eventual consistency and managed identities

/**
 * How long a new managed identity's service principal stays invisible to Graph lookups, in modelled
 * time (twin/src/clock.ts). Entra ID replicates new objects asynchronously; a role or app role assignment
 * made at once can fail with PrincipalNotFound (Learn "Troubleshoot Azure RBAC", "replication delay").
 * Default 0 keeps tests fast.
 */
function identityDelayMs(): number {
  const raw = Number(process.env.S2S_TWIN_IDENTITY_DELAY_MS ?? "0");
  return Number.isFinite(raw) && raw > 0 ? raw : 0;
}

function replicated(state: TwinState, sp: GraphObject): boolean {
  if (sp.servicePrincipalType !== "ManagedIdentity") return true;
  const owner = Object.values(state.arm.resources).find((r) => r.identity?.principalId === sp.id);
  const created = owner?.systemData?.createdAt;
  return created === undefined || modelledMsSince(created) >= identityDelayMs();
}

/** A user, group or (replicated) service principal with this object id. */
export function principalVisible(state: TwinState, objectId: string): boolean {
  const sp = state.graph.servicePrincipals[objectId];
  if (sp !== undefined) return replicated(state, sp);
  return state.graph.users[objectId] !== undefined || state.graph.groups[objectId] !== undefined;
}

/**
 * The service principal Entra ID creates for a system-assigned identity: type ManagedIdentity, its
 * appId the identity's client id, alternativeNames holding the resource id (Learn "servicePrincipal
 * resource type", servicePrincipalType and alternativeNames).
 */
export function managedIdentityServicePrincipal(state: TwinState, displayName: string, resourceId: string): string {
  const id = newGuid();
  const appId = newGuid();
  state.graph.servicePrincipals[id] = {
    id,
    appId,
    displayName,
    servicePrincipalType: "ManagedIdentity",
    accountEnabled: true,
    appRoleAssignmentRequired: false,
    appRoles: [],
    oauth2PermissionScopes: [],
    tags: [],
    alternativeNames: ["isExplicit=False", resourceId],
    servicePrincipalNames: [appId, `https://identity.azure.net/${randomBytes(32).toString("base64")}`],
    appOwnerOrganizationId: state.tenantId,
  };
  return id;
}

function dropAssignmentsOf(state: TwinState, objectId: string): void {
  for (const [id, a] of Object.entries(state.graph.appRoleAssignments)) {
    if (a.principalId === objectId || a.resourceId === objectId) delete state.graph.appRoleAssignments[id];
  }
}

/**
 * A managed identity's principal goes with its resource, not to deleted items (Learn "managed identities", lifecycle).
 */
export function removePrincipal(state: TwinState, objectId: string): void {
  delete state.graph.servicePrincipals[objectId];
  dropAssignmentsOf(state, objectId);
}

/**
 * Removes the object an azuread id (`/<collection>/{objectId}`) names, once the deployer may (`operation`);
 * undefined when it is already gone, which a delete takes as done.
 */
function takeOut(
  state: TwinState,
  collection: "applications" | "servicePrincipals",
  id: string,
  operation: GraphOperation,
): GraphObject | undefined {
  const object = state.graph[collection][id.replace(new RegExp(`^/${collection}/`), "")];
  if (object === undefined) return undefined;
  requireGraph(state, operation, object);
  delete state.graph[collection][object.id];
  return object;
}

/**
 * Deleted applications, service principals, users and groups stay restorable for 30 days under
 * /directory/deletedItems (Learn "directory: deletedItems", "Restore deleted item").
 */
function softDelete(state: TwinState, odataType: string, object: GraphObject): void {
  state.graph.deletedItems[object.id] = {
    "@odata.type": odataType,
    ...object,
    deletedDateTime: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Identifier URIs

/**
 * Identifier URIs an app may take (Learn "Restrictions on identifier URIs of Microsoft Entra apps"):
 * api://<appId>, api://<tenantId>/..., api://<string>/<appId>, or an https/api URI on a verified
 * domain of the tenant (or a subdomain). Graph answers anything else with HostNameNotOnVerifiedDomain.
 */
function checkIdentifierUri(state: TwinState, app: GraphObject, uri: string): void {
  const appId = str(app.appId);
  const domains = Object.values(state.graph.domains)
    .filter((d) => d.isVerified === true)
    .map((d) => d.id.toLowerCase());
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    url = undefined;
  }
  const host = url?.hostname.toLowerCase() ?? "";
  const path = url?.pathname.replace(/^\/+/, "") ?? "";
  const onVerified = domains.some((d) => host === d || host.endsWith(`.${d}`));
  const ok =
    url !== undefined &&
    ((url.protocol === "api:" &&
      (host === appId.toLowerCase() ||
        host === state.tenantId.toLowerCase() ||
        path.toLowerCase() === appId.toLowerCase() ||
        onVerified)) ||
      (url.protocol === "https:" && onVerified));
  if (!ok) {
    throw new GraphError(
      400,
      "HostNameNotOnVerifiedDomain",
      `Values of identifierUris property must use a verified domain of the organization or its subdomain: '${uri}'`,
    );
  }
  // identifierUris are unique in the tenant (Graph: Request_MultipleObjectsWithSameKeyValue).
  const taken = Object.values(state.graph.applications).some(
    (other) => other.id !== app.id && strings(other.identifierUris).includes(uri),
  );
  if (taken)
    throw new GraphError(
      400,
      "Request_MultipleObjectsWithSameKeyValue",
      "Another object with the same value for property identifierUris already exists.",
    );
}

// ---------------------------------------------------------------------------------------------
// Applications

/** azuread attribute names ↔ Graph's (azuread docs resources/application; Graph "application resource type"). */
function appRoleToGraph(role: JsonObject): JsonObject {
  return {
    allowedMemberTypes: role.allowedMemberTypes ?? [],
    description: role.description ?? "",
    displayName: role.displayName ?? "",
    id: role.id ?? newGuid(),
    isEnabled: role.enabled ?? true,
    value: role.value ?? null,
    origin: "Application",
  };
}
function appRoleFromGraph(role: JsonObject): JsonObject {
  return {
    allowedMemberTypes: role.allowedMemberTypes ?? [],
    description: role.description ?? "",
    displayName: role.displayName ?? "",
    enabled: role.isEnabled ?? true,
    id: role.id ?? "",
    value: role.value ?? "",
  };
}
const SCOPE_FIELDS = [
  "adminConsentDescription",
  "adminConsentDisplayName",
  "id",
  "type",
  "userConsentDescription",
  "userConsentDisplayName",
  "value",
] as const;
function scopeToGraph(scope: JsonObject): JsonObject {
  return {
    ...Object.fromEntries(
      SCOPE_FIELDS.map((f) => [f, scope[f] ?? (f === "id" ? newGuid() : f === "type" ? "User" : "")]),
    ),
    isEnabled: scope.enabled ?? true,
  };
}
function scopeFromGraph(scope: JsonObject): JsonObject {
  return { ...Object.fromEntries(SCOPE_FIELDS.map((f) => [f, scope[f] ?? ""])), enabled: scope.isEnabled ?? true };
}
function idsByValue(items: JsonObject[]): JsonObject {
  return Object.fromEntries(
    items.filter((i) => typeof i.value === "string" && i.value !== "").map((i) => [String(i.value), i.id ?? ""]),
  );
}

function applyApplicationInputs(app: GraphObject, inputs: JsonObject): void {
  app.displayName = inputs.displayName ?? app.displayName ?? "";
  app.signInAudience = inputs.signInAudience ?? "AzureADMyOrg";
  app.notes = inputs.notes ?? null;
  app.description = inputs.description ?? null;
  app.tags = inputs.tags ?? [];
  if (inputs.identifierUris !== undefined) app.identifierUris = inputs.identifierUris;
  const api = isObject(inputs.api) ? inputs.api : {};
  const previousApi = isObject(app.api) ? app.api : {};
  app.api = {
    acceptMappedClaims: api.mappedClaimsEnabled ?? null,
    knownClientApplications: api.knownClientApplications ?? [],
    requestedAccessTokenVersion: api.requestedAccessTokenVersion ?? 1,
    oauth2PermissionScopes: objects(api.oauth2PermissionScopes).map(scopeToGraph),
    // Pre-authorizations are managed by their own resource and survive updates of the application.
    preAuthorizedApplications: previousApi.preAuthorizedApplications ?? [],
  };
  app.appRoles = objects(inputs.appRoles).map(appRoleToGraph);
  const web = isObject(inputs.web) ? inputs.web : {};
  const grant = isObject(web.implicitGrant) ? web.implicitGrant : {};
  app.web = {
    homePageUrl: web.homepageUrl ?? null,
    logoutUrl: web.logoutUrl ?? null,
    redirectUris: web.redirectUris ?? [],
    implicitGrantSettings: {
      enableAccessTokenIssuance: grant.accessTokenIssuanceEnabled ?? false,
      enableIdTokenIssuance: grant.idTokenIssuanceEnabled ?? false,
    },
  };
}

function applicationOutputs(state: TwinState, app: GraphObject): JsonObject {
  const api = isObject(app.api) ? app.api : {};
  const web = isObject(app.web) ? app.web : {};
  const grant = isObject(web.implicitGrantSettings) ? web.implicitGrantSettings : {};
  const roles = objects(app.appRoles);
  const scopes = objects(api.oauth2PermissionScopes);
  const domain = Object.values(state.graph.domains).find((d) => d.isDefault === true)?.id ?? "";
  return {
    objectId: app.id,
    clientId: app.appId ?? "",
    displayName: app.displayName ?? "",
    description: app.description ?? "",
    notes: app.notes ?? "",
    signInAudience: app.signInAudience ?? "",
    identifierUris: strings(app.identifierUris),
    owners: ownerIds(app),
    tags: strings(app.tags),
    publisherDomain: domain,
    disabledByMicrosoft: "",
    appRoles: roles.map(appRoleFromGraph),
    appRoleIds: idsByValue(roles),
    oauth2PermissionScopeIds: idsByValue(scopes),
    api: {
      knownClientApplications: strings(api.knownClientApplications),
      mappedClaimsEnabled: api.acceptMappedClaims === true,
      requestedAccessTokenVersion: api.requestedAccessTokenVersion ?? 1,
      oauth2PermissionScopes: scopes.map(scopeFromGraph),
    },
    web: {
      homepageUrl: web.homePageUrl ?? "",
      logoutUrl: web.logoutUrl ?? "",
      redirectUris: strings(web.redirectUris),
      implicitGrant: {
        accessTokenIssuanceEnabled: grant.enableAccessTokenIssuance === true,
        idTokenIssuanceEnabled: grant.enableIdTokenIssuance === true,
      },
    },
    featureTags: [],
    requiredResourceAccesses: [],
    preventDuplicateNames: false,
    templateId: "",
  };
}

/** A service principal mirrors its application's roles and scopes (Graph "servicePrincipal resource type"). */
function syncServicePrincipal(state: TwinState, app: GraphObject): void {
  for (const sp of Object.values(state.graph.servicePrincipals)) {
    if (sp.appId !== app.appId || sp.servicePrincipalType !== "Application") continue;
    sp.appRoles = app.appRoles ?? [];
    sp.oauth2PermissionScopes = isObject(app.api) ? objects(app.api.oauth2PermissionScopes) : [];
    sp.displayName = str(app.displayName) || str(sp.displayName);
    sp.servicePrincipalNames = [String(app.appId), ...strings(app.identifierUris)];
  }
}

/** Owners as Graph expands them (`$expand=owners`): references to directory objects. */
function ownersFrom(state: TwinState, inputs: JsonObject): Json[] {
  const deployer = deployerOf(state);
  const ids = new Set(strings(inputs.owners));
  // "Application.ReadWrite.OwnedBy: ... manage apps that this app creates or owns" (Learn "Microsoft Graph
  // permissions reference"): what a deployer holding only OwnedBy creates, it owns.
  const broad = ["Application.ReadWrite.All", "Directory.ReadWrite.All"].some((p) =>
    deployer.graphAppRoles.includes(p),
  );
  if (!broad && deployer.graphAppRoles.includes("Application.ReadWrite.OwnedBy")) ids.add(deployer.servicePrincipalId);
  return [...ids].map((id) => ({ id }));
}

const application: ResourceHandler = {
  // azuread v3 application: no attribute forces a new application; all update in place (PATCH).
  replaceOn: [],
  create(state, inputs) {
    requireGraph(state, "application.create");
    const app: GraphObject = {
      id: newGuid(),
      appId: newGuid(),
      identifierUris: [],
      createdDateTime: new Date().toISOString(),
    };
    applyApplicationInputs(app, inputs);
    for (const uri of strings(app.identifierUris)) checkIdentifierUri(state, app, uri);
    app.owners = ownersFrom(state, inputs);
    state.graph.applications[app.id] = app;
    return { id: `/applications/${app.id}`, outs: applicationOutputs(state, app) };
  },
  read(state, id) {
    const app = state.graph.applications[id.replace(/^\/applications\//, "")];
    return app === undefined ? undefined : applicationOutputs(state, app);
  },
  update(state, id, news) {
    const app = applicationFromId(state, id);
    requireGraph(state, "application.update", app);
    applyApplicationInputs(app, news);
    for (const uri of strings(app.identifierUris)) checkIdentifierUri(state, app, uri);
    if (news.owners !== undefined) app.owners = ownersFrom(state, news);
    syncServicePrincipal(state, app);
    return applicationOutputs(state, app);
  },
  delete(state, id) {
    const app = takeOut(state, "applications", id, "application.delete");
    if (app === undefined) return;
    for (const [credId, cred] of Object.entries(state.graph.federatedIdentityCredentials)) {
      if (cred.applicationObjectId === app.id) delete state.graph.federatedIdentityCredentials[credId];
    }
    softDelete(state, "#microsoft.graph.application", app);
  },
};

const applicationIdentifierUri: ResourceHandler = {
  // azuread docs resources/application_identifier_uri: both arguments force a new resource.
  replaceOn: ["applicationId", "identifierUri"],
  create(state, inputs) {
    const app = applicationFromId(state, inputs.applicationId);
    requireGraph(state, "application.update", app);
    const uri = str(inputs.identifierUri) || `api://${str(app.appId)}`;
    if (strings(app.identifierUris).includes(uri))
      throw new Error(`identifier URI "${uri}" already exists on application ${app.id}: import it`);
    checkIdentifierUri(state, app, uri);
    app.identifierUris = [...strings(app.identifierUris), uri];
    syncServicePrincipal(state, app);
    return {
      id: `/applications/${app.id}/identifierUris/${Buffer.from(uri).toString("base64")}`,
      outs: { applicationId: `/applications/${app.id}`, identifierUri: uri },
    };
  },
  read(state, id, outs) {
    const app = state.graph.applications[id.split("/")[2] ?? ""];
    const uri = str(outs.identifierUri);
    return app !== undefined && strings(app.identifierUris).includes(uri)
      ? { applicationId: `/applications/${app.id}`, identifierUri: uri }
      : undefined;
  },
  update(_state, _id, news) {
    return news;
  },
  delete(state, id, outs) {
    const app = state.graph.applications[id.split("/")[2] ?? ""];
    if (app === undefined) return;
    requireGraph(state, "application.update", app);
    app.identifierUris = strings(app.identifierUris).filter((u) => u !== outs.identifierUri);
    syncServicePrincipal(state, app);
  },
};

function preAuthorizedOf(app: GraphObject): JsonObject[] {
  return isObject(app.api) ? objects(app.api.preAuthorizedApplications) : [];
}

/**
 * Pre-authorization grants scopes the application itself defines: preAuthorizedApplication's
 * delegatedPermissionIds are ids of the app's oauth2PermissionScopes (Graph "preAuthorizedApplication
 * resource type"); the exact error Graph gives otherwise is a guess.
 */
function setPreAuthorized(state: TwinState, app: GraphObject, clientId: string, permissionIds: string[]): void {
  const defined = new Set(objects(isObject(app.api) ? app.api.oauth2PermissionScopes : []).map((s) => str(s.id)));
  const unknown = permissionIds.filter((p) => !defined.has(p));
  if (unknown.length > 0) {
    throw new GraphError(
      400,
      "Request_BadRequest",
      `Property api.preAuthorizedApplications.delegatedPermissionIds has an invalid value: ` +
        `${unknown.join(", ")} is not a permission scope of application ${str(app.appId)}.`,
    );
  }
  const others = preAuthorizedOf(app).filter((p) => p.appId !== clientId);
  const api = isObject(app.api) ? app.api : {};
  app.api = {
    ...api,
    preAuthorizedApplications: [...others, { appId: clientId, delegatedPermissionIds: permissionIds }],
  };
}

const applicationPreAuthorized: ResourceHandler = {
  // azuread docs resources/application_pre_authorized: application and authorized client force a new resource.
  replaceOn: ["applicationId", "authorizedClientId"],
  create(state, inputs) {
    const app = applicationFromId(state, inputs.applicationId);
    requireGraph(state, "application.update", app);
    const clientId = str(inputs.authorizedClientId);
    if (preAuthorizedOf(app).some((p) => p.appId === clientId))
      throw new Error(`application ${app.id} already pre-authorizes ${clientId}: import it`);
    setPreAuthorized(state, app, clientId, strings(inputs.permissionIds));
    return {
      id: `${app.id}/preAuthorizedApplication/${clientId}`,
      outs: {
        applicationId: `/applications/${app.id}`,
        authorizedClientId: clientId,
        permissionIds: strings(inputs.permissionIds),
      },
    };
  },
  read(state, id) {
    const [objectId, , clientId] = id.split("/");
    const app = state.graph.applications[objectId ?? ""];
    const entry = app === undefined ? undefined : preAuthorizedOf(app).find((p) => p.appId === clientId);
    return entry === undefined
      ? undefined
      : {
          applicationId: `/applications/${objectId}`,
          authorizedClientId: clientId ?? "",
          permissionIds: strings(entry.delegatedPermissionIds),
        };
  },
  update(state, _id, news) {
    const app = applicationFromId(state, news.applicationId);
    requireGraph(state, "application.update", app);
    setPreAuthorized(state, app, str(news.authorizedClientId), strings(news.permissionIds));
    return {
      applicationId: `/applications/${app.id}`,
      authorizedClientId: str(news.authorizedClientId),
      permissionIds: strings(news.permissionIds),
    };
  },
  delete(state, id) {
    const [objectId, , clientId] = id.split("/");
    const app = state.graph.applications[objectId ?? ""];
    if (app === undefined) return;
    requireGraph(state, "application.update", app);
    app.api = {
      ...(isObject(app.api) ? app.api : {}),
      preAuthorizedApplications: preAuthorizedOf(app).filter((p) => p.appId !== clientId),
    };
  },
};

/** Learn "Workload identity federation: considerations": at most 20 federated identity credentials per application. */
export const MAX_FEDERATED_CREDENTIALS = 20;

function credentialOutputs(cred: GraphObject): JsonObject {
  return {
    applicationId: `/applications/${str(cred.applicationObjectId)}`,
    credentialId: cred.id,
    displayName: cred.name ?? "",
    description: cred.description ?? "",
    issuer: cred.issuer ?? "",
    subject: cred.subject ?? "",
    audiences: cred.audiences ?? [],
  };
}

const applicationFederatedIdentityCredential: ResourceHandler = {
  // Graph "federatedIdentityCredential resource type": name is immutable once created; azuread forces a new credential.
  replaceOn: ["applicationId", "displayName"],
  create(state, inputs) {
    const app = applicationFromId(state, inputs.applicationId);
    requireGraph(state, "application.update", app);
    const siblings = Object.values(state.graph.federatedIdentityCredentials).filter(
      (c) => c.applicationObjectId === app.id,
    );
    if (siblings.length >= MAX_FEDERATED_CREDENTIALS) {
      throw new GraphError(
        400,
        "Request_BadRequest",
        `Application ${str(app.appId)} already has the maximum of ${MAX_FEDERATED_CREDENTIALS} federated ` +
          `identity credentials.`,
      );
    }
    if (siblings.some((c) => c.name === inputs.displayName)) {
      throw new GraphError(
        409,
        "Request_MultipleObjectsWithSameKeyValue",
        `FederatedIdentityCredential with name ${str(inputs.displayName)} already exists.`,
      );
    }
    // Graph "federatedIdentityCredential resource type": the combination of issuer and subject must be unique on the
    // app.
    if (siblings.some((c) => c.issuer === inputs.issuer && c.subject === inputs.subject)) {
      throw new GraphError(
        409,
        "Request_MultipleObjectsWithSameKeyValue",
        "FederatedIdentityCredential with the same issuer and subject already exists.",
      );
    }
    const cred: GraphObject = {
      id: newGuid(),
      applicationObjectId: app.id,
      name: inputs.displayName ?? "",
      description: inputs.description ?? null,
      issuer: inputs.issuer ?? "",
      subject: inputs.subject ?? "",
      audiences: inputs.audiences ?? [],
    };
    state.graph.federatedIdentityCredentials[cred.id] = cred;
    return { id: `${app.id}/federatedIdentityCredential/${cred.id}`, outs: credentialOutputs(cred) };
  },
  read(state, id) {
    const cred = state.graph.federatedIdentityCredentials[id.split("/")[2] ?? ""];
    return cred === undefined ? undefined : credentialOutputs(cred);
  },
  update(state, id, news) {
    const cred = state.graph.federatedIdentityCredentials[id.split("/")[2] ?? ""];
    if (cred === undefined) throw missing(id);
    requireGraph(state, "application.update", applicationFromId(state, news.applicationId));
    Object.assign(cred, {
      description: news.description ?? null,
      issuer: news.issuer ?? "",
      subject: news.subject ?? "",
      audiences: news.audiences ?? [],
    });
    return credentialOutputs(cred);
  },
  delete(state, id) {
    const cred = state.graph.federatedIdentityCredentials[id.split("/")[2] ?? ""];
    if (cred === undefined) return;
    const app = state.graph.applications[str(cred.applicationObjectId)];
    if (app !== undefined) requireGraph(state, "application.update", app);
    delete state.graph.federatedIdentityCredentials[cred.id];
  },
};

// ---------------------------------------------------------------------------------------------
// Service principals

/** azuread docs resources/service_principal, "feature_tags": each flag is one of these tags. */
const FEATURE_TAGS: Readonly<Record<string, string>> = {
  customSingleSignOn: "WindowsAzureActiveDirectoryCustomSingleSignOnApplication",
  enterprise: "WindowsAzureActiveDirectoryIntegratedApp",
  gallery: "WindowsAzureActiveDirectoryGalleryApplicationNonPrimaryV1",
  hide: "HideApp",
};

function tagsFrom(inputs: JsonObject): string[] {
  const tags = new Set(strings(inputs.tags));
  for (const ft of objects(inputs.featureTags ?? inputs.features)) {
    for (const [flag, tag] of Object.entries(FEATURE_TAGS)) if (ft[flag] === true) tags.add(tag);
  }
  return [...tags];
}

function servicePrincipalOutputs(state: TwinState, sp: GraphObject): JsonObject {
  const tags = strings(sp.tags);
  const flags: JsonObject = Object.fromEntries(
    Object.entries(FEATURE_TAGS).map(([flag, tag]) => [flag, tags.includes(tag)]),
  );
  const roles = objects(sp.appRoles);
  const scopes = objects(sp.oauth2PermissionScopes);
  return {
    objectId: sp.id,
    clientId: sp.appId ?? "",
    displayName: sp.displayName ?? "",
    type: sp.servicePrincipalType ?? "",
    accountEnabled: sp.accountEnabled !== false,
    appRoleAssignmentRequired: sp.appRoleAssignmentRequired === true,
    appRoles: roles.map(appRoleFromGraph),
    appRoleIds: idsByValue(roles),
    oauth2PermissionScopes: scopes.map(scopeFromGraph),
    oauth2PermissionScopeIds: idsByValue(scopes),
    applicationTenantId: sp.appOwnerOrganizationId ?? state.tenantId,
    servicePrincipalNames: strings(sp.servicePrincipalNames),
    alternativeNames: strings(sp.alternativeNames),
    featureTags: [flags],
    features: [flags],
    tags,
    owners: ownerIds(sp),
    notes: sp.notes ?? "",
    description: sp.description ?? "",
    signInAudience: "AzureADMyOrg",
    homepageUrl: "",
    loginUrl: "",
    logoutUrl: "",
    redirectUris: [],
    samlMetadataUrl: "",
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: "",
  };
}

/** What azuread's service principal inputs set, on create and on update alike. */
function servicePrincipalSettings(inputs: JsonObject): JsonObject {
  return {
    accountEnabled: inputs.accountEnabled ?? true,
    appRoleAssignmentRequired: inputs.appRoleAssignmentRequired ?? false,
    tags: tagsFrom(inputs),
    notes: inputs.notes ?? null,
    description: inputs.description ?? null,
  };
}

const servicePrincipal: ResourceHandler = {
  // azuread docs resources/service_principal: client_id forces a new resource.
  replaceOn: ["clientId"],
  create(state, inputs) {
    const clientId = str(inputs.clientId);
    const app = Object.values(state.graph.applications).find((a) => a.appId === clientId);
    // A service principal is the local instance of an existing application (Learn "Application and
    // service principal objects in Microsoft Entra ID"); Graph refuses an appId with no application.
    if (app === undefined) {
      throw new GraphError(
        400,
        "Request_BadRequest",
        `The appId '${clientId}' of the service principal does not reference a valid application object.`,
      );
    }
    // With Application.ReadWrite.OwnedBy the caller must own the application (azuread docs
    // resources/service_principal).
    requireGraph(state, "servicePrincipal.create", app);
    const existing = Object.values(state.graph.servicePrincipals).find((s) => s.appId === clientId);
    if (existing !== undefined && inputs.useExisting !== true) {
      throw new GraphError(
        409,
        "Request_MultipleObjectsWithSameKeyValue",
        "The service principal cannot be created, updated, or restored because the service principal name " +
          `${clientId} is already in use.`,
      );
    }
    const sp: GraphObject = existing ?? {
      id: newGuid(),
      appId: clientId,
      servicePrincipalType: "Application",
      appOwnerOrganizationId: state.tenantId,
      alternativeNames: [],
    };
    Object.assign(sp, servicePrincipalSettings(inputs), { owners: ownersFrom(state, inputs) });
    state.graph.servicePrincipals[sp.id] = sp;
    syncServicePrincipal(state, app);
    return { id: `/servicePrincipals/${sp.id}`, outs: servicePrincipalOutputs(state, sp) };
  },
  read(state, id) {
    const sp = state.graph.servicePrincipals[id.replace(/^\/servicePrincipals\//, "")];
    return sp === undefined ? undefined : servicePrincipalOutputs(state, sp);
  },
  update(state, id, news) {
    const sp = state.graph.servicePrincipals[id.replace(/^\/servicePrincipals\//, "")];
    if (sp === undefined) throw missing(id);
    requireGraph(state, "servicePrincipal.update", sp);
    Object.assign(sp, servicePrincipalSettings(news));
    if (news.owners !== undefined) sp.owners = ownersFrom(state, news);
    return servicePrincipalOutputs(state, sp);
  },
  delete(state, id) {
    const sp = takeOut(state, "servicePrincipals", id, "servicePrincipal.delete");
    if (sp === undefined) return;
    dropAssignmentsOf(state, sp.id);
    softDelete(state, "#microsoft.graph.servicePrincipal", sp);
  },
};

// ---------------------------------------------------------------------------------------------
// App role assignments

/**
 * Who a principal is, for allowedMemberTypes: "Application" admits service principals, "User" admits
 * users and groups (Learn "appRole resource type", allowedMemberTypes).
 */
function principalKind(
  state: TwinState,
  objectId: string,
): { principalType: string; memberType: string; displayName: string } | undefined {
  const sp = state.graph.servicePrincipals[objectId];
  if (sp !== undefined)
    return replicated(state, sp)
      ? { principalType: "ServicePrincipal", memberType: "Application", displayName: str(sp.displayName) }
      : undefined;
  const user = state.graph.users[objectId];
  if (user !== undefined) return { principalType: "User", memberType: "User", displayName: str(user.displayName) };
  const group = state.graph.groups[objectId];
  if (group !== undefined) return { principalType: "Group", memberType: "User", displayName: str(group.displayName) };
  return undefined;
}

const DEFAULT_ROLE = "00000000-0000-0000-0000-000000000000";

function assignmentOutputs(a: GraphObject): JsonObject {
  return {
    appRoleId: a.appRoleId ?? "",
    principalObjectId: a.principalId ?? "",
    resourceObjectId: a.resourceId ?? "",
    principalDisplayName: a.principalDisplayName ?? "",
    principalType: a.principalType ?? "",
    resourceDisplayName: a.resourceDisplayName ?? "",
  };
}

const appRoleAssignment: ResourceHandler = {
  // azuread docs resources/app_role_assignment: every argument forces a new assignment.
  replaceOn: ["appRoleId", "principalObjectId", "resourceObjectId"],
  create(state, inputs) {
    requireGraph(state, "appRoleAssignment.create");
    const resourceId = str(inputs.resourceObjectId);
    const principalId = str(inputs.principalObjectId);
    const appRoleId = str(inputs.appRoleId);
    const resource = state.graph.servicePrincipals[resourceId];
    if (resource === undefined || !replicated(state, resource)) throw missing(resourceId);
    const principal = principalKind(state, principalId);
    if (principal === undefined) throw missing(principalId);
    // Learn "appRoleAssignment resource type": appRoleId names an app role of the resource; the default
    // id 00000000-... is accepted only when the resource declares no app roles. The role must admit the
    // principal's kind (appRole.allowedMemberTypes). Graph's exact wording is approximated.
    const roles = objects(resource.appRoles);
    const role = roles.find((r) => r.id === appRoleId && r.isEnabled !== false);
    const defaultOk = appRoleId === DEFAULT_ROLE && roles.length === 0;
    if (!defaultOk && (role === undefined || !strings(role.allowedMemberTypes).includes(principal.memberType))) {
      throw new GraphError(
        400,
        "Request_BadRequest",
        `Permission being assigned was not found on application '${str(resource.appId)}'.`,
      );
    }
    const duplicate = Object.values(state.graph.appRoleAssignments).some(
      (a) => a.principalId === principalId && a.resourceId === resourceId && a.appRoleId === appRoleId,
    );
    if (duplicate)
      throw new GraphError(400, "Request_BadRequest", "Permission being assigned already exists on the object");
    // Assignment ids are opaque base64url strings (azuread app_role_assignment.d.ts import example).
    const assignment: GraphObject = {
      id: randomBytes(32).toString("base64url"),
      appRoleId,
      principalId,
      principalType: principal.principalType,
      principalDisplayName: principal.displayName,
      resourceId,
      resourceDisplayName: str(resource.displayName),
      createdDateTime: new Date().toISOString(),
    };
    state.graph.appRoleAssignments[assignment.id] = assignment;
    return {
      id: `/servicePrincipals/${resourceId}/appRoleAssignedTo/${assignment.id}`,
      outs: assignmentOutputs(assignment),
    };
  },
  read(state, id) {
    const a = state.graph.appRoleAssignments[id.split("/").at(-1) ?? ""];
    return a === undefined ? undefined : assignmentOutputs(a);
  },
  update(_state, _id, news) {
    return news;
  },
  delete(state, id) {
    const key = id.split("/").at(-1) ?? "";
    if (state.graph.appRoleAssignments[key] === undefined) return;
    requireGraph(state, "appRoleAssignment.delete");
    delete state.graph.appRoleAssignments[key];
  },
};

// ---------------------------------------------------------------------------------------------
// Functions (data sources)

function deployerConfig(state: TwinState): JsonObject {
  const deployer = deployerOf(state);
  const sp = state.graph.servicePrincipals[deployer.servicePrincipalId];
  const clientId = str(sp?.appId);
  // The id the data source reports is a guess at the provider's format.
  return {
    clientId,
    objectId: deployer.servicePrincipalId,
    tenantId: state.tenantId,
    id: `${state.tenantId}-${clientId}-${deployer.servicePrincipalId}`,
  };
}

function notFoundBy(kind: string, by: string, value: string): Error {
  // The data sources' wording (azuread internal/services/.../*_data_source.go) is approximated.
  return new Error(`${kind} not found with ${by}: "${value}"`);
}

const getServicePrincipal: InvokeHandler = (state, args) => {
  const visible = Object.values(state.graph.servicePrincipals).filter((sp) => replicated(state, sp));
  const [by, value, match] =
    typeof args.objectId === "string"
      ? ["object ID", args.objectId, (sp: GraphObject) => sp.id === args.objectId]
      : typeof args.clientId === "string"
        ? ["client ID", args.clientId, (sp: GraphObject) => sp.appId === args.clientId]
        : ["display name", str(args.displayName), (sp: GraphObject) => sp.displayName === args.displayName];
  const sp = visible.find(match);
  requireGraph(state, "servicePrincipal.read", sp);
  if (sp === undefined) throw notFoundBy("service principal", by, value);
  return { ...servicePrincipalOutputs(state, sp), id: `/servicePrincipals/${sp.id}`, samlSingleSignOns: [] };
};

const getApplication: InvokeHandler = (state, args) => {
  const app = Object.values(state.graph.applications).find(
    (a) =>
      (typeof args.objectId === "string" && a.id === args.objectId.replace(/^\/applications\//, "")) ||
      (typeof args.clientId === "string" && a.appId === args.clientId) ||
      (typeof args.displayName === "string" && a.displayName === args.displayName) ||
      (typeof args.identifierUri === "string" && strings(a.identifierUris).includes(args.identifierUri)),
  );
  requireGraph(state, "application.read", app);
  if (app === undefined) throw notFoundBy("application", "query", JSON.stringify(args));
  const outs = applicationOutputs(state, app);
  return {
    ...outs,
    id: `/applications/${app.id}`,
    apis: [outs.api ?? {}],
    webs: [outs.web ?? {}],
    publicClients: [],
    singlePageApplications: [],
  };
};

const getUser: InvokeHandler = (state, args) => {
  requireGraph(state, "user.read");
  const keys = ["userPrincipalName", "objectId", "mailNickname", "mail", "employeeId"] as const;
  const key = keys.find((k) => typeof args[k] === "string");
  const wanted = key === undefined ? "" : str(args[key]).toLowerCase();
  const user = Object.values(state.graph.users).find((u) => {
    const field = key === "objectId" ? u.id : key === undefined ? undefined : u[key];
    return typeof field === "string" && field.toLowerCase() === wanted;
  });
  if (user === undefined) throw notFoundBy("user", key ?? "query", wanted);
  return {
    id: user.id,
    objectId: user.id,
    userPrincipalName: user.userPrincipalName ?? "",
    displayName: user.displayName ?? "",
    mail: user.mail ?? "",
    mailNickname: user.mailNickname ?? str(user.userPrincipalName).split("@")[0] ?? "",
    accountEnabled: user.accountEnabled !== false,
    userType: user.userType ?? "Member",
  };
};

export const AZUREAD: PackageTable = {
  name: "azuread",
  version: "6.9.1",
  keepInputs: false,
  retry: RETRYABLEHTTP,
  resources: {
    "azuread:index/application:Application": application,
    "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri": applicationIdentifierUri,
    "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized": applicationPreAuthorized,
    "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential":
      applicationFederatedIdentityCredential,
    "azuread:index/servicePrincipal:ServicePrincipal": servicePrincipal,
    "azuread:index/appRoleAssignment:AppRoleAssignment": appRoleAssignment,
  },
  invokes: {
    "azuread:index/getClientConfig:getClientConfig": deployerConfig,
    "azuread:index/getServicePrincipal:getServicePrincipal": getServicePrincipal,
    "azuread:index/getApplication:getApplication": getApplication,
    "azuread:index/getUser:getUser": getUser,
  },
};
