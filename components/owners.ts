import * as pulumi from "@pulumi/pulumi";
import { compareCodeUnits } from "../compare.ts";

/**
 * What Pulumi must never change on an app registration or service principal it created: its
 * owners. See {@link ownersAtCreation}.
 */
export const OWNERS_SET_AT_CREATION = "owners";

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
