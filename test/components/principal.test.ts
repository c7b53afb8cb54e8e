// Looking up a new managed identity in Entra ID while it replicates (components/principal.ts):
// which errors are waited out, how long, and what the user sees meanwhile.
import * as pulumi from "@pulumi/pulumi";
import {
  isNotFound,
  managedIdentityPrincipal,
  retryLookup,
  REPLICATION_BACKOFF_MS,
} from "../../components/principal.ts";

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
    "managed identity new-identity is still not visible in Entra ID after 3 lookups " +
      '(Service principal with object ID "new-identity" was not found). ' +
      "Entra replication can take several minutes: run `pulumi up` again.",
  );
  expect(calls).toHaveLength(3);
});

// What azuread's getServicePrincipal reports when the deployer lacks Application.Read.All.
const DENIED =
  'Retrieving service principal with object ID "mi": unexpected status 403 with OData error: ' +
  "Authorization_RequestDenied: Insufficient privileges to complete the operation.";

test("a permission error fails at once with the provider's message: no wait, no blame on replication", async () => {
  const calls: string[] = [];
  const waits: number[] = [];
  const lookup = async (objectId: string) => {
    calls.push(objectId);
    throw new Error(DENIED);
  };
  const error = await retryLookup("mi", lookup, async (ms) => void waits.push(ms), [10, 20]).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error?.message).toBe(`looking up managed identity mi in Entra ID failed: ${DENIED}`);
  expect(error?.message).not.toMatch(/replication|pulumi up/);
  expect(calls).toEqual(["mi"]);
  expect(waits).toEqual([]);
});

test("a permission error after a few not-found lookups still fails at once", async () => {
  let calls = 0;
  const lookup = async (objectId: string) => {
    calls++;
    throw new Error(calls < 3 ? `Service principal with object ID "${objectId}" was not found` : DENIED);
  };
  await expect(retryLookup("mi", lookup, async () => undefined, [1, 1, 1, 1, 1])).rejects.toThrow(DENIED);
  expect(calls).toBe(3);
});

test("each wait is logged: which identity, which lookup of how many, the next wait", async () => {
  const { lookup } = replicatingAfter(2);
  const logged: string[] = [];
  await retryLookup(
    "new-identity",
    lookup,
    async () => undefined,
    [5_000, 10_000, 20_000],
    (m) => void logged.push(m),
  );
  expect(logged).toEqual([
    "managed identity new-identity not yet visible in Entra ID (lookup 1 of 4); next lookup in 5 s",
    "managed identity new-identity not yet visible in Entra ID (lookup 2 of 4); next lookup in 10 s",
  ]);
});

test("waits of a second or more are logged in seconds, shorter ones in milliseconds", async () => {
  const { lookup } = replicatingAfter(2);
  const logged: string[] = [];
  await retryLookup(
    "mi",
    lookup,
    async () => undefined,
    [1_000, 999],
    (m) => void logged.push(m),
  );
  expect(logged.map((m) => m.slice(m.indexOf("next lookup")))).toEqual(["next lookup in 1 s", "next lookup in 999 ms"]);
});

test.each([
  ['Service principal with object ID "x" was not found', true],
  [
    "Request_ResourceNotFound: Resource 'x' does not exist " +
      "or one of its queried reference-property objects are not present.",
    true,
  ],
  [DENIED, false],
  ["unexpected status 429: Too many requests", false],
  ["invalid object ID", false],
])("isNotFound(%j) is %s", (message, expected) => {
  expect(isNotFound(new Error(message))).toBe(expected);
});

test("the default policy waits a few minutes in all, not seconds and not an hour", () => {
  const total = REPLICATION_BACKOFF_MS.reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThanOrEqual(2 * 60_000);
  expect(total).toBeLessThanOrEqual(10 * 60_000);
});

/** A failed invoke as the monitor reports it: the SDK rethrows `new Error(err.details)` (runtime/invoke.js). */
function grpcError(message: string): Error {
  return Object.assign(new Error(message), { details: message });
}

describe("managedIdentityPrincipal, under Pulumi's mock runtime", () => {
  // Every Output carries promise(), which rejects when an apply failed (tools/plan/recorder.ts relies
  // on it too); apply alone would never run.
  const settled = (o: pulumi.Output<unknown>) => (o as unknown as { promise(): Promise<unknown> }).promise();
  const lookups: string[] = [];
  let visibleAfter = 0;
  let denied = false;

  beforeAll(async () => {
    await pulumi.runtime.setMocks({
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => {
        if (args.token !== "azuread:index/getServicePrincipal:getServicePrincipal")
          throw new Error(`unexpected call ${args.token}`);
        const objectId = String(args.inputs["objectId"]);
        lookups.push(objectId);
        if (denied) throw grpcError(DENIED);
        if (lookups.length <= visibleAfter)
          throw grpcError(`Service principal with object ID "${objectId}" was not found`);
        return { objectId, clientId: `client-of-${objectId}` };
      },
    });
  });
  beforeEach(() => {
    lookups.length = 0;
    denied = false;
  });
  afterEach(() => jest.restoreAllMocks());

  /** Observes an Output that is expected to fail; see below why isKnown and isSecret too. */
  const failureOf = async (o: pulumi.Output<unknown>) => {
    const internals = o as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean> };
    internals.isKnown.catch(() => undefined);
    internals.isSecret.catch(() => undefined);
    return settled(o).then(
      () => undefined,
      (e: unknown) => e,
    );
  };

  const parent = () => new pulumi.ComponentResource("s2s-auth:test:Parent", "parent");

  test("yields the identity's object and client ids once Entra ID serves it, logging each wait on it", async () => {
    visibleAfter = 1;
    const info = jest.spyOn(pulumi.log, "info").mockImplementation(async () => undefined);
    const waits: number[] = [];
    const owner = parent();
    const identity = managedIdentityPrincipal(pulumi.output("mi-object-id"), owner, {
      backoffMs: [7],
      sleep: async (ms) => void waits.push(ms),
    });
    await expect(settled(identity)).resolves.toEqual({ objectId: "mi-object-id", clientId: "client-of-mi-object-id" });
    expect(lookups).toEqual(["mi-object-id", "mi-object-id"]);
    expect(waits).toEqual([7]);
    expect(info.mock.calls).toEqual([
      ["managed identity mi-object-id not yet visible in Entra ID (lookup 1 of 2); next lookup in 7 ms", owner],
    ]);
  });

  test("a permission error fails the resource at once with the provider's message", async () => {
    denied = true;
    const waits: number[] = [];
    const identity = managedIdentityPrincipal(pulumi.output("mi-object-id"), parent(), {
      backoffMs: [7, 7],
      sleep: async (ms) => void waits.push(ms),
    });
    const error = await failureOf(identity);
    expect(error).toBeInstanceOf(pulumi.ResourceError);
    expect((error as pulumi.ResourceError).message).toBe(
      `looking up managed identity mi-object-id in Entra ID failed: ${DENIED}`,
    );
    expect((error as pulumi.ResourceError).hideStack).toBe(true);
    expect(lookups).toEqual(["mi-object-id"]);
    expect(waits).toEqual([]);
  });

  test("an identity that never shows up fails the resource with the advice, not a stack trace", async () => {
    visibleAfter = 99;
    const identity = managedIdentityPrincipal(pulumi.output("mi-object-id"), parent(), {
      backoffMs: [],
      sleep: async () => undefined,
    });
    // An Output's isKnown and isSecret reject with its value; Pulumi observes them when it
    // reports the resource's error. Observe them here, or the test runner reports them as unhandled.
    const internals = identity as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean> };
    internals.isKnown.catch(() => undefined);
    internals.isSecret.catch(() => undefined);
    const error = await settled(identity).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(pulumi.ResourceError);
    expect((error as pulumi.ResourceError).message).toMatch(
      /^managed identity mi-object-id is still not visible in Entra ID after 1 lookups .*run `pulumi up` again\.$/,
    );
    // hideStack: Pulumi prints the message alone.
    expect((error as pulumi.ResourceError).hideStack).toBe(true);
  });
});
