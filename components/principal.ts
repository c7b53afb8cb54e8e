import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";

/** A service principal as Entra ID knows it. */
export interface PrincipalRef {
  /** Object id: what app role assignments point at. */
  objectId: string;
  /** Client (application) id: what the `appid`/`azp` claim of its tokens carries. */
  clientId: string;
}

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits between lookups of a new identity: about four minutes in all. */
export const REPLICATION_BACKOFF_MS: readonly number[] = [5_000, 10_000, 20_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000];

/**
 * Looks up a managed identity's service principal in Entra ID, retrying while it replicates.
 *
 * A system-assigned identity is created by Azure Resource Manager; Entra ID may not serve it
 * for a minute or two, and an app role assignment made before then fails with
 * `PrincipalNotFound`. Every grant waits on this lookup, so the first `pulumi up` succeeds.
 * It also yields the identity's client id, which the callee's EasyAuth allow-list needs and
 * the site resource does not expose.
 */
export function managedIdentityPrincipal(
  principalId: pulumi.Output<string>,
  parent: pulumi.Resource,
  sleep: Sleep = realSleep,
  backoffMs: readonly number[] = REPLICATION_BACKOFF_MS,
): pulumi.Output<PrincipalRef> {
  return principalId.apply(async (objectId) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const sp = await azuread.getServicePrincipal({ objectId }, { parent });
        return { objectId: sp.objectId, clientId: sp.clientId };
      } catch (err) {
        const wait = backoffMs[attempt];
        if (wait === undefined) {
          throw new pulumi.ResourceError(
            `managed identity ${objectId} is still not visible in Entra ID after ${backoffMs.length + 1} lookups ` +
              `(${(err as Error).message}). Entra replication can take several minutes: run \`pulumi up\` again.`,
            parent,
            true,
          );
        }
        await sleep(wait);
      }
    }
  });
}
