/** azuread `ServicePrincipal` and the `getServicePrincipal` data source: Graph servicePrincipals. */
import { ownerIds, requireGraph } from "../deployer.ts";
import type { InvokeHandler, ResourceHandler } from "../provider.ts";
import {
  type GraphApplication,
  type GraphServicePrincipal,
  type JsonObject,
  type TwinState,
  newGuid,
} from "../state.ts";
import { AZUREAD_ERRORS, GRAPH_ERRORS } from "./errors.ts";
import { replicated } from "./managedIdentity.ts";
import {
  appRoleFromGraph,
  boolOr,
  dropAssignmentsOf,
  idsByValue,
  objectIdOf,
  objects,
  ownersAtCreation,
  Checks,
  scopeFromGraph,
  softDelete,
  str,
  strOr,
  strings,
  takeOut,
} from "./shared.ts";

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

/** A service principal mirrors its application's roles and scopes (Graph "servicePrincipal resource type"). */
export function syncServicePrincipal(state: TwinState, app: GraphApplication): void {
  for (const sp of Object.values(state.graph.servicePrincipals)) {
    if (sp.appId !== app.appId || sp.servicePrincipalType !== "Application") continue;
    sp.appRoles = app.appRoles ?? [];
    sp.oauth2PermissionScopes = app.api?.oauth2PermissionScopes ?? [];
    sp.displayName = app.displayName || sp.displayName || "";
    sp.servicePrincipalNames = [app.appId, ...(app.identifierUris ?? [])];
  }
}

export function servicePrincipalOutputs(state: TwinState, sp: GraphServicePrincipal): JsonObject {
  const tags = sp.tags ?? [];
  const flags: JsonObject = Object.fromEntries(
    Object.entries(FEATURE_TAGS).map(([flag, tag]) => [flag, tags.includes(tag)]),
  );
  const roles = sp.appRoles ?? [];
  const scopes = sp.oauth2PermissionScopes ?? [];
  return {
    objectId: sp.id,
    clientId: sp.appId,
    displayName: sp.displayName ?? "",
    type: sp.servicePrincipalType ?? "",
    accountEnabled: sp.accountEnabled !== false,
    appRoleAssignmentRequired: sp.appRoleAssignmentRequired === true,
    appRoles: roles.map(appRoleFromGraph),
    appRoleIds: idsByValue(roles),
    oauth2PermissionScopes: scopes.map(scopeFromGraph),
    oauth2PermissionScopeIds: idsByValue(scopes),
    applicationTenantId: sp.appOwnerOrganizationId ?? state.tenantId,
    servicePrincipalNames: sp.servicePrincipalNames ?? [],
    alternativeNames: sp.alternativeNames ?? [],
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
function servicePrincipalSettings(inputs: JsonObject): Partial<GraphServicePrincipal> {
  return {
    accountEnabled: boolOr(inputs.accountEnabled, true),
    appRoleAssignmentRequired: boolOr(inputs.appRoleAssignmentRequired, false),
    tags: tagsFrom(inputs),
    notes: strOr(inputs.notes, null),
    description: strOr(inputs.description, null),
  };
}

export const servicePrincipal: ResourceHandler = {
  // azuread docs resources/service_principal: client_id forces a new resource.
  replaceOn: ["clientId"],
  validate(inputs) {
    const checks = new Checks();
    // service_principal_resource.go schema: client_id validation.IsUUID; notes StringLenBetween(0, 1024).
    checks.uuid("clientId", inputs.clientId);
    checks.lengthBetween("notes", inputs.notes, 0, 1024);
    return checks.failures;
  },
  create(state, inputs) {
    const clientId = str(inputs.clientId);
    const app = Object.values(state.graph.applications).find((a) => a.appId === clientId);
    // A service principal is the local instance of an existing application (Learn "Application and
    // service principal objects in Microsoft Entra ID"); Graph refuses an appId with no application.
    if (app === undefined) throw GRAPH_ERRORS.noApplicationForServicePrincipal(clientId);
    // With Application.ReadWrite.OwnedBy the caller must own the application (azuread docs
    // resources/service_principal).
    requireGraph(state, "servicePrincipal.create", app);
    const existing = Object.values(state.graph.servicePrincipals).find((s) => s.appId === clientId);
    // One service principal per application in a tenant; azuread's `useExisting` adopts it instead.
    if (existing !== undefined && inputs.useExisting !== true) throw GRAPH_ERRORS.servicePrincipalNameInUse(clientId);
    const sp: GraphServicePrincipal = existing ?? {
      id: newGuid(),
      appId: clientId,
      servicePrincipalType: "Application",
      appOwnerOrganizationId: state.tenantId,
      alternativeNames: [],
    };
    Object.assign(sp, servicePrincipalSettings(inputs), { owners: ownersAtCreation(state, inputs) });
    state.graph.servicePrincipals[sp.id] = sp;
    syncServicePrincipal(state, app);
    return { id: `/servicePrincipals/${sp.id}`, outs: servicePrincipalOutputs(state, sp) };
  },
  read(state, id) {
    const sp = state.graph.servicePrincipals[objectIdOf("servicePrincipals", id)];
    return sp === undefined ? undefined : servicePrincipalOutputs(state, sp);
  },
  update(state, id, news) {
    const sp = state.graph.servicePrincipals[objectIdOf("servicePrincipals", id)];
    if (sp === undefined) throw GRAPH_ERRORS.resourceNotFound(id);
    requireGraph(state, "servicePrincipal.update", sp);
    Object.assign(sp, servicePrincipalSettings(news));
    // service_principal_resource.go: owners change only when they changed, to exactly the listed set.
    if (news.owners !== undefined) sp.owners = strings(news.owners).map((id) => ({ id }));
    return servicePrincipalOutputs(state, sp);
  },
  delete(state, id, outs) {
    const sp = takeOut(state, "servicePrincipals", id, "servicePrincipal.delete");
    // service_principal_resource.go:692: a 404 fails the delete, unless the principal was adopted (use_existing).
    if (sp === undefined) {
      if (outs.useExisting === true) return;
      throw AZUREAD_ERRORS.deleteNotFound("service principal", id);
    }
    dropAssignmentsOf(state, sp.id);
    softDelete(state, "#microsoft.graph.servicePrincipal", sp);
  },
};

/** azuread's getServicePrincipal: by object id, client id or display name, among the principals Graph sees. */
export const getServicePrincipal: InvokeHandler = (state, args) => {
  const visible = Object.values(state.graph.servicePrincipals).filter((sp) => replicated(state, sp));
  const [by, value, match] =
    typeof args.objectId === "string"
      ? ["object ID", args.objectId, (sp: GraphServicePrincipal) => sp.id === args.objectId]
      : typeof args.clientId === "string"
        ? ["client ID", args.clientId, (sp: GraphServicePrincipal) => sp.appId === args.clientId]
        : ["display name", str(args.displayName), (sp: GraphServicePrincipal) => sp.displayName === args.displayName];
  const sp = visible.find(match);
  requireGraph(state, "servicePrincipal.read", sp);
  if (sp === undefined) throw AZUREAD_ERRORS.notFound("service principal", by, value);
  return { ...servicePrincipalOutputs(state, sp), id: `/servicePrincipals/${sp.id}`, samlSingleSignOns: [] };
};
