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
 * Calls `lookup` until it succeeds, sleeping between attempts as `backoffMs` says; after the
 * last wait, fails with advice. Separate from Pulumi so the retry policy is testable.
 */
export async function retryLookup(
  objectId: string,
  lookup: (objectId: string) => Promise<PrincipalRef>,
  sleep: Sleep = realSleep,
  backoffMs: readonly number[] = REPLICATION_BACKOFF_MS,
): Promise<PrincipalRef> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await lookup(objectId);
    } catch (err) {
      const wait = backoffMs[attempt];
      if (wait === undefined) {
        throw new Error(
          `managed identity ${objectId} is still not visible in Entra ID after ${attempt + 1} lookups ` +
            `(${err instanceof Error ? err.message : String(err)}). Entra replication can take several minutes: run \`pulumi up\` again.`,
        );
      }
      await sleep(wait);
    }
  }
}

/**
 * Looks up a managed identity's service principal in Entra ID, retrying while it replicates.
 *
 * A system-assigned identity is created by Azure Resource Manager; Entra ID may not serve it
 * for a minute or two, and an app role assignment made before then fails with
 * `PrincipalNotFound`. Every grant waits on this lookup, so the first `pulumi up` succeeds.
 * It also yields the identity's client id, which the callee's EasyAuth allow-list needs and
 * the site resource does not expose. `retry` overrides the waits (tests).
 */
export function managedIdentityPrincipal(
  principalId: pulumi.Output<string>,
  parent: pulumi.Resource,
  retry: { sleep?: Sleep; backoffMs?: readonly number[] } = {},
): pulumi.Output<PrincipalRef> {
  return principalId.apply(async (objectId) => {
    try {
      const lookup = async (id: string) => {
        const sp = await azuread.getServicePrincipal({ objectId: id }, { parent });
        return { objectId: sp.objectId, clientId: sp.clientId };
      };
      return await retryLookup(objectId, lookup, retry.sleep, retry.backoffMs);
    } catch (err) {
      throw new pulumi.ResourceError((err as Error).message, parent, true);
    }
  });
}
