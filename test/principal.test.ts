import { retryLookup, REPLICATION_BACKOFF_MS } from "../components/principal.ts";

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
