// The integration-test principal that GitHub Actions signs in as (OIDC federation, no secret),
// and the federated credentials it shares with the pipeline's identities (bootstrap/).
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "../azuread.ts";
import { RESOURCE_TYPE } from "../../model/index.ts";
import { appRegistration, ownersAtCreation } from "../appRegistration.ts";
import type { Grantee, PrincipalRef } from "../principal.ts";
import { stableGuid } from "../stableId.ts";
import { FEDERATION_AUDIENCE, federatedSubject, GITHUB_OIDC_ISSUER } from "../federation.ts";

/**
 * A federated credential's name: unique per subject and within Entra's character set
 * (letters, digits, '-' and '_'), readable enough to recognise in the portal.
 */
export function credentialName(subject: string): string {
  const readable = subject
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return `github-${readable}-${stableGuid("ci-subject", subject).slice(0, 8)}`;
}

/**
 * One federated identity credential per subject on `applicationId`, trusting GitHub Actions
 * tokens of `repository`: no secret or certificate ever exists. Shared by the integration-test
 * principal and the pipeline's identities (bootstrap/), named `${name}-fic-<subject>`.
 */
export function githubCredentials(
  name: string,
  args: { applicationId: pulumi.Input<string>; repository: string; subjects: readonly string[] },
  parent: pulumi.Resource,
): azuread.ApplicationFederatedIdentityCredential[] {
  return args.subjects.map(
    (subject) =>
      new azuread.ApplicationFederatedIdentityCredential(
        `${name}-fic-${subject}`,
        {
          applicationId: args.applicationId,
          displayName: credentialName(subject),
          description: `GitHub Actions of ${args.repository}, ${subject}`,
          issuer: GITHUB_OIDC_ISSUER,
          audiences: [FEDERATION_AUDIENCE],
          subject: federatedSubject(args.repository, subject),
        },
        { parent },
      ),
  );
}

export interface CiPrincipalArgs {
  /** Display name of the app registration; unique per stack, e.g. `s2s-auth-ci-dev`. */
  displayName: string;
  /** `owner/name` of the GitHub repository whose workflows may sign in. */
  repository: string;
  /** OIDC subjects after `repo:<repository>:`, e.g. `environment:dev`. */
  subjects: string[];
  /** Object ids that own the app and its service principal, besides whoever creates them (default none). */
  owners?: readonly string[];
}

/**
 * The integration-test principal: an app registration and service principal that GitHub
 * Actions workflows of one repository sign in as with their OIDC token (workload identity
 * federation). It has no password and no certificate, so there is no secret to store or
 * rotate. Callees admit it like any caller, through `ProtectedApi.allow()`.
 */
export class CiPrincipal extends pulumi.ComponentResource implements Grantee {
  /**
   * The component's name with '_' for '-' (`ci-principal` → `ci_principal`): no site name has a
   * '_', so its grants (`ci_principal_to_<callee>`) never collide with a caller's.
   */
  readonly name: string;
  readonly application: azuread.Application;
  readonly servicePrincipal: azuread.ServicePrincipal;
  readonly credentials: azuread.ApplicationFederatedIdentityCredential[];
  /** The client id a workflow signs in with (`AZURE_CLIENT_ID`). */
  readonly clientId: pulumi.Output<string>;
  /** What callees grant: the service principal's object id and the app's client id. */
  readonly identity: pulumi.Output<PrincipalRef>;

  constructor(name: string, args: CiPrincipalArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPE.ciPrincipal, name, {}, opts);
    this.name = name.replaceAll("-", "_");
    if (args.subjects.length === 0)
      throw new pulumi.ResourceError(`${name}: at least one OIDC subject is required`, this);
    const deployer = azuread.getClientConfigOutput({ parent: this });
    const owners = ownersAtCreation(args.owners ?? [], deployer.objectId);

    // Implicit grant off suits it: it only ever uses the client credentials flow.
    const registration = appRegistration(
      name,
      {
        displayName: args.displayName,
        owners,
        application: {
          notes: `Integration tests of ${args.repository} (GitHub Actions OIDC). Managed by Pulumi; no secrets.`,
        },
      },
      this,
    );
    this.application = registration.application;
    this.servicePrincipal = registration.servicePrincipal;
    this.clientId = this.application.clientId;

    this.credentials = githubCredentials(
      name,
      { applicationId: this.application.id, repository: args.repository, subjects: args.subjects },
      this,
    );

    // The object id comes from the ServicePrincipal resource itself, so grants depend on it
    // and the offline plan can trace each assignment back to this principal.
    this.identity = pulumi
      .all([this.servicePrincipal.objectId, this.application.clientId])
      .apply(([objectId, clientId]) => ({ objectId, clientId }));
    this.registerOutputs({ clientId: this.clientId, servicePrincipalObjectId: this.servicePrincipal.objectId });
  }
}
