// The callee: an app behind its host's built-in authentication and the Entra ID app
// registration that says who may call it; callers are admitted with `allow()`.
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "../azuread.ts";
import { sortedByCodeUnits } from "../../model/compare.ts";
import { AppRoleGrant } from "../access/appRoleGrant.ts";
import { DevAccess } from "../access/devAccess.ts";
import { type AppRole, DEV_SCOPE, type DeveloperAccess, type Host, RESOURCE_TYPE } from "../../model/index.ts";
import { appRegistration, ownersAtCreation } from "../appRegistration.ts";
import type { Hosting } from "../hosting/hosting.ts";
import { hostedApp } from "../hosting/hosts.ts";
import { managedIdentityPrincipal, type Grantee, type PrincipalRef } from "../principal.ts";
import { stableGuid } from "../stableId.ts";
import { calleeAppSettings, type CalleeEndpoint } from "./calleeEndpoint.ts";

export interface ProtectedApiArgs {
  /** The resource group, plan and environment the app runs in. */
  hosting: Hosting;
  /** App Service, Function App or Container App; each has built-in authentication. */
  host: Host;
  /** Callees this API itself calls (a service can be both); each becomes a pair of app settings. */
  calls?: readonly CalleeEndpoint[];
  /** Display name of the Entra app registration; unique per stack, e.g. `the-callee-dev`. */
  displayName: string;
  /** The application roles callers can be granted. At least one. */
  appRoles: readonly AppRole[];
  /** Object ids that own the app and its service principal, besides whoever creates them (default none). */
  owners?: readonly string[];
  /**
   * Developer access from devboxes (dev stacks only): adds the delegated scope, pre-authorizes
   * the listed clients for it and assigns the listed users and groups the first app role.
   */
  developerAccess?: DeveloperAccess;
  /**
   * An app registration that already exists, by client id: it and its service principal are read,
   * never created or changed; `appRoles` name roles it has, and with developer access it must
   * expose the `user_impersonation` scope. What the stack still owns: the site, its EasyAuth
   * settings, the grants and (dev) the pre-authorizations.
   */
  existingApplication?: { clientId: string };
}

/** The first element of a list a data source returns; undefined for anything else (a plan's placeholder). */
function firstOf<T>(list: readonly T[] | undefined): T | undefined {
  return Array.isArray(list) ? list[0] : undefined;
}

/**
 * An existing app registration and its service principal as Entra ID has them, and what of them the
 * policy rules judge (assignment required, hidden from users, implicit grant, identifier URIs). The
 * settings are the ProtectedApi's input and output, so the offline plan and the policy pack both see
 * them: known at `pulumi preview`, placeholders offline.
 */
function readExistingApplication(clientId: string) {
  const app = azuread.getApplicationOutput({ clientId });
  const sp = azuread.getServicePrincipalOutput({ clientId });
  const grant = app.webs.apply((webs) => firstOf(firstOf(webs)?.implicitGrants));
  return {
    app,
    sp,
    settings: {
      clientId,
      appRoleAssignmentRequired: sp.appRoleAssignmentRequired,
      hiddenFromUsers: sp.featureTags.apply((tags) => firstOf(tags)?.hide),
      implicitGrant: {
        accessTokenIssuanceEnabled: grant.apply((g) => g?.accessTokenIssuanceEnabled),
        idTokenIssuanceEnabled: grant.apply((g) => g?.idTokenIssuanceEnabled),
      },
      identifierUris: app.identifierUris,
    },
  };
}

/**
 * The callee: an app behind its host's built-in authentication (EasyAuth v2 on App Service and
 * Functions, authConfigs on Container Apps) and the Entra ID app registration that defines who
 * may call it.
 *
 * - Every request without a valid token for `api://<clientId>` gets 401.
 * - The service principal requires an app role assignment, so Entra ID refuses tokens to
 *   anyone not granted a role through {@link ProtectedApi.allow}; it is hidden from users.
 * - On App Service and Functions, EasyAuth additionally accepts only the client ids of granted
 *   callers (and, in dev, of the authorized developer tools): a second check should an assignment
 *   be added by hand. Container Apps gets the same list, but Microsoft documents no such check
 *   there: the assignment is its only gate, and its app checks the token's `roles` itself
 *   (docs/configuration.md, "Hosts").
 *
 * Admit each caller with {@link ProtectedApi.allow}, then {@link ProtectedApi.seal} once, in the
 * same synchronous run of the program that declared the API: the site's EasyAuth settings wait
 * for the sealed list, and an API still unsealed when that run ends fails the run. A callee is
 * itself a {@link Grantee}, for a service that is called and calls on.
 */
export class ProtectedApi extends pulumi.ComponentResource implements Grantee {
  /** The callee's name in config; its grants are named `<caller>_to_<name>`. */
  readonly name: string;
  /** The app registration the stack created; undefined on an existing one (`existingApplication`). */
  readonly application: azuread.Application | undefined;
  /** Its service principal, likewise. */
  readonly servicePrincipal: azuread.ServicePrincipal | undefined;
  /** Object id of the service principal callers are granted roles on, created or existing. */
  readonly servicePrincipalObjectId: pulumi.Output<string>;
  /** The host's authentication settings resource. */
  readonly authSettings: pulumi.CustomResource;
  readonly devAccess: DevAccess | undefined;
  /** Object id of the app's own system-assigned identity. */
  readonly principalId: pulumi.Output<string>;
  /** The app registration's client id. */
  readonly clientId: pulumi.Output<string>;
  /** The Application ID URI, `api://<clientId>`: the resource callers ask tokens for. */
  readonly applicationIdUri: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;
  /** The site's (or container app's) name: where its code is deployed to (`az webapp deploy --name`). */
  readonly appName: pulumi.Output<string>;
  /** What a service that calls this one needs: its address and token audience. */
  readonly endpoint: CalleeEndpoint;
  /** App role ids by role value; derived from names, so stable across runs (an existing app's: read from it). */
  readonly appRoleIds: Readonly<Record<string, pulumi.Input<string>>>;

  private readonly resolveAllowedApplications: (ids: pulumi.Output<string[]>) => void;
  private readonly developerClients: readonly string[];
  private readonly grantees: Grantee[] = [];
  private sealed = false;
  /** Set when the program's run ended before seal(): the error the run failed with. */
  private unsealed: pulumi.RunError | undefined;
  private ownIdentity: pulumi.Output<PrincipalRef> | undefined;

  constructor(name: string, args: ProtectedApiArgs, opts?: pulumi.ComponentResourceOptions) {
    const existing = args.existingApplication && readExistingApplication(args.existingApplication.clientId);
    super(RESOURCE_TYPE.protectedApi, name, existing ? { existingApplication: existing.settings } : {}, opts);
    if (args.appRoles.length === 0) throw new pulumi.ResourceError(`${name}: at least one app role is required`, this);
    this.name = name;
    const dev = args.developerAccess;
    this.developerClients = dev?.authorizedClients ?? [];
    const deployer = azuread.getClientConfigOutput({ parent: this });

    let applicationId: pulumi.Output<string>;
    let scopeId: pulumi.Input<string> | undefined;
    if (existing) {
      const clientId = args.existingApplication!.clientId;
      const of = `app registration ${clientId} (existingApplication)`;
      this.application = undefined;
      this.servicePrincipal = undefined;
      this.servicePrincipalObjectId = existing.sp.objectId;
      this.clientId = pulumi.output(clientId);
      applicationId = existing.app.id;
      // Offline, the app's lists are placeholders: the URI callers ask for is then api://<clientId>.
      this.applicationIdUri = existing.app.identifierUris.apply((uris) => {
        if (!Array.isArray(uris)) return `api://${clientId}`;
        const uri = uris.find((u) => u === `api://${clientId}`) ?? uris[0];
        if (uri === undefined)
          throw new pulumi.ResourceError(`${name}: ${of} has no Application ID URI; set api://${clientId}`, this);
        return uri;
      });
      // Offline the maps are placeholders too, and pass through as they are.
      const named = (kind: string, ids: pulumi.Output<Record<string, string>>, value: string) =>
        ids.apply((known) => {
          if (typeof known !== "object" || known === null) return String(known);
          const id = known[value];
          if (typeof id !== "string")
            throw new pulumi.ResourceError(
              `${name}: ${of} has no ${kind} "${value}" (it has: ${Object.keys(known).join(", ") || "none"})`,
              this,
            );
          return id;
        });
      this.appRoleIds = Object.fromEntries(
        args.appRoles.map((r) => [r.value, named("app role", existing.app.appRoleIds, r.value)]),
      );
      scopeId = dev && named("delegated scope", existing.app.oauth2PermissionScopeIds, DEV_SCOPE);
    } else {
      const owners = ownersAtCreation(args.owners ?? [], deployer.objectId);
      // An application-only role cannot be assigned to people; dev stacks that name developers
      // open the roles to users and groups, test and prod never do.
      const peopleHoldRoles =
        dev !== undefined && dev.userPrincipalNames.length + dev.userObjectIds.length + dev.groupObjectIds.length > 0;
      const roleIds = Object.fromEntries(
        args.appRoles.map((r) => [r.value, r.id ?? stableGuid(name, "app-role", r.value)]),
      );
      this.appRoleIds = roleIds;
      scopeId = stableGuid(name, "scope", DEV_SCOPE);
      const registration = appRegistration(
        name,
        {
          displayName: args.displayName,
          owners,
          application: {
            appRoles: args.appRoles.map((role) => ({
              id: roleIds[role.value]!,
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
                      adminConsentDescription:
                        `Lets developer tools call ${name} on behalf of the signed-in developer ` + "(dev only).",
                      userConsentDisplayName: `Call ${name} as you`,
                      userConsentDescription: `Lets developer tools call ${name} on your behalf (dev only).`,
                    },
                  ]
                : [],
            },
          },
          // Only holders of an app role assignment get a token for this API.
          servicePrincipal: { appRoleAssignmentRequired: true },
          // The identifier URI is set by ApplicationIdentifierUri below (an app cannot name its own
          // client id); without this, the next update of the app would drop it (pulumi-azuread#1036).
          ignoreChanges: ["identifierUris"],
        },
        this,
      );
      this.application = registration.application;
      this.servicePrincipal = registration.servicePrincipal;
      this.servicePrincipalObjectId = registration.servicePrincipal.objectId;
      this.clientId = registration.application.clientId;
      applicationId = registration.application.id;

      const identifierUri = new azuread.ApplicationIdentifierUri(
        `${name}-uri`,
        {
          applicationId: registration.application.id,
          identifierUri: pulumi.interpolate`api://${registration.application.clientId}`,
        },
        { parent: this },
      );
      this.applicationIdUri = identifierUri.identifierUri;
    }

    const app = hostedApp(
      args.host,
      name,
      { hosting: args.hosting, appSettings: calleeAppSettings(args.calls ?? []) },
      this,
    );
    this.url = app.url;
    this.appName = app.name;
    this.principalId = app.principalId;
    this.endpoint = { name, url: this.url, applicationIdUri: this.applicationIdUri };

    const [allowedApplications, resolveAllowedApplications] = pulumi.deferredOutput<string[]>();
    this.resolveAllowedApplications = resolveAllowedApplications;
    this.authSettings = app.requireAuthentication(`${name}-auth`, {
      clientId: this.clientId,
      openIdIssuer: pulumi.interpolate`https://login.microsoftonline.com/${deployer.tenantId}/v2.0`,
      allowedAudiences: [this.applicationIdUri, this.clientId],
      allowedApplications,
    });

    this.devAccess =
      dev &&
      new DevAccess(
        `${name}-dev-access`,
        {
          access: dev,
          applicationId,
          servicePrincipalObjectId: this.servicePrincipalObjectId,
          scopeId: scopeId!,
          appRoleId: this.appRoleIds[args.appRoles[0]!.value]!,
        },
        { parent: this },
      );

    this.registerOutputs({
      clientId: this.clientId,
      applicationIdUri: this.applicationIdUri,
      url: this.url,
      // The same settings as the input: the policy pack judges a component by its outputs.
      ...(existing ? { existingApplication: existing.settings } : {}),
    });

    // Without seal() the allow-list never resolves, and a run waits for it until the engine kills
    // it (under the plan's mocks, Node exits with 13, an unsettled await). So the run fails with
    // one line instead, once the program's synchronous run is over. That point is taken from the
    // event loop, not from either runtime: Pulumi (cmd/run) and the plan's recorder both call the
    // program's main() and it declares everything before it returns, so a macrotask queued here
    // runs after main() returned under both, without hooks into the SDK, a timer length that a
    // slow machine could outrun, or a check that index.ts could forget to call as it forgot seal().
    setImmediate(() => this.failIfUnsealed());
  }

  /**
   * Fails the run when seal() has not been called, by resolving the allow-list to a RunError:
   * the authentication settings' registration fails with it, and Pulumi prints a RunError as its
   * message alone, without a stack trace.
   */
  private failIfUnsealed(): void {
    if (this.sealed) return;
    const admitted = this.grantees.length > 0 ? "allow() was called but seal() never was" : "seal() was never called";
    const line = `callee "${this.name}": ${admitted}; index.ts must seal every ProtectedApi`;
    this.unsealed = new pulumi.RunError(line);
    // The SDK puts the input an error came through in front of its message, in place (`error
    // serializing property "identityProviders": …`, runtime/rpc.js): the line stays as it is.
    Object.defineProperty(this.unsealed, "message", { get: () => line, set: () => {} });
    this.resolveAllowedApplications(pulumi.output(Promise.reject(this.unsealed)));
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
   * Admits a caller: it gets `role` (one of this API's app roles) as an app role assignment on
   * the service principal, the only way to obtain a token for it, and its client id joins
   * EasyAuth's allow-list once {@link ProtectedApi.seal} is called.
   */
  allow(grantee: Grantee, role: string): AppRoleGrant {
    if (this.sealed)
      throw new Error(`ProtectedApi "${this.name}": allow(${grantee.name}) after seal(); admit every caller first`);
    const appRoleId = this.appRoleIds[role];
    if (appRoleId === undefined) throw new pulumi.ResourceError(`${this.name} has no app role "${role}"`, this);
    this.grantees.push(grantee);
    // Callee names have no "_" (config refuses it): the last "_to_" splits "<grantee>_to_<callee>"
    // back into its two names, so no two grants collide.
    return new AppRoleGrant(
      `${grantee.name}_to_${this.name}`,
      { principalObjectId: grantee.identity.objectId, resourceObjectId: this.servicePrincipalObjectId, appRoleId },
      { parent: this },
    );
  }

  /**
   * Closes the list of callers: EasyAuth's allowed applications become the client ids of every
   * grantee allowed so far and the authorized developer tools. Once, after the last
   * {@link ProtectedApi.allow}, before the program's synchronous run ends; an API left unsealed
   * then fails the run with one line naming it.
   */
  seal(): void {
    // Too late: the run has failed with this error already, and throwing the same one keeps
    // Pulumi's report to that one line.
    if (this.unsealed) throw this.unsealed;
    if (this.sealed) throw new Error(`ProtectedApi "${this.name}": seal() must be called once`);
    this.sealed = true;
    const clientIds = [...this.grantees.map((g) => g.identity.clientId), ...this.developerClients];
    this.resolveAllowedApplications(
      // With nobody admitted, the API's own client id keeps the list from being empty,
      // which EasyAuth would read as "no restriction".
      pulumi.all(clientIds.length > 0 ? clientIds : [this.clientId]).apply((ids) => sortedByCodeUnits(new Set(ids))),
    );
  }
}
