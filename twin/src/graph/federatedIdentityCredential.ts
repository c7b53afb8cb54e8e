/** azuread `ApplicationFederatedIdentityCredential`: Graph application federatedIdentityCredentials. */
import { requireGraph } from "../deployer.ts";
import type { ResourceHandler } from "../provider.ts";
import { type FederatedIdentityCredential, type JsonObject, newGuid } from "../state.ts";
import { models } from "../fidelity.ts";
import { AZUREAD_ERRORS, GRAPH_ERRORS } from "./errors.ts";
import { Checks, applicationFromId, str, strOr, strings } from "./shared.ts";

/** Learn "Workload identity federation: considerations": at most 20 federated identity credentials per application. */
export const MAX_FEDERATED_CREDENTIALS = 20;

function credentialOutputs(cred: FederatedIdentityCredential): JsonObject {
  return {
    applicationId: `/applications/${cred.applicationObjectId}`,
    credentialId: cred.id,
    displayName: cred.name,
    description: cred.description ?? "",
    issuer: cred.issuer,
    subject: cred.subject,
    audiences: cred.audiences,
  };
}

/** azuread's id is `{objectId}/federatedIdentityCredential/{credentialId}`. */
function credentialIdOf(id: string): string {
  return id.split("/")[2] ?? "";
}

export const applicationFederatedIdentityCredential: ResourceHandler = {
  // Graph "federatedIdentityCredential resource type": name is immutable once created; azuread forces a new credential.
  replaceOn: ["applicationId", "displayName"],
  validate(inputs) {
    const checks = new Checks();
    // application_federated_identity_credential_resource.go schema: display_name StringLenBetween(1, 120),
    // audiences MaxItems 1 of non-empty strings.
    checks.lengthBetween("displayName", inputs.displayName, 1, 120);
    checks.items("audiences", inputs.audiences, 1, 1);
    strings(inputs.audiences).forEach((a, i) => checks.notEmpty(`audiences[${i}]`, a));
    return checks.failures;
  },
  create(state, inputs) {
    const app = applicationFromId(state, inputs.applicationId);
    requireGraph(state, "application.update", app);
    const siblings = Object.values(state.graph.federatedIdentityCredentials).filter(
      (c) => c.applicationObjectId === app.id,
    );
    if (siblings.length >= MAX_FEDERATED_CREDENTIALS) {
      throw GRAPH_ERRORS.tooManyFederatedCredentials(app.appId, MAX_FEDERATED_CREDENTIALS);
    }
    // Graph "federatedIdentityCredential resource type": the name is unique on the app, and so is the
    // combination of issuer and subject.
    if (siblings.some((c) => c.name === inputs.displayName)) {
      throw GRAPH_ERRORS.federatedCredentialNameTaken(str(inputs.displayName));
    }
    if (siblings.some((c) => c.issuer === inputs.issuer && c.subject === inputs.subject)) {
      throw GRAPH_ERRORS.federatedCredentialIssuerSubjectTaken();
    }
    const cred: FederatedIdentityCredential = {
      id: newGuid(),
      applicationObjectId: app.id,
      name: strOr(inputs.displayName, ""),
      description: strOr(inputs.description, null),
      issuer: strOr(inputs.issuer, ""),
      subject: strOr(inputs.subject, ""),
      audiences: strings(inputs.audiences),
    };
    state.graph.federatedIdentityCredentials[cred.id] = cred;
    return { id: `${app.id}/federatedIdentityCredential/${cred.id}`, outs: credentialOutputs(cred) };
  },
  read(state, id) {
    const cred = state.graph.federatedIdentityCredentials[credentialIdOf(id)];
    return cred === undefined ? undefined : credentialOutputs(cred);
  },
  update(state, id, news) {
    const cred = state.graph.federatedIdentityCredentials[credentialIdOf(id)];
    if (cred === undefined) throw GRAPH_ERRORS.resourceNotFound(id);
    requireGraph(state, "application.update", applicationFromId(state, news.applicationId));
    Object.assign(cred, {
      description: strOr(news.description, null),
      issuer: strOr(news.issuer, ""),
      subject: strOr(news.subject, ""),
      audiences: strings(news.audiences),
    });
    return credentialOutputs(cred);
  },
  delete(state, id) {
    const cred = state.graph.federatedIdentityCredentials[credentialIdOf(id)];
    // go-azure-sdk DeleteFederatedIdentityCredential expects 200/204: one already removed fails the delete.
    if (cred === undefined) throw AZUREAD_ERRORS.deleteNotFound("federated identity credential", id);
    const app = state.graph.applications[cred.applicationObjectId];
    if (app !== undefined) requireGraph(state, "application.update", app);
    delete state.graph.federatedIdentityCredentials[cred.id];
  },
};

models({
  class: "provider-checks",
  behaviour: "a federated credential's display name is 1-120 characters and it has exactly one non-empty audience",
  source:
    "terraform-provider-azuread v3.8.0 application_federated_identity_credential_resource.go, schema " +
    "(display_name StringLenBetween(1, 120), audiences MaxItems 1)",
  test: "test/graph/federatedIdentityCredential.test.ts › validates the name and audience as azuread does",
});
