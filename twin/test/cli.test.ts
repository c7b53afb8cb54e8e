// The twin CLI's commands (twin/src/commands.ts), which e2e scripts use to set up a tenant, drift it behind
// Pulumi's back and count what a stack left; run in this process, as the e2e workspace runs them.
import { twinCommand } from "../src/commands.ts";
import { readState, readWorld, scratchStatePath } from "../src/state.ts";

function twin(path: string, ...args: string[]) {
  const run = twinCommand(args, path);
  return { code: run.code, out: run.stdout.trim(), err: run.stderr.trim() };
}

describe("the twin CLI's commands", () => {
  it("initialises a tenant, finds and drifts objects, and counts what remains", () => {
    const path = scratchStatePath();
    expect(twin(path, "init", "--subscription-id", "00000000-0000-0000-0000-0000000000aa").code).toBe(0);
    expect(readState(path).subscriptionId).toBe("00000000-0000-0000-0000-0000000000aa");
    const again = twin(path, "init");
    expect(again.code).toBe(2);
    expect(again.err).toBe(`twin: ${path} exists; pass --force to start a new tenant`);

    const graph = twin(path, "find", "servicePrincipals", "appId", "00000003-0000-0000-c000-000000000000").out;
    expect(twin(path, "set", `graph.servicePrincipals.${graph}.appRoleAssignmentRequired`, "true").code).toBe(0);
    expect(readState(path).graph.servicePrincipals[graph]?.appRoleAssignmentRequired).toBe(true);

    expect(twin(path, "count", "--expect-empty").code).toBe(0);
    const rg = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/left.over";
    expect(twin(path, "add-resource", rg, "Microsoft.Resources/resourceGroups").code).toBe(0);
    expect(
      twin(path, "set", `arm.resources."${rg.toLowerCase()}".properties.provisioningState`, '"Succeeded"').code,
    ).toBe(0);
    expect(readState(path).arm.resources[rg.toLowerCase()]?.properties).toEqual({ provisioningState: "Succeeded" });
    const left = twin(path, "count", "--expect-empty");
    expect(left.code).toBe(1);
    expect(JSON.parse(left.out)).toMatchObject({
      arm: { total: 1, byType: { "Microsoft.Resources/resourceGroups": 1 } },
    });
  });

  it("deploys as a principal that holds what the tenant assigned to it, and nothing else", () => {
    const path = scratchStatePath();
    const sub = "00000000-0000-0000-0000-0000000000bb";
    twin(path, "init", "--subscription-id", sub);
    const state = readState(path);
    const graph = Object.values(state.graph.servicePrincipals).find(
      (sp) => sp.appId === "00000003-0000-0000-c000-000000000000",
    )!;
    const sp = "5a1d6b4e-0000-4000-8000-00000000d3d3";
    const contributor =
      `/subscriptions/${sub}/providers/Microsoft.Authorization/` +
      `roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`;
    const assignment =
      `/subscriptions/${sub}/providers/Microsoft.Authorization/` +
      `roleAssignments/0b6d0000-0000-4000-8000-000000000001`;
    const other =
      `/subscriptions/${sub}/providers/Microsoft.Authorization/` +
      `roleAssignments/0b6d0000-0000-4000-8000-000000000002`;
    const appRole = (value: string) =>
      String(((graph.appRoles ?? []) as { id: string; value: string }[]).find((r) => r.value === value)!.id);
    for (const [key, value] of [
      [
        `graph.servicePrincipals.${sp}`,
        { id: sp, appId: "5a1d6b4e-0000-4000-8000-00000000a99a", servicePrincipalType: "Application" },
      ],
      [
        `arm.resources."${assignment.toLowerCase()}"`,
        {
          id: assignment,
          type: "Microsoft.Authorization/roleAssignments",
          properties: { principalId: sp, roleDefinitionId: contributor },
        },
      ],
      [
        `arm.resources."${other.toLowerCase()}"`,
        {
          id: other,
          type: "Microsoft.Authorization/roleAssignments",
          properties: { principalId: "someone-else", roleDefinitionId: contributor },
        },
      ],
      [
        "graph.appRoleAssignments.a1",
        { id: "a1", principalId: sp, resourceId: graph.id, appRoleId: appRole("Application.Read.All") },
      ],
      [
        "graph.appRoleAssignments.a2",
        { id: "a2", principalId: "someone-else", resourceId: graph.id, appRoleId: appRole("Directory.ReadWrite.All") },
      ],
    ] as const) {
      expect(twin(path, "set", key, JSON.stringify(value)).code).toBe(0);
    }
    expect(twin(path, "deployer", "--as", sp).code).toBe(0);
    expect(readState(path).deployer).toEqual({
      servicePrincipalId: sp,
      azureRoles: [{ role: "Contributor", scope: `/subscriptions/${sub}` }],
      graphAppRoles: ["Application.Read.All"],
    });
    expect(twin(path, "deployer", "--as", "not-there").code).toBe(2);
  });

  it("answers --help with its usage (exit 0) and a wrong command line with one line (exit 64)", () => {
    const path = scratchStatePath();
    const help = twinCommand(["--help"], path);
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toMatch(/\nUsage:\n {2}npm run twin -- /);
    expect(help.stdout).toMatch(/\n +64 {2}wrong command line\n/);
    // Every command, the tenant option and the data plane's exit code are on it.
    expect(help.stdout).toContain("npm run twin -- [--tenant <guid>] <command>");
    for (const command of ["add-tenant", "add-subscription", "tenants", "request", "add-repository", "hand-made"])
      expect(help.stdout).toContain(`\n  ${command} `);
    expect(help.stdout).toMatch(/\n +3 {2}the data plane refused the request\n/);
    expect(twin(path, "frobnicate")).toEqual({
      code: 64,
      out: "",
      err: "twin: unknown command 'frobnicate' (see npm run twin -- --help)",
    });
    expect(twin(path, "set", "only.a.path")).toEqual({
      code: 64,
      out: "",
      err: "twin: set needs <path> <value> (see npm run twin -- --help)",
    });
    expect(twin(path, "--tenant", "d0000000-0000-4000-8000-000000000001", "frobnicate").code).toBe(64);
    expect(twin(path, "count", "--tenant")).toEqual({
      code: 64,
      out: "",
      err: "twin: --tenant needs a value (see npm run twin -- --help)",
    });
  });

  it("without a tenant says so in one line (exit 2), before any command runs", () => {
    const saved = process.env.S2S_TWIN_STATE;
    delete process.env.S2S_TWIN_STATE;
    try {
      const run = twinCommand(["count"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^twin: S2S_TWIN_STATE is not set: [^\n]*\n$/);
    } finally {
      if (saved !== undefined) process.env.S2S_TWIN_STATE = saved;
    }
  });

  it("adds tenants and subscriptions, and acts on the tenant --tenant names", () => {
    const path = scratchStatePath();
    twin(path, "init", "--tenant-id", "d0000000-0000-4000-8000-000000000001");
    const prod = "e0000000-0000-4000-8000-000000000002";
    expect(
      twin(path, "add-tenant", "--tenant-id", prod, "--subscription-id", "5e000000-0000-4000-8000-000000000002"),
    ).toEqual({ code: 0, out: prod, err: "" });
    expect(twin(path, "add-tenant", "--tenant-id", prod).err).toBe(`twin: tenant ${prod} exists`);
    expect(twin(path, "--tenant", prod, "add-subscription", "5e000000-0000-4000-8000-000000000003").code).toBe(0);
    expect(twin(path, "add-subscription", "5e000000-0000-4000-8000-000000000003").err).toBe(
      `twin: subscription 5e000000-0000-4000-8000-000000000003 is already tenant ${prod}'s`,
    );
    expect(readState(path, prod).subscriptions).toEqual([
      "5e000000-0000-4000-8000-000000000002",
      "5e000000-0000-4000-8000-000000000003",
    ]);
    expect(JSON.parse(twin(path, "tenants").out)).toMatchObject([
      { tenantId: "d0000000-0000-4000-8000-000000000001", default: true },
      { tenantId: prod, default: false, subscriptionId: "5e000000-0000-4000-8000-000000000002" },
    ]);
    const user = twin(path, "--tenant", prod, "add-user", "ops@prod.example").out;
    expect(readState(path, prod).graph.users[user]?.userPrincipalName).toBe("ops@prod.example");
    expect(readState(path).graph.users[user]).toBeUndefined();
    expect(twin(path, "--tenant", prod, "show", "tenantId").out).toBe(JSON.stringify(prod));
    expect(twin(path, "--tenant", prod, "find", "users", "userPrincipalName", "ops@prod.example").out).toBe(user);
    const rg = "/subscriptions/5e000000-0000-4000-8000-000000000002/resourceGroups/left";
    twin(path, "--tenant", prod, "add-resource", rg, "Microsoft.Resources/resourceGroups");
    // count adds every tenant up, or counts the one named.
    expect(JSON.parse(twin(path, "count").out).arm.total).toBe(1);
    expect(JSON.parse(twin(path, "--tenant", "d0000000-0000-4000-8000-000000000001", "count").out).arm.total).toBe(0);
  });

  it("makes and removes a hand-made setup in the tenant --tenant names, leaving the others alone", () => {
    const path = scratchStatePath();
    twin(path, "init");
    const prod = twin(path, "add-tenant", "--subscription-id", "5e000000-0000-4000-8000-000000000009").out;
    const made = JSON.parse(twin(path, "--tenant", prod, "hand-made", "legacy").out) as { calleeSite: string };
    expect(made.calleeSite).toMatch(
      /^\/subscriptions\/5e000000-0000-4000-8000-000000000009\/resourceGroups\/legacy-rg\//,
    );
    const names = (tenant?: string) =>
      Object.values(readState(path, tenant).graph.applications).map((a) => a.displayName);
    expect(names(prod)).toContain("legacy-callee");
    expect(names()).not.toContain("legacy-callee");
    expect(JSON.parse(twin(path, "--tenant", readWorld(path).defaultTenantId, "count").out).arm.total).toBe(0);
    expect(twin(path, "--tenant", prod, "hand-made", "legacy", "--remove").code).toBe(0);
    expect(twin(path, "count", "--expect-empty").code).toBe(0);
  });

  it("seeds GitHub: repositories, users and teams, and shows or drifts what it keeps", () => {
    const path = scratchStatePath();
    twin(path, "init");
    const repo = Number(twin(path, "add-repository", "contoso/s2s-auth").out);
    const alice = Number(twin(path, "add-github-user", "alice").out);
    const team = Number(twin(path, "add-github-team", "maintainers", "alice").out);
    expect(twin(path, "add-github-team", "x", "nobody").err).toBe("twin: no GitHub user nobody");
    expect(readWorld(path).github).toMatchObject({
      repositories: { "contoso/s2s-auth": { id: repo, owner: "contoso", name: "s2s-auth" } },
      accounts: {
        [alice]: { id: alice, login: "alice", type: "User" },
        [team]: { id: team, login: "maintainers", type: "Team", members: [alice] },
      },
    });
    const variables = 'github.repositories."contoso/s2s-auth".variables';
    expect(twin(path, "set", `${variables}.X`, '{"name":"X","value":"1"}').code).toBe(0);
    expect(JSON.parse(twin(path, "show", `${variables}.X`).out)).toEqual({ name: "X", value: "1" });
    expect(twin(path, "unset", `${variables}.X`).code).toBe(0);
    expect(twin(path, "unset", `${variables}.X`).err).toBe(`twin: nothing at ${variables}.X`);
  });
});

// Issue 23, item 9: `set __proto__.x` once walked into Object.prototype (every object in the process
// then carried `x`), and `constructor`/`prototype` reach the same place through a function.
describe("set and unset refuse path segments that reach a prototype", () => {
  it.each(["__proto__.polluted", "graph.__proto__.polluted", "graph.constructor.prototype.polluted", "prototype"])(
    "refuses %s, changes nothing and pollutes nothing",
    (path) => {
      const state = scratchStatePath();
      twin(state, "init");
      const before = readState(state);
      for (const args of [
        ["set", path, "true"],
        ["unset", path],
      ]) {
        const run = twin(state, ...args);
        expect(run).toEqual({
          code: 2,
          out: "",
          err: `twin: refusing path ${path}: __proto__, constructor and prototype are never path segments`,
        });
      }
      expect(readState(state)).toEqual(before);
      expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    },
  );
});
