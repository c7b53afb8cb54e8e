import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import type { AppRoleConfig, DevAccessConfig, Host } from "../config.ts";
import { sortedByCodeUnits } from "../compare.ts";
import { AppRoleGrant } from "./appRoleGrant.ts";
import { DEV_SCOPE, DevAccess } from "./devAccess.ts";
import { calleeAppSettings, type CalleeEndpoint } from "./callerApp.ts";
import type { Hosting } from "./hosting.ts";
import { hostedApp } from "./hosts/index.ts";
import { ownersAtCreation, OWNERS_SET_AT_CREATION } from "./owners.ts";
import { managedIdentityPrincipal, type PrincipalRef } from "./principal.ts";
import { stableGuid } from "./stableId.ts";

export interface ProtectedApiArgs {
  /** The resource group, plan and environment the app runs in. */
  hosting: Hosting;
  /** App Service, Function App or Container App; each has built-in authentication. */
  host: Host;
  /** Callees this API itself calls (a service can be both); each becomes a pair of app settings. */
  calls?: CalleeEndpoint[];
  /** Display name of the Entra app registration; unique per stack, e.g. `the-callee-dev`. */
  displayName: string;
  /** The application roles callers can be granted. At least one. */
  appRoles: AppRoleConfig[];
  /** Object ids that own the app and its service principal, besides whoever creates them (default none). */
  owners?: readonly string[];
  /**
   * Developer access from devboxes (dev stacks only): adds the delegated scope, pre-authorizes
   * the listed clients for it and assigns the listed users and groups the first app role.
   */
  developerAccess?: DevAccessConfig;
}

/** A caller to admit: its identity and the role it is granted. */
export interface CallerGrant {
  /** The caller's name, used to name the grant. */
  caller: string;
  /** The caller's service principal once Entra ID serves it. */
  identity: pulumi.Output<PrincipalRef>;
  /** Value of one of this API's app roles. */
  role: string;
}

/**
 * The callee: an app behind its host's built-in authentication (EasyAuth v2 on App Service and
 * Functions, authConfigs on Container Apps) and the Entra ID app registration that defines who
 * may call it.
 *
 * - Every request without a valid token for `api://<clientId>` gets 401.
 * - The service principal requires an app role assignment, so Entra ID refuses tokens to
 *   anyone not granted a role through {@link ProtectedApi.allow}; it is hidden from users.
 * - EasyAuth additionally accepts only the client ids of granted callers (and, in dev, of the
 *   authorized developer tools): defence in depth should an assignment be added by hand.
 *
 * Call {@link ProtectedApi.allow} exactly once, after the callers exist: the site's EasyAuth
 * settings wait for that list.
 */
export class ProtectedApi extends pulumi.ComponentResource {
  readonly application: azuread.Application;
  readonly servicePrincipal: azuread.ServicePrincipal;
  /** The host's authentication settings resource. */
  readonly authSettings: pulumi.CustomResource;
  readonly devAccess: DevAccess | undefined;
  /** Object id of the app's own system-assigned identity. */
  readonly principalId: pulumi.Output<string>;
  /** The app registration's client id. */
  readonly clientId: pulumi.Output<string>;
  /** The Application ID URI, `api://<clientId>`: the resource callers ask tokens for. */
  readonly resourceId: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;
  /** App role ids by role value; derived from names, so stable across runs. */
  readonly appRoleIds: Readonly<Record<string, string>>;

  private readonly apiName: string;
  private readonly resolveAllowedApplications: (ids: pulumi.Output<string[]>) => void;
  private readonly developerClients: string[];
  private allowed = false;
  private ownIdentity: pulumi.Output<PrincipalRef> | undefined;

  constructor(name: string, args: ProtectedApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("s2s-auth:api:ProtectedApi", name, {}, opts);
    if (args.appRoles.length === 0) throw new pulumi.ResourceError(`${name}: at least one app role is required`, this);
    this.apiName = name;
    const dev = args.developerAccess;
    this.developerClients = dev?.authorizedClients ?? [];
    const deployer = azuread.getClientConfigOutput({ parent: this });
    const owners = ownersAtCreation(args.owners ?? [], deployer.objectId);

    // An application-only role cannot be assigned to people; dev stacks that name developers
    // open the roles to users and groups, test and prod never do.
    const peopleHoldRoles =
      dev !== undefined && dev.userPrincipalNames.length + dev.userObjectIds.length + dev.groupObjectIds.length > 0;
    this.appRoleIds = Object.fromEntries(args.appRoles.map((r) => [r.value, stableGuid(name, "app-role", r.value)]));
    const scopeId = stableGuid(name, "scope", DEV_SCOPE);

    this.application = new azuread.Application(
      `${name}-app`,
      {
        displayName: args.displayName,
        signInAudience: "AzureADMyOrg",
        owners,
        appRoles: args.appRoles.map((role) => ({
          id: this.appRoleIds[role.value]!,
          value: role.value,
          displayName: role.displayName,
          description: role.description,
          allowedMemberTypes: peopleHoldRoles ? ["Application", "User"] : ["Application"],
          enabled: true,
        })),
        api: {
          requestedAccessTokenVersion: 2,
          oauth2PermissionScopes: dev
            ? [
                {
                  id: scopeId,
                  value: DEV_SCOPE,
                  type: "User",
                  enabled: true,
                  adminConsentDisplayName: `Call ${name} as the signed-in developer`,
                  adminConsentDescription: `Lets developer tools call ${name} on behalf of the signed-in developer (dev only).`,
                  userConsentDisplayName: `Call ${name} as you`,
                  userConsentDescription: `Lets developer tools call ${name} on your behalf (dev only).`,
                },
              ]
            : [],
        },
        // Stated explicitly, not left to defaults: tokens only come from the token endpoint.
        web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
      },
      // The identifier URI is set by ApplicationIdentifierUri below (an app cannot name its own
      // client id); without this, the next update of the app would drop it (pulumi-azuread#1036).
      { parent: this, ignoreChanges: ["identifierUris", OWNERS_SET_AT_CREATION] },
    );
    this.clientId = this.application.clientId;

    const identifierUri = new azuread.ApplicationIdentifierUri(
      `${name}-uri`,
      { applicationId: this.application.id, identifierUri: pulumi.interpolate`api://${this.application.clientId}` },
      { parent: this },
    );
    this.resourceId = identifierUri.identifierUri;

    this.servicePrincipal = new azuread.ServicePrincipal(
      `${name}-sp`,
      {
        clientId: this.application.clientId,
        appRoleAssignmentRequired: true,
        owners,
        // hide: "Visible to users? No" (not in My Apps); enterprise: listed under Enterprise applications.
        featureTags: [{ hide: true, enterprise: true }],
      },
      { parent: this, ignoreChanges: [OWNERS_SET_AT_CREATION] },
    );

    const app = hostedApp(
      args.host,
      name,
      { hosting: args.hosting, appSettings: calleeAppSettings(args.calls ?? []) },
      this,
    );
    this.url = app.url;
    this.principalId = app.principalId;

    const [allowedApplications, resolveAllowedApplications] = pulumi.deferredOutput<string[]>();
    this.resolveAllowedApplications = resolveAllowedApplications;
    this.authSettings = app.requireAuthentication(`${name}-auth`, {
      clientId: this.application.clientId,
      openIdIssuer: pulumi.interpolate`https://login.microsoftonline.com/${deployer.tenantId}/v2.0`,
      allowedAudiences: [this.resourceId, this.application.clientId],
      allowedApplications,
    });

    this.devAccess =
      dev &&
      new DevAccess(
        `${name}-dev-access`,
        {
          access: dev,
          applicationId: this.application.id,
          servicePrincipalObjectId: this.servicePrincipal.objectId,
          scopeId,
          appRoleId: this.appRoleIds[args.appRoles[0]!.value]!,
        },
        { parent: this },
      );

    this.registerOutputs({ clientId: this.clientId, resourceId: this.resourceId, url: this.url });
  }

  /**
   * The app's own identity, for a callee that calls others in turn. Looked up in Entra ID on
   * first use only, so a callee that calls nobody needs no lookup.
   */
  get identity(): pulumi.Output<PrincipalRef> {
    this.ownIdentity ??= managedIdentityPrincipal(this.principalId, this);
    return this.ownIdentity;
  }

  /**
   * Admits callers: each gets an app role assignment on this API's service principal, the only
   * way to obtain a token for it, and its client id joins EasyAuth's allow-list.
   */
  allow(grants: CallerGrant[]): AppRoleGrant[] {
    if (this.allowed) throw new Error(`ProtectedApi "${this.apiName}": allow() must be called once, with every caller`);
    this.allowed = true;
    const created = grants.map((g) => {
      const appRoleId = this.appRoleIds[g.role];
      if (appRoleId === undefined) throw new pulumi.ResourceError(`${this.apiName} has no app role "${g.role}"`, this);
      // Names have no "_" (config refuses it), so "<caller>_to_<callee>" never collides.
      return new AppRoleGrant(
        `${g.caller}_to_${this.apiName}`,
        { principalObjectId: g.identity.objectId, resourceObjectId: this.servicePrincipal.objectId, appRoleId },
        { parent: this },
      );
    });
    const clientIds = [...grants.map((g) => g.identity.clientId), ...this.developerClients];
    this.resolveAllowedApplications(
      // With nobody admitted, the API's own client id keeps the list from being empty,
      // which EasyAuth would read as "no restriction".
      pulumi.all(clientIds.length > 0 ? clientIds : [this.clientId]).apply((ids) => sortedByCodeUnits(new Set(ids))),
    );
    return created;
  }
}
