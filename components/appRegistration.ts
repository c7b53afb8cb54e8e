// The settings every app registration and service principal of this repository shares (the
// callees', the CI principal's, the pipeline's identities'): single tenant, no implicit grant,
// a hidden service principal, owners set once at creation.
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "./azuread.ts";
import { compareCodeUnits } from "../model/compare.ts";

/**
 * What Pulumi must never change on an app registration or service principal it created: its
 * owners. See {@link ownersAtCreation}.
 */
const OWNERS_SET_AT_CREATION = "owners";

/**
 * The owners an app registration or service principal is created with: the configured owners
 * (`s2s-auth:owners`) and the identity creating it, sorted so the input is the same on every
 * machine.
 *
 * Declared with `ignoreChanges: ["owners"]` ({@link OWNERS_SET_AT_CREATION}), so this list
 * counts once, at creation: when someone else runs Pulumi later (a person first, CI after),
 * the owners do not flip to the new deployer, and a deployer holding only
 * `Application.ReadWrite.OwnedBy` is not asked to change objects it may not own. azuread's
 * update touches owners only when they changed (terraform-provider-azuread,
 * `service_principal_resource.go` / `application_resource.go`: `d.HasChange("owners")`), and
 * its create adds the caller as first owner and removes it unless listed; listing it keeps it.
 */
export function ownersAtCreation(
  configured: readonly string[],
  deployer: pulumi.Input<string>,
): pulumi.Output<string[]> {
  return pulumi.output(deployer).apply((id) => {
    // Object ids compare without case; each is kept as written (the offline plan's placeholder
    // for the deployer's id must survive as it is).
    const byKey = new Map<string, string>();
    for (const owner of [...configured, id]) if (!byKey.has(owner.toLowerCase())) byKey.set(owner.toLowerCase(), owner);
    return [...byKey.values()].sort(compareCodeUnits);
  });
}

/** What differs between the app registrations: the rest is {@link appRegistration}'s. */
export interface AppRegistrationArgs {
  /** Unique per stack, e.g. `the-callee-dev`. */
  displayName: pulumi.Input<string>;
  /**
   * From {@link ownersAtCreation}: set on the app and its service principal, never changed after.
   * Without it the provider's default applies (the creator alone) and later changes count.
   */
  owners?: pulumi.Input<string[]>;
  /** The app's own inputs: roles, scopes, notes, tags. */
  application?: Omit<azuread.ApplicationArgs, "displayName" | "signInAudience" | "owners" | "web">;
  /** The service principal's own inputs, e.g. `appRoleAssignmentRequired`. */
  servicePrincipal?: Omit<azuread.ServicePrincipalArgs, "clientId" | "owners" | "featureTags">;
  /** Further inputs of the app that Pulumi must leave alone once created. */
  ignoreChanges?: string[];
}

/**
 * An app registration (`${name}-app`) and its service principal (`${name}-sp`), children of
 * `parent`. Single tenant; tokens come only from the token endpoint (implicit grant off, for
 * access and ID tokens); the service principal is hidden from users ("Visible to users? No",
 * not in My Apps) and listed under Enterprise applications.
 */
export function appRegistration(
  name: string,
  args: AppRegistrationArgs,
  parent: pulumi.Resource,
): { application: azuread.Application; servicePrincipal: azuread.ServicePrincipal } {
  const owned = args.owners !== undefined;
  const options = (ignoreChanges: string[]) => {
    const all = [...ignoreChanges, ...(owned ? [OWNERS_SET_AT_CREATION] : [])];
    return all.length > 0 ? { parent, ignoreChanges: all } : { parent };
  };
  const application = new azuread.Application(
    `${name}-app`,
    {
      displayName: args.displayName,
      signInAudience: "AzureADMyOrg",
      ...(owned ? { owners: args.owners } : {}),
      ...args.application,
      web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
    },
    options(args.ignoreChanges ?? []),
  );
  const servicePrincipal = new azuread.ServicePrincipal(
    `${name}-sp`,
    {
      clientId: application.clientId,
      ...args.servicePrincipal,
      ...(owned ? { owners: args.owners } : {}),
      featureTags: [{ hide: true, enterprise: true }],
    },
    options([]),
  );
  return { application, servicePrincipal };
}
