// The program's own resources, as its offline plan declares them, against the twin: every type and
// input the program uses must be accepted, and a destroy must leave nothing but soft-deleted objects.
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withState, type JsonObject } from "../../twin/state.ts";
import { freshTwin } from "./fixture.ts";
import { Replay } from "./replay.ts";

const ROOT = join(__dirname, "..", "..");

function plan(args: string[]): string {
  const out = join(tmpdir(), `twin-plan-${process.pid}-${args.join("-").replace(/[^a-z0-9]+/gi, "_")}.json`);
  execFileSync(join(ROOT, "node_modules", ".bin", "node"), ["--stack-trace-limit=1", join(ROOT, "plan", "cli.ts"), ...args, "--json", out], { cwd: ROOT, stdio: "ignore" });
  return out;
}

describe("the program against the twin", () => {
  it.each([
    ["dev", ["--stack", "dev"]],
    ["prod", ["--stack", "prod"]],
    ["mixed hosts", ["--config", "examples/Pulumi.mixed.yaml"]],
  ])("%s: creates every declared resource, converges, and destroys it without leftovers", async (_name, args) => {
    const twin = freshTwin();
    withState((state) => {
      state.graph.users["0c8a6f3e-0000-4000-8000-00000000000d"] = { id: "0c8a6f3e-0000-4000-8000-00000000000d", userPrincipalName: "developer@contoso.example", displayName: "Developer" };
      state.graph.groups["11111111-2222-3333-4444-555555555555"] = { id: "11111111-2222-3333-4444-555555555555", displayName: "developers", members: [] };
      // The mixed example's external caller: a VM's managed identity that exists outside the stack.
      const vm = "aaaaaaaa-1111-2222-3333-444444444444";
      state.graph.servicePrincipals[vm] = { id: vm, appId: "aaaaaaaa-1111-2222-3333-555555555555", displayName: "batch-vm", servicePrincipalType: "ManagedIdentity", appRoles: [], tags: [] };
    });
    const replay = new Replay(twin);
    await replay.up(plan(args));
    const state = twin.state();
    expect(replay.created.length).toBeGreaterThan(10);
    for (const site of replay.created.filter((c) => c.type === "azure-native:web:WebApp")) {
      const principalId = String((site.outs.identity as JsonObject).principalId);
      expect(state.graph.servicePrincipals[principalId]?.servicePrincipalType).toBe("ManagedIdentity");
    }
    // A second up (refresh, then diff) finds nothing to change.
    expect(await replay.changed()).toEqual([]);
    await replay.destroy();
    const after = twin.state();
    expect(Object.values(after.arm.resources).map((r) => r.type)).toEqual([]);
    expect(Object.keys(after.graph.applications)).toHaveLength(1); // the deployer's own
    expect(Object.keys(after.graph.appRoleAssignments)).toEqual([]);
    expect(Object.values(after.graph.servicePrincipals).filter((sp) => sp.servicePrincipalType === "ManagedIdentity").map((sp) => sp.displayName)).toEqual(["batch-vm"]);
    expect(Object.keys(after.graph.federatedIdentityCredentials)).toEqual([]);
    expect(Object.keys(after.graph.deletedItems).length).toBeGreaterThan(0);
  }, 60_000);
});
