import * as pulumi from "@pulumi/pulumi";
import { managedIdentityPrincipal, retryLookup, REPLICATION_BACKOFF_MS } from "../components/principal.ts";

/** A lookup that finds the identity only after `failures` attempts. */
function replicatingAfter(failures: number) {
  const calls: string[] = [];
  const lookup = async (objectId: string) => {
    calls.push(objectId);
    if (calls.length <= failures) throw new Error(`Service principal with object ID "${objectId}" was not found`);
    return { objectId, clientId: "client-of-new-identity" };
  };
  return { calls, lookup };
}

test("waits for a new identity to replicate, then yields its object and client ids", async () => {
  const { calls, lookup } = replicatingAfter(2);
  const waits: number[] = [];
  const result = await retryLookup("new-identity", lookup, async (ms) => void waits.push(ms), [10, 20, 30]);
  expect(result).toEqual({ objectId: "new-identity", clientId: "client-of-new-identity" });
  expect(calls).toHaveLength(3);
  expect(waits).toEqual([10, 20]);
});

test("a visible identity is looked up once, without waiting", async () => {
  const { calls, lookup } = replicatingAfter(0);
  const waits: number[] = [];
  await retryLookup("old-identity", lookup, async (ms) => void waits.push(ms));
  expect(calls).toEqual(["old-identity"]);
  expect(waits).toEqual([]);
});

test("an identity that never shows up fails with the last error and advice to run pulumi up again", async () => {
  const { calls, lookup } = replicatingAfter(99);
  await expect(retryLookup("new-identity", lookup, async () => undefined, [1, 2])).rejects.toThrow(
    'managed identity new-identity is still not visible in Entra ID after 3 lookups (Service principal with object ID "new-identity" was not found). Entra replication can take several minutes: run `pulumi up` again.',
  );
  expect(calls).toHaveLength(3);
});

test("the default policy waits a few minutes in all, not seconds and not an hour", () => {
  const total = REPLICATION_BACKOFF_MS.reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThanOrEqual(2 * 60_000);
  expect(total).toBeLessThanOrEqual(10 * 60_000);
});

describe("managedIdentityPrincipal, under Pulumi's mock runtime", () => {
  // Every Output carries promise(), which rejects when an apply failed (plan/recorder.ts relies
  // on it too); apply alone would never run.
  const settled = (o: pulumi.Output<unknown>) => (o as unknown as { promise(): Promise<unknown> }).promise();
  const lookups: string[] = [];
  let visibleAfter = 0;

  beforeAll(async () => {
    await pulumi.runtime.setMocks({
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => {
        if (args.token !== "azuread:index/getServicePrincipal:getServicePrincipal") throw new Error(`unexpected call ${args.token}`);
        const objectId = String(args.inputs["objectId"]);
        lookups.push(objectId);
        if (lookups.length <= visibleAfter) throw new Error(`Service principal with object ID "${objectId}" was not found`);
        return { objectId, clientId: `client-of-${objectId}` };
      },
    });
  });
  beforeEach(() => (lookups.length = 0));

  const parent = () => new pulumi.ComponentResource("s2s-auth:test:Parent", "parent");

  test("yields the identity's object and client ids once Entra ID serves it", async () => {
    visibleAfter = 1;
    const waits: number[] = [];
    const identity = managedIdentityPrincipal(pulumi.output("mi-object-id"), parent(), { backoffMs: [7], sleep: async (ms) => void waits.push(ms) });
    await expect(settled(identity)).resolves.toEqual({ objectId: "mi-object-id", clientId: "client-of-mi-object-id" });
    expect(lookups).toEqual(["mi-object-id", "mi-object-id"]);
    expect(waits).toEqual([7]);
  });

  test("an identity that never shows up fails the resource with the advice, not a stack trace", async () => {
    visibleAfter = 99;
    const identity = managedIdentityPrincipal(pulumi.output("mi-object-id"), parent(), { backoffMs: [], sleep: async () => undefined });
    // An Output's isKnown and isSecret reject with its value; Pulumi observes them when it
    // reports the resource's error. Observe them here, or jest fails the test as unhandled.
    const internals = identity as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean> };
    internals.isKnown.catch(() => undefined);
    internals.isSecret.catch(() => undefined);
    const error = await settled(identity).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(pulumi.ResourceError);
    expect((error as pulumi.ResourceError).message).toMatch(/^managed identity mi-object-id is still not visible in Entra ID after 1 lookups .*run `pulumi up` again\.$/);
    // hideStack: Pulumi prints the message alone.
    expect((error as pulumi.ResourceError).hideStack).toBe(true);
  });
});
