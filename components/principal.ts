// Who can be granted a callee's role: the identity every caller kind shares, and the lookup of
// a managed identity in Entra ID while it replicates.
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "./azuread.ts";

/** A service principal as Entra ID knows it. */
export interface PrincipalRef {
  /** Object id: what app role assignments point at. */
  objectId: string;
  /** Client (application) id: what the `appid`/`azp` claim of its tokens carries. */
  clientId: string;
}

/**
 * Anything `ProtectedApi.allow()` can admit: a caller app, an existing identity, the CI
 * principal, or a callee that calls on.
 */
export interface Grantee {
  /**
   * What its grants are named after: `<name>_to_<callee>`. Site names have no '_', so a name with
   * one (the CI principal's `ci_principal`) never collides with a caller's.
   */
  readonly name: string;
  /** Its service principal once Entra ID serves it. */
  readonly identity: pulumi.Output<PrincipalRef>;
}

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where a lookup's waits are reported; `pulumi up` shows `pulumi.log.info` lines under the resource. */
export type Log = (message: string) => void;

/** Waits between lookups of a new identity: about four minutes in all. */
export const REPLICATION_BACKOFF_MS: readonly number[] = [
  5_000, 10_000, 20_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000,
];

/**
 * Whether a lookup failed because Entra ID does not serve the object (yet). azuread's
 * `getServicePrincipal` reports a 404 as `Service principal with object ID "…" was not found`
 * (terraform-provider-azuread, `service_principal_data_source.go`); Graph's own code for it is
 * `Request_ResourceNotFound`. Anything else (403 Authorization_RequestDenied, throttling, a
 * malformed id) is not replication and waiting would only hide it.
 */
export function isNotFound(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /\bnot found\b|ResourceNotFound/i.test(message);
}

/**
 * Calls `lookup` until it succeeds, sleeping between attempts as `backoffMs` says, as long as
 * the identity is merely "not found" (replication); after the last wait, fails with advice.
 * Any other error fails at once with the provider's message. Each wait is reported to `log`.
 * Separate from Pulumi so the retry policy is testable.
 */
export async function retryLookup(
  objectId: string,
  lookup: (objectId: string) => Promise<PrincipalRef>,
  sleep: Sleep = realSleep,
  backoffMs: readonly number[] = REPLICATION_BACKOFF_MS,
  log: Log = () => undefined,
): Promise<PrincipalRef> {
  const attempts = backoffMs.length + 1;
  for (let attempt = 0; ; attempt++) {
    try {
      return await lookup(objectId);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!isNotFound(err))
        throw new Error(`looking up managed identity ${objectId} in Entra ID failed: ${message}`, { cause: err });
      const wait = backoffMs[attempt];
      if (wait === undefined) {
        throw new Error(
          `managed identity ${objectId} is still not visible in Entra ID after ${attempt + 1} lookups ` +
            `(${message}). Entra replication can take several minutes: run \`pulumi up\` again.`,
          { cause: err },
        );
      }
      log(
        `managed identity ${objectId} not yet visible in Entra ID (lookup ${attempt + 1} of ${attempts}); ` +
          `next lookup in ${formatWait(wait)}`,
      );
      await sleep(wait);
    }
  }
}

function formatWait(ms: number): string {
  return ms >= 1_000 ? `${ms / 1_000} s` : `${ms} ms`;
}

/**
 * Looks up a managed identity's service principal in Entra ID, retrying while it replicates.
 *
 * A system-assigned identity is created by Azure Resource Manager; Entra ID may not serve it
 * for a minute or two. azuread's assignment create retries Graph's 404 and "Not a valid
 * reference update" itself (terraform-provider-azuread, `app_role_assignment_resource.go`),
 * but the program needs the identity's client id, which the callee's EasyAuth allow-list
 * needs and the site resource does not expose; every grant waits on this lookup too. Only
 * "not found" is retried; a permission error fails the resource at once with the provider's
 * message. Each wait is logged on `parent`, so a user watching `pulumi up` sees why it pauses.
 * `retry` overrides the waits (tests).
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
      return await retryLookup(objectId, lookup, retry.sleep, retry.backoffMs, (message) =>
        pulumi.log.info(message, parent),
      );
    } catch (err) {
      throw new pulumi.ResourceError((err as Error).message, parent, true);
    }
  });
}
