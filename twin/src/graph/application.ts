/** azuread `Application` and the `getApplication` data source: Graph applications (app registrations). */
import { ownerIds, requireGraph } from "../deployer.ts";
import type { InvokeHandler, ResourceHandler } from "../provider.ts";
import { type GraphApplication, type JsonObject, type TwinState, isObject, newGuid } from "../state.ts";
import { AZUREAD_ERRORS } from "./errors.ts";
import { checkIdentifierUri } from "./identifierUri.ts";
import { syncServicePrincipal } from "./servicePrincipal.ts";
import {
  appRoleFromGraph,
  appRoleToGraph,
  applicationFromId,
  boolOr,
  idsByValue,
  objectIdOf,
  objects,
  ownersFrom,
  scopeFromGraph,
  scopeToGraph,
  softDelete,
  strOr,
  strings,
  takeOut,
} from "./shared.ts";

/** azuread's application inputs onto the Graph object (azuread docs resources/application). */
function applyApplicationInputs(app: GraphApplication, inputs: JsonObject): void {
  app.displayName = strOr(inputs.displayName, app.displayName ?? "");
  app.signInAudience = strOr(inputs.signInAudience, "AzureADMyOrg");
  app.notes = strOr(inputs.notes, null);
  app.description = strOr(inputs.description, null);
  app.tags = strings(inputs.tags);
  if (inputs.identifierUris !== undefined) app.identifierUris = strings(inputs.identifierUris);
  const api = isObject(inputs.api) ? inputs.api : {};
  app.api = {
    acceptMappedClaims: typeof api.mappedClaimsEnabled === "boolean" ? api.mappedClaimsEnabled : null,
    knownClientApplications: strings(api.knownClientApplications),
    requestedAccessTokenVersion:
      typeof api.requestedAccessTokenVersion === "number" ? api.requestedAccessTokenVersion : 1,
    oauth2PermissionScopes: objects(api.oauth2PermissionScopes).map(scopeToGraph),
    // Pre-authorizations are managed by their own resource and survive updates of the application.
    preAuthorizedApplications: app.api?.preAuthorizedApplications ?? [],
  };
  app.appRoles = objects(inputs.appRoles).map(appRoleToGraph);
  const web = isObject(inputs.web) ? inputs.web : {};
  const grant = isObject(web.implicitGrant) ? web.implicitGrant : {};
  app.web = {
    homePageUrl: strOr(web.homepageUrl, null),
    logoutUrl: strOr(web.logoutUrl, null),
    redirectUris: strings(web.redirectUris),
    implicitGrantSettings: {
      enableAccessTokenIssuance: boolOr(grant.accessTokenIssuanceEnabled, false),
      enableIdTokenIssuance: boolOr(grant.idTokenIssuanceEnabled, false),
    },
  };
}

function applicationOutputs(state: TwinState, app: GraphApplication): JsonObject {
  const api = app.api ?? {};
  const web = app.web ?? {};
  const grant = web.implicitGrantSettings ?? {};
  const roles = app.appRoles ?? [];
  const scopes = api.oauth2PermissionScopes ?? [];
  const domain = Object.values(state.graph.domains).find((d) => d.isDefault === true)?.id ?? "";
  return {
    objectId: app.id,
    clientId: app.appId,
    displayName: app.displayName ?? "",
    description: app.description ?? "",
    notes: app.notes ?? "",
    signInAudience: app.signInAudience ?? "",
    identifierUris: app.identifierUris ?? [],
    owners: ownerIds(app),
    tags: app.tags ?? [],
    publisherDomain: domain,
    disabledByMicrosoft: "",
    appRoles: roles.map(appRoleFromGraph),
    appRoleIds: idsByValue(roles),
    oauth2PermissionScopeIds: idsByValue(scopes),
    api: {
      knownClientApplications: api.knownClientApplications ?? [],
      mappedClaimsEnabled: api.acceptMappedClaims === true,
      requestedAccessTokenVersion: api.requestedAccessTokenVersion ?? 1,
      oauth2PermissionScopes: scopes.map(scopeFromGraph),
    },
    web: {
      homepageUrl: web.homePageUrl ?? "",
      logoutUrl: web.logoutUrl ?? "",
      redirectUris: web.redirectUris ?? [],
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

export const application: ResourceHandler = {
  // azuread v3 application: no attribute forces a new application; all update in place (PATCH).
  replaceOn: [],
  create(state, inputs) {
    requireGraph(state, "application.create");
    const app: GraphApplication = {
      id: newGuid(),
      appId: newGuid(),
      identifierUris: [],
      createdDateTime: new Date().toISOString(),
    };
    applyApplicationInputs(app, inputs);
    for (const uri of app.identifierUris ?? []) checkIdentifierUri(state, app, uri);
    app.owners = ownersFrom(state, inputs);
    state.graph.applications[app.id] = app;
    return { id: `/applications/${app.id}`, outs: applicationOutputs(state, app) };
  },
  read(state, id) {
    const app = state.graph.applications[objectIdOf("applications", id)];
    return app === undefined ? undefined : applicationOutputs(state, app);
  },
  update(state, id, news) {
    const app = applicationFromId(state, id);
    requireGraph(state, "application.update", app);
    applyApplicationInputs(app, news);
    for (const uri of app.identifierUris ?? []) checkIdentifierUri(state, app, uri);
    if (news.owners !== undefined) app.owners = ownersFrom(state, news);
    syncServicePrincipal(state, app);
    return applicationOutputs(state, app);
  },
  delete(state, id) {
    const app = takeOut(state, "applications", id, "application.delete");
    if (app === undefined) return;
    // An application's federated credentials go with it (Graph keeps them under the application).
    for (const [credId, cred] of Object.entries(state.graph.federatedIdentityCredentials)) {
      if (cred.applicationObjectId === app.id) delete state.graph.federatedIdentityCredentials[credId];
    }
    softDelete(state, "#microsoft.graph.application", app);
  },
};

/**
 * azuread's getApplication: by object id, client id, display name or identifier URI. The bridged data
 * source wraps each nested block in a list of one (@pulumi/azuread 6.9.1 getApplication.d.ts:
 * `apis: GetApplicationApi[]`, `webs: GetApplicationWeb[]` with `implicitGrants: [...]`).
 */
export const getApplication: InvokeHandler = (state, args) => {
  const app = Object.values(state.graph.applications).find(
    (a) =>
      (typeof args.objectId === "string" && a.id === objectIdOf("applications", args.objectId)) ||
      (typeof args.clientId === "string" && a.appId === args.clientId) ||
      (typeof args.displayName === "string" && a.displayName === args.displayName) ||
      (typeof args.identifierUri === "string" && (a.identifierUris ?? []).includes(args.identifierUri)),
  );
  requireGraph(state, "application.read", app);
  if (app === undefined) throw AZUREAD_ERRORS.notFound("application", "query", JSON.stringify(args));
  const { api, web, ...outs } = applicationOutputs(state, app);
  const { implicitGrant, ...webRest } = isObject(web) ? web : {};
  return {
    ...outs,
    id: `/applications/${app.id}`,
    identifierUri: (app.identifierUris ?? [])[0] ?? "",
    apis: [api ?? {}],
    webs: [{ ...webRest, implicitGrants: [implicitGrant ?? {}] }],
    publicClients: [],
    singlePageApplications: [],
  };
};
