/** azuread `Application` and the `getApplication` data source: Graph applications (app registrations). */
import { ownerIds, requireGraph } from "../deployer.ts";
import { models } from "../fidelity.ts";
import type { InvokeHandler, ResourceHandler } from "../provider.ts";
import {
  type AppRole,
  type GraphApplication,
  type Json,
  type JsonObject,
  type PermissionScope,
  type TwinState,
  isObject,
  newGuid,
} from "../state.ts";
import { AZUREAD_CHECKS, AZUREAD_ERRORS, ENTITLEMENT_ERRORS } from "./errors.ts";
import { checkIdentifierUri } from "./identifierUri.ts";
import { syncServicePrincipal } from "./servicePrincipal.ts";
import {
  appRoleFromGraph,
  appRoleToGraph,
  applicationFromId,
  Checks,
  boolOr,
  idsByValue,
  isUnknown,
  objectIdOf,
  objects,
  ownersAtCreation,
  scopeFromGraph,
  scopeToGraph,
  softDelete,
  str,
  strOr,
  strings,
  takeOut,
} from "./shared.ts";

const SRC = "terraform-provider-azuread v3.8.0 internal/services/applications/application_resource.go";
const TEST = "test/graph/application.test.ts";

/** application_resource.go, sign_in_audience: validation.StringInSlice(possibleValuesForSignInAudience). */
const SIGN_IN_AUDIENCES = [
  "AzureADMyOrg",
  "AzureADMultipleOrgs",
  "AzureADandPersonalMicrosoftAccount",
  "PersonalMicrosoftAccount",
];

/** validate/tokens.go RoleScopeClaimValue: a `roles`/`scp` claim value. */
function claimValue(checks: Checks, property: string, value: Json | undefined): void {
  if (typeof value !== "string" || isUnknown(value)) return;
  const fail = (reason: string) => checks.fail(property, AZUREAD_CHECKS.claimValue.message(reason));
  if (value.length > 249) fail("Value must be between 0-249 characters in length");
  if (value.startsWith(".")) fail("Value must not begin with a period");
  if (/[^A-Za-z0-9:!#$%&'()*+,./;<=>?@[\]^_`{|}~-]/.test(value))
    fail("Value must be alphanumeric with these allowed characters: !#$%&'()*+,-./:;<=>?@[]^+_`{|}~");
}

/** The application resource's schema validators and CustomizeDiff, before any call to Graph. */
function validateApplication(inputs: JsonObject): Checks["failures"] {
  const checks = new Checks();
  checks.notEmpty("displayName", inputs.displayName);
  checks.oneOf("signInAudience", inputs.signInAudience, SIGN_IN_AUDIENCES);
  checks.lengthBetween("notes", inputs.notes, 0, 1024);
  checks.items("owners", inputs.owners, 0, 100);
  strings(inputs.owners).forEach((o, i) => checks.uuid(`owners[${i}]`, o));
  objects(inputs.appRoles).forEach((role, i) => {
    const at = `appRoles[${i}]`;
    checks.items(`${at}.allowedMemberTypes`, role.allowedMemberTypes ?? [], 1, Infinity);
    strings(role.allowedMemberTypes).forEach((t, j) =>
      checks.oneOf(`${at}.allowedMemberTypes[${j}]`, t, ["User", "Application"]),
    );
    checks.notEmpty(`${at}.description`, role.description);
    checks.notEmpty(`${at}.displayName`, role.displayName);
    checks.uuid(`${at}.id`, role.id);
    claimValue(checks, `${at}.value`, role.value);
  });
  const api = isObject(inputs.api) ? inputs.api : {};
  strings(api.knownClientApplications).forEach((c, i) => checks.uuid(`api.knownClientApplications[${i}]`, c));
  const version = api.requestedAccessTokenVersion;
  if (typeof version === "number" && version !== 1 && version !== 2)
    checks.fail("api.requestedAccessTokenVersion", AZUREAD_CHECKS.tokenVersion.message());
  objects(api.oauth2PermissionScopes).forEach((scope, i) => {
    const at = `api.oauth2PermissionScopes[${i}]`;
    checks.uuid(`${at}.id`, scope.id);
    checks.notEmpty(`${at}.adminConsentDescription`, scope.adminConsentDescription);
    checks.notEmpty(`${at}.adminConsentDisplayName`, scope.adminConsentDisplayName);
    checks.oneOf(`${at}.type`, scope.type, ["Admin", "User"]);
    claimValue(checks, `${at}.value`, scope.value);
  });
  // CustomizeDiff, applicationValidateRolesScopes: roles and scopes share one space of ids and values.
  const seen: { id: string; value: string }[] = [];
  for (const p of [...objects(inputs.appRoles), ...objects(api.oauth2PermissionScopes)]) {
    if (typeof p.id !== "string" || typeof p.value !== "string" || p.value === "" || isUnknown(p.id)) continue;
    const clash = seen.find((e) => (e.id === p.id) !== (e.value === p.value));
    if (clash !== undefined) {
      const what = clash.id === p.id ? "ID" : "value";
      checks.fail("appRoles", AZUREAD_CHECKS.duplicatePermission.message(what, what === "ID" ? p.id : p.value));
    }
    seen.push({ id: p.id, value: p.value });
  }
  // CustomizeDiff: personal Microsoft accounts need v2 access tokens.
  const audience = str(inputs.signInAudience);
  if (
    (audience === "AzureADandPersonalMicrosoftAccount" || audience === "PersonalMicrosoftAccount") &&
    version !== 2 &&
    !isUnknown(version)
  ) {
    checks.fail("api.requestedAccessTokenVersion", AZUREAD_CHECKS.personalAccountsNeedV2.message(audience));
  }
  return checks.failures;
}
models({
  class: "provider-checks",
  behaviour:
    "an application's display name, app roles (member types User/Application, at least one; description, " +
    "display name; UUID id; claim-safe value), scopes, owners (≤ 100 UUIDs), notes (≤ 1024) and sign-in " +
    "audience are validated before any call",
  source: `${SRC}, schema ValidateFunc/MinItems/MaxItems; validate/tokens.go RoleScopeClaimValue`,
  test: `${TEST} › refuses what azuread's schema refuses, before calling Graph`,
});
models({
  class: "provider-checks",
  behaviour: "app roles and scopes may not share an id with another value, nor a value with another id",
  source: "terraform-provider-azuread v3.8.0 applications.go:328, applicationValidateRolesScopes (CustomizeDiff)",
  test: `${TEST} › refuses duplicate role and scope ids or values`,
});
models({
  class: "provider-checks",
  behaviour: "personal-account sign-in audiences require requestedAccessTokenVersion 2; the version is 1 or 2",
  source: `${SRC}:730, applicationResourceCustomizeDiff; api.requested_access_token_version ValidateDiagFunc`,
  test: `${TEST} › ties personal-account audiences to v2 tokens`,
});

/**
 * Graph refuses a PATCH that removes an app role or scope still enabled (CannotDeleteOrUpdateEnabledEntitlement).
 */
export function checkEntitlementRemoval(app: GraphApplication, roles: AppRole[], scopes: PermissionScope[]): void {
  for (const old of app.appRoles ?? []) {
    if (old.isEnabled !== false && !roles.some((r) => r.id === old.id))
      throw ENTITLEMENT_ERRORS.cannotDeleteEnabledEntitlement("appRoles", String(old.value ?? old.id));
  }
  for (const old of app.api?.oauth2PermissionScopes ?? []) {
    if (old.isEnabled !== false && !scopes.some((s) => s.id === old.id))
      throw ENTITLEMENT_ERRORS.cannotDeleteEnabledEntitlement("oauth2PermissionScopes", old.value);
  }
}

/**
 * azuread's update disables the app roles and scopes it is about to remove, in a PATCH of its own, before the
 * PATCH that removes them (applications.go:64 applicationDisableAppRoles, applicationDisableOauth2PermissionScopes).
 */
function disableBeforeRemoval(app: GraphApplication, inputs: JsonObject): void {
  const kept = new Set(objects(inputs.appRoles).map((r) => str(r.id)));
  for (const role of app.appRoles ?? []) if (!kept.has(role.id)) role.isEnabled = false;
  const api = isObject(inputs.api) ? inputs.api : {};
  const keptScopes = new Set(objects(api.oauth2PermissionScopes).map((sc) => str(sc.id)));
  for (const scope of app.api?.oauth2PermissionScopes ?? []) if (!keptScopes.has(scope.id)) scope.isEnabled = false;
}
models({
  class: "provider-calls",
  behaviour:
    "Graph refuses removing an enabled app role or scope; azuread's update disables them in a PATCH first, so " +
    "removing a role through the provider succeeds",
  source:
    "terraform-provider-azuread v3.8.0 applications.go:64 applicationDisableAppRoles; application_resource.go:1512",
  test: `${TEST} › disables an app role before removing it, as azuread does`,
});

models({
  class: "provider-calls",
  behaviour:
    "at creation the caller is made owner and removed again unless `owners` lists it; an Application.ReadWrite." +
    "OwnedBy deployer that did not list itself cannot update or delete what it created",
  source:
    'terraform-provider-azuread v3.8.0 application_resource.go:1179-1300 (removeCallerOwner); Learn "Microsoft ' +
    'Graph permissions reference", Application.ReadWrite.OwnedBy',
  test: `${TEST} › keeps the caller as owner only when owners lists it`,
});

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
  validate: validateApplication,
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
    app.owners = ownersAtCreation(state, inputs);
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
    disableBeforeRemoval(app, news);
    const roles = objects(news.appRoles).map(appRoleToGraph);
    const api = isObject(news.api) ? news.api : {};
    checkEntitlementRemoval(app, roles, objects(api.oauth2PermissionScopes).map(scopeToGraph));
    applyApplicationInputs(app, news);
    for (const uri of app.identifierUris ?? []) checkIdentifierUri(state, app, uri);
    // application_resource.go:1556: owners change only when they changed, to exactly the listed set.
    if (news.owners !== undefined) app.owners = strings(news.owners).map((id) => ({ id }));
    syncServicePrincipal(state, app);
    return applicationOutputs(state, app);
  },
  delete(state, id) {
    const app = takeOut(state, "applications", id, "application.delete");
    if (app === undefined) throw AZUREAD_ERRORS.deleteNotFound("application", id);
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
models({
  class: "adoption",
  behaviour:
    "getApplication answers in the bridged data source's shapes: each nested block (apis, webs, a web's " +
    "implicitGrants) a list of one, so a reused app registration's settings read as azuread gives them",
  source: "@pulumi/azuread 6.9.1 getApplication.d.ts (apis: GetApplicationApi[], webs: GetApplicationWeb[])",
  test: `${TEST} › getApplication answers in the bridged data source's shapes: each nested block a list of one`,
});
models({
  class: "adoption",
  behaviour: "an import (a read with no previous state) of an application gives its outputs as its inputs",
  source:
    "pulumi-terraform-bridge pkg/tfbridge/provider.go Read: an import's inputs are extracted from the state read " +
    "(ExtractInputsFromOutputs)",
  test: `${TEST} › imports (no previous state): the application as it is, its outputs standing for its inputs`,
});
