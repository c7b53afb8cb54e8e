// The CLI e2e scripts use to set up a tenant, drift it behind Pulumi's back and count what a stack left.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { readState, scratchStatePath } from "../../twin/state.ts";

const ROOT = join(__dirname, "..", "..");

function twin(path: string, ...args: string[]) {
  const run = spawnSync(join(ROOT, "node_modules", ".bin", "node"), ["--disable-warning=ExperimentalWarning", join(ROOT, "twin", "cli.ts"), ...args], {
    env: { ...process.env, S2S_TWIN_STATE: path },
    encoding: "utf8",
  });
  return { code: run.status, out: run.stdout.trim(), err: run.stderr.trim() };
}

describe("node twin/cli.ts", () => {
  it("initialises a tenant, finds and drifts objects, and counts what remains", () => {
    const path = scratchStatePath();
    expect(twin(path, "init", "--subscription-id", "00000000-0000-0000-0000-0000000000aa").code).toBe(0);
    expect(readState(path).subscriptionId).toBe("00000000-0000-0000-0000-0000000000aa");
    expect(twin(path, "init").code).toBe(2);

    const graph = twin(path, "find", "servicePrincipals", "appId", "00000003-0000-0000-c000-000000000000").out;
    expect(twin(path, "set", `graph.servicePrincipals.${graph}.appRoleAssignmentRequired`, "true").code).toBe(0);
    expect(readState(path).graph.servicePrincipals[graph]?.appRoleAssignmentRequired).toBe(true);

    expect(twin(path, "count", "--expect-empty").code).toBe(0);
    const rg = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/left.over";
    expect(twin(path, "add-resource", rg, "Microsoft.Resources/resourceGroups").code).toBe(0);
    expect(twin(path, "set", `arm.resources."${rg.toLowerCase()}".properties.provisioningState`, '"Succeeded"').code).toBe(0);
    expect(readState(path).arm.resources[rg.toLowerCase()]?.properties).toEqual({ provisioningState: "Succeeded" });
    const left = twin(path, "count", "--expect-empty");
    expect(left.code).toBe(1);
    expect(JSON.parse(left.out)).toMatchObject({ arm: { total: 1, byType: { "Microsoft.Resources/resourceGroups": 1 } } });
  });
});
