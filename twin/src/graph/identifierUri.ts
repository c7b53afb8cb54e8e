/**
 * azuread `ApplicationIdentifierUri`: one identifier URI of an application, and the rules every identifier
 * URI meets (the application's own `identifierUris` too).
 */
import { requireGraph } from "../deployer.ts";
import type { ResourceHandler } from "../provider.ts";
import type { GraphApplication, TwinState } from "../state.ts";
import { AZUREAD_ERRORS, GRAPH_ERRORS } from "./errors.ts";
import { syncServicePrincipal } from "./servicePrincipal.ts";
import { applicationFromId, str } from "./shared.ts";

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
  // identifierUris are unique in the tenant.
  const taken = Object.values(state.graph.applications).some(
    (other) => other.id !== app.id && (other.identifierUris ?? []).includes(uri),
  );
  if (taken) throw GRAPH_ERRORS.identifierUriTaken();
}

export const applicationIdentifierUri: ResourceHandler = {
  // azuread docs resources/application_identifier_uri: both arguments force a new resource.
  replaceOn: ["applicationId", "identifierUri"],
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
    if (app === undefined) return;
    requireGraph(state, "application.update", app);
    app.identifierUris = (app.identifierUris ?? []).filter((u) => u !== outs.identifierUri);
    syncServicePrincipal(state, app);
  },
};
