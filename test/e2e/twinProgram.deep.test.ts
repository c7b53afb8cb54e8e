// The program's own resources, as its offline plan declares them, against the twin: every type and
// input the program uses must be accepted, and a destroy must leave nothing but soft-deleted objects.
// Deep: each plan is made by the plan CLI in its own process.
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withState, type JsonObject } from "@s2s-auth/twin/state.ts";
import { freshTwin } from "@s2s-auth/twin/test/fixture.ts";
import { Replay } from "@s2s-auth/twin/test/replay.ts";

const ROOT = join(import.meta.dirname, "..", "..");

const plans = new Map<string, string>();

/** The offline plan's JSON for these arguments, made once per test file. */
function plan(args: string[]): string {
  const cached = plans.get(args.join(" "));
  if (cached !== undefined) return cached;
  const out = join(tmpdir(), `twin-plan-${process.pid}-${args.join("-").replace(/[^a-z0-9]+/gi, "_")}.json`);
  execFileSync(
    join(ROOT, "node_modules", ".bin", "node"),
    ["--stack-trace-limit=1", join(ROOT, "tools", "plan", "cli.ts"), ...args, "--json", out],
    { cwd: ROOT, stdio: "ignore" },
  );
  plans.set(args.join(" "), out);
  return out;
}

/**
 * Seeds what the stacks expect to find: the dev config's developer and group, the mixed example's external VM identity.
 */
function seed(): void {
  withState((state) => {
    state.graph.users["0c8a6f3e-0000-4000-8000-00000000000d"] = {
      id: "0c8a6f3e-0000-4000-8000-00000000000d",
      userPrincipalName: "developer@contoso.example",
      displayName: "Developer",
    };
    state.graph.groups["11111111-2222-3333-4444-555555555555"] = {
      id: "11111111-2222-3333-4444-555555555555",
      displayName: "developers",
      members: [],
    };
    const vm = "aaaaaaaa-1111-2222-3333-444444444444";
    state.graph.servicePrincipals[vm] = {
      id: vm,
      appId: "aaaaaaaa-1111-2222-3333-555555555555",
      displayName: "batch-vm",
      servicePrincipalType: "ManagedIdentity",
      appRoles: [],
      tags: [],
    };
  });
}

/**
 * The deploy identity bootstrap/ documents (its DEPLOYER_GRANTS): Contributor, Role Based Access Control
 * Administrator limited to the function hosts' three storage data roles, and the Graph permissions
 * Application.ReadWrite.OwnedBy, AppRoleAssignment.ReadWrite.All, Application.Read.All, User.Read.All.
 * Written out here because the twin judges the program and must not take its word.
 */
function bootstrapDeployer(subscriptionId: string, withhold?: string): string {
  const roles = [
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
    "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
    "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  ].join(", ");
  const condition =
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR ` +
    `(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ` +
    `{${roles}})) AND ` +
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR ` +
    `(@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ` +
    `{${roles}}))`;
  const scope = `/subscriptions/${subscriptionId}`;
  return JSON.stringify({
    azureRoles: [
      { role: "Contributor", scope },
      { role: "Role Based Access Control Administrator", scope, condition },
    ],
    graphAppRoles: [
      "Application.ReadWrite.OwnedBy",
      "AppRoleAssignment.ReadWrite.All",
      "Application.Read.All",
      "User.Read.All",
    ].filter((p) => p !== withhold),
  });
}

describe("the program against the twin", () => {
  it.each([
    ["dev", ["--stack", "dev"]],
    ["prod", ["--stack", "prod"]],
    ["mixed hosts", ["--config", "examples/Pulumi.mixed.yaml"]],
  ])(
    "%s: creates every declared resource, converges, and destroys it without leftovers",
    async (_name, args) => {
      const twin = freshTwin();
      seed();
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
      expect(
        Object.values(after.graph.servicePrincipals)
          .filter((sp) => sp.servicePrincipalType === "ManagedIdentity")
          .map((sp) => sp.displayName),
      ).toEqual(["batch-vm"]);
      expect(Object.keys(after.graph.federatedIdentityCredentials)).toEqual([]);
      expect(Object.keys(after.graph.deletedItems).length).toBeGreaterThan(0);
    },
    60_000,
  );

  it.each([
    ["dev", ["--stack", "dev"]],
    ["mixed hosts", ["--config", "examples/Pulumi.mixed.yaml"]],
  ])(
    "%s: deploys as the bootstrap's deploy identity, and fails with Graph's 403 when one permission is withheld",
    async (_name, args) => {
      const file = plan(args);
      const twin = freshTwin();
      seed();
      process.env.S2S_TWIN_DEPLOYER = bootstrapDeployer(twin.state().subscriptionId);
      const replay = new Replay(twin);
      await replay.up(file);
      await replay.destroy();

      const withheld = freshTwin();
      seed();
      process.env.S2S_TWIN_DEPLOYER = bootstrapDeployer(
        withheld.state().subscriptionId,
        "AppRoleAssignment.ReadWrite.All",
      );
      await expect(new Replay(withheld).up(file)).rejects.toThrow(
        /AppRoleAssignment.*403.*Authorization_RequestDenied: Insufficient privileges/,
      );
      delete process.env.S2S_TWIN_DEPLOYER;
    },
    60_000,
  );
});
