// The state file is shared by two plugin processes, the CLI and the Entra runtime: one reader for all,
// and writes must neither interleave nor wedge.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  StateError,
  allTenants,
  newTenant,
  newWorld,
  readState,
  readWorld,
  scratchStatePath,
  subscriptionsOf,
  tenantOfSubscription,
  withState,
  writeStateAtomically,
} from "../src/state.ts";

const TWIN = join(import.meta.dirname, "..");
const NODE = process.execPath;

function writer(path: string, tag: string, count: number): Promise<number | null> {
  const script = `import { withState } from ${JSON.stringify(join(TWIN, "src", "state.ts"))};
for (let i = 0; i < ${count}; i++)
  withState((s) => { s.graph.users["${tag}" + i] = { id: "${tag}" + i }; }, ${JSON.stringify(path)});`;
  const child = spawn(NODE, ["--disable-warning=ExperimentalWarning", "--input-type=module", "-e", script], {
    stdio: "inherit",
  });
  return new Promise((resolve) => child.on("exit", resolve));
}

describe("the twin's state file", () => {
  it("loses no write when two processes change it at once", async () => {
    const path = scratchStatePath();
    writeStateAtomically(path, newTenant());
    expect(await Promise.all([writer(path, "a", 40), writer(path, "b", 40)])).toEqual([0, 0]);
    expect(Object.keys(readState(path).graph.users)).toHaveLength(80);
  }, 30_000);

  it("takes over a lock left by a process that died holding it", () => {
    const path = scratchStatePath();
    writeStateAtomically(path, newTenant());
    const dead = spawnSync(NODE, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    writeFileSync(`${path}.lock`, dead);
    withState((s) => {
      s.graph.users.u = { id: "u", userPrincipalName: "u@contoso.example" };
    }, path);
    expect(readState(path).graph.users.u).toEqual({ id: "u", userPrincipalName: "u@contoso.example" });
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it("leaves the file as it was when a change fails", () => {
    const path = scratchStatePath();
    writeStateAtomically(path, newTenant());
    expect(() =>
      withState((s) => {
        s.graph.users.u = { id: "u", userPrincipalName: "u@contoso.example" };
        throw new Error("refused");
      }, path),
    ).toThrow("refused");
    expect(readState(path).graph.users).toEqual({});
  });

  it("reads a hand-written tenant with collections left out as empty, and refuses a file without a tenant", () => {
    const path = scratchStatePath();
    writeFileSync(path, JSON.stringify({ tenantId: "t", graph: { users: { u: { id: "u" } } } }));
    const state = readState(path);
    expect(state.arm.resources).toEqual({});
    expect(state.graph.users).toEqual({ u: { id: "u" } });
    expect(state.graph.applications).toEqual({});
    expect(state.graph.deletedItems).toEqual({});
    writeFileSync(path, JSON.stringify({ graph: {} }));
    expect(() => readState(path)).toThrow(new StateError(`the twin's state file ${path} has no tenantId`));
    writeFileSync(path, "{");
    expect(() => readState(path)).toThrow(/^cannot read the twin's state file .*JSON/);
    expect(() => readState(`${path}.missing`)).toThrow(/does not exist: run node twin\/src\/cli.ts init$/);
  });

  it("holds several tenants, each its own directory and subscriptions, and reads a one-tenant file as a world", () => {
    const path = scratchStatePath();
    const dev = newTenant("d0000000-0000-4000-8000-000000000001", "5d000000-0000-4000-8000-000000000001");
    const prod = newTenant("e0000000-0000-4000-8000-000000000002", "5e000000-0000-4000-8000-000000000002");
    writeStateAtomically(path, newWorld(dev, prod));
    expect(readState(path).tenantId).toBe(dev.tenantId);
    expect(readState(path, prod.tenantId.toUpperCase()).subscriptionId).toBe(prod.subscriptionId);
    withState((s) => (s.graph.users.u = { id: "u", userPrincipalName: "u@prod.example" }), path, prod.tenantId);
    expect(readState(path, prod.tenantId).graph.users.u).toBeDefined();
    expect(readState(path).graph.users.u).toBeUndefined();
    expect(() => readState(path, "f0000000-0000-4000-8000-000000000009")).toThrow(/has no tenant f0000000/);

    const world = readWorld(path);
    const tenants = allTenants(world.tenants[dev.tenantId]!);
    expect(tenants.map((t) => t.tenantId)).toEqual([dev.tenantId, prod.tenantId]);
    expect(tenantOfSubscription(tenants, prod.subscriptionId.toUpperCase())?.tenantId).toBe(prod.tenantId);
    // A scope made outside the stacks in another subscription makes that subscription the tenant's.
    const state = world.tenants[dev.tenantId]!;
    state.arm.resources["/subscriptions/5d000000-0000-4000-8000-00000000000f"] = {
      id: "/subscriptions/5d000000-0000-4000-8000-00000000000F",
      name: "x",
      type: "Microsoft.Resources/subscriptions",
      properties: {},
    };
    expect(subscriptionsOf(state)).toEqual([dev.subscriptionId, "5d000000-0000-4000-8000-00000000000f"]);

    writeFileSync(path, JSON.stringify({ tenantId: "t", subscriptionId: "s" }));
    const old = readWorld(path);
    expect(old.defaultTenantId).toBe("t");
    expect(old.tenants.t?.subscriptions).toEqual(["s"]);
    expect(old.github).toEqual({ accounts: {}, repositories: {}, lastId: 0 });
  });
});
