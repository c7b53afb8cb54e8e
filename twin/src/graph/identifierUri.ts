/**
 * azuread `ApplicationIdentifierUri`: one identifier URI of an application, and the rules every identifier
 * URI meets (the application's own `identifierUris` too).
 */
import { requireGraph } from "../deployer.ts";
import { models } from "../fidelity.ts";
import type { ResourceHandler } from "../provider.ts";
import type { GraphApplication, TwinState } from "../state.ts";
import { AZUREAD_ERRORS, ENTITLEMENT_ERRORS, GRAPH_ERRORS } from "./errors.ts";
import { syncServicePrincipal } from "./servicePrincipal.ts";
import { Checks, applicationFromId, str } from "./shared.ts";

/**
 * Identifier URIs an app may take (Learn "Restrictions on identifier URIs of Microsoft Entra apps"):
 * api://<appId>, api://<tenantId>/..., api://<string>/<appId>, or an https/api URI on a verified
 * domain of the tenant (or a subdomain). Graph answers anything else with HostNameNotOnVerifiedDomain.
 */
export function checkIdentifierUri(state: TwinState, app: GraphApplication, uri: string): void {
  const appId = app.appId;
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
  if (!ok) throw GRAPH_ERRORS.hostNameNotOnVerifiedDomain(uri);
  checkTenantRestriction(state, app, uri);
  // identifierUris are unique in the tenant.
  const taken = Object.values(state.graph.applications).some(
    (other) => other.id !== app.id && (other.identifierUris ?? []).includes(uri),
  );
  if (taken) throw GRAPH_ERRORS.identifierUriTaken();
}

/**
 * The tenant's app management policy on identifier URIs (Learn "identifierUriConfiguration resource type",
 * "identifierUriRestriction resource type"; Graph GET /policies/defaultAppManagementPolicy,
 * applicationRestrictions.identifierUris): with `nonDefaultUriAddition` enabled, a new identifier URI must be
 * api://{appId} or api://{tenantId}/{appId}, unless the restriction excludes apps receiving v2 tokens and this
 * app requests them (api.requestedAccessTokenVersion 2), or the app was created before
 * restrictForAppsCreatedAfterDateTime. The tenant holds it at `graph.appManagementPolicy` (`twin set`).
 */
function checkTenantRestriction(state: TwinState, app: GraphApplication, uri: string): void {
  const restriction = state.graph.appManagementPolicy?.applicationRestrictions?.identifierUris?.nonDefaultUriAddition;
  if (restriction?.state !== "enabled") return;
  if (restriction.excludeAppsReceivingV2Tokens === true && app.api?.requestedAccessTokenVersion === 2) return;
  const after = restriction.restrictForAppsCreatedAfterDateTime;
  if (after && app.createdDateTime && Date.parse(app.createdDateTime) <= Date.parse(after)) return;
  const defaults = [`api://${app.appId}`, `api://${state.tenantId}/${app.appId}`].map((d) => d.toLowerCase());
  if (!defaults.includes(uri.toLowerCase())) throw ENTITLEMENT_ERRORS.identifierUriRestricted(uri);
}
const POLICY = 'Learn "identifierUriRestriction resource type" / "identifierUriConfiguration resource type"';
const TEST = "test/graph/identifierUri.test.ts";
models({
  class: "entra-policy",
  behaviour:
    "with the tenant's nonDefaultUriAddition restriction enabled, only api://{appId} and api://{tenantId}/{appId} " +
    "may be added",
  source: `${POLICY}, nonDefaultUriAddition`,
  test: `${TEST} › the tenant's restriction admits only the default identifier URIs`,
});
models({
  class: "entra-policy",
  behaviour:
    "the restriction is not enforced for an app requesting v2 tokens when it sets excludeAppsReceivingV2Tokens: " +
    "the policy depends on the app's api.requestedAccessTokenVersion",
  source: `${POLICY}, excludeAppsReceivingV2Tokens`,
  test: `${TEST} › exempts an app requesting v2 tokens when the restriction excludes them`,
});
models({
  class: "entra-policy",
  behaviour: "the restriction applies only to apps created after restrictForAppsCreatedAfterDateTime",
  source: `${POLICY}, restrictForAppsCreatedAfterDateTime`,
  test: `${TEST} › leaves apps created before restrictForAppsCreatedAfterDateTime alone`,
});
models({
  class: "entra-policy",
  behaviour:
    "an api:// identifier URI whose host is a GUID must name the app's own appId or the tenant; https and api " +
    "hosts must be verified domains of the tenant",
  source: 'Learn "Restrictions on identifier URIs of Microsoft Entra applications"',
  test: `${TEST} › refuses another app's id or an unverified host as identifier URI`,
});
models({
  class: "provider-calls",
  behaviour: "deleting an identifier URI someone already removed fails: azuread cannot identify it",
  source: "terraform-provider-azuread v3.8.0 application_identifier_uri_resource.go:225, Delete",
  test: `${TEST} › fails to delete an identifier URI someone already removed`,
});

export const applicationIdentifierUri: ResourceHandler = {
  // azuread docs resources/application_identifier_uri: both arguments force a new resource.
  replaceOn: ["applicationId", "identifierUri"],
  validate(inputs) {
    const checks = new Checks();
    // application_identifier_uri_resource.go schema: identifier_uri validation.StringIsNotEmpty.
    checks.notEmpty("identifierUri", inputs.identifierUri);
    return checks.failures;
  },
  create(state, inputs) {
    const app = applicationFromId(state, inputs.applicationId);
    requireGraph(state, "application.update", app);
    const uri = str(inputs.identifierUri) || `api://${app.appId}`;
    if ((app.identifierUris ?? []).includes(uri)) throw AZUREAD_ERRORS.identifierUriExists(uri, app.id);
    checkIdentifierUri(state, app, uri);
    app.identifierUris = [...(app.identifierUris ?? []), uri];
    syncServicePrincipal(state, app);
    return {
      // azuread's import format: /applications/{objectId}/identifierUris/{base64 of the URI}.
      id: `/applications/${app.id}/identifierUris/${Buffer.from(uri).toString("base64")}`,
      outs: { applicationId: `/applications/${app.id}`, identifierUri: uri },
    };
  },
  read(state, id, outs) {
    const app = state.graph.applications[id.split("/")[2] ?? ""];
    // An import knows only the id, whose last part is the URI in base64 (azuread's import format).
    const uri = str(outs.identifierUri) || Buffer.from(id.split("/")[4] ?? "", "base64").toString("utf8");
    return app !== undefined && (app.identifierUris ?? []).includes(uri)
      ? { applicationId: `/applications/${app.id}`, identifierUri: uri }
      : undefined;
  },
  update(_state, _id, news) {
    return news;
  },
  delete(state, id, outs) {
    const app = state.graph.applications[id.split("/")[2] ?? ""];
    if (app === undefined)
      throw AZUREAD_ERRORS.deleteNotFound("application", `/applications/${id.split("/")[2] ?? ""}`);
    requireGraph(state, "application.update", app);
    if (!(app.identifierUris ?? []).includes(str(outs.identifierUri))) throw AZUREAD_ERRORS.identifierUriGone(id);
    app.identifierUris = (app.identifierUris ?? []).filter((u) => u !== outs.identifierUri);
    syncServicePrincipal(state, app);
  },
};
