/**
 * azuread `ApplicationPreAuthorized`: a client an application trusts for some of its own scopes
 * (Graph application `api.preAuthorizedApplications`).
 */
import { requireGraph } from "../deployer.ts";
import type { ResourceHandler } from "../provider.ts";
import type { GraphApplication, PreAuthorizedApplication } from "../state.ts";
import { AZUREAD_ERRORS, GRAPH_ERRORS } from "./errors.ts";
import { applicationFromId, str, strings } from "./shared.ts";

function preAuthorizedOf(app: GraphApplication): PreAuthorizedApplication[] {
  return app.api?.preAuthorizedApplications ?? [];
}

/**
 * Pre-authorization grants scopes the application itself defines: preAuthorizedApplication's
 * delegatedPermissionIds are ids of the app's oauth2PermissionScopes (Graph "preAuthorizedApplication
 * resource type").
 */
function setPreAuthorized(app: GraphApplication, clientId: string, permissionIds: string[]): void {
  const defined = new Set((app.api?.oauth2PermissionScopes ?? []).map((s) => s.id));
  const unknown = permissionIds.filter((p) => !defined.has(p));
  if (unknown.length > 0) throw GRAPH_ERRORS.preAuthorizedUnknownScope(unknown, app.appId);
  const others = preAuthorizedOf(app).filter((p) => p.appId !== clientId);
  app.api = {
    ...app.api,
    preAuthorizedApplications: [...others, { appId: clientId, delegatedPermissionIds: permissionIds }],
  };
}

export const applicationPreAuthorized: ResourceHandler = {
  // azuread docs resources/application_pre_authorized: application and authorized client force a new resource.
  replaceOn: ["applicationId", "authorizedClientId"],
  create(state, inputs) {
    const app = applicationFromId(state, inputs.applicationId);
    requireGraph(state, "application.update", app);
    const clientId = str(inputs.authorizedClientId);
    if (preAuthorizedOf(app).some((p) => p.appId === clientId))
      throw AZUREAD_ERRORS.preAuthorizedExists(app.id, clientId);
    setPreAuthorized(app, clientId, strings(inputs.permissionIds));
    return {
      // azuread's import format: {objectId}/preAuthorizedApplication/{clientId}.
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
          permissionIds: entry.delegatedPermissionIds ?? [],
        };
  },
  update(state, _id, news) {
    const app = applicationFromId(state, news.applicationId);
    requireGraph(state, "application.update", app);
    setPreAuthorized(app, str(news.authorizedClientId), strings(news.permissionIds));
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
    app.api = { ...app.api, preAuthorizedApplications: preAuthorizedOf(app).filter((p) => p.appId !== clientId) };
  },
};
