// twin/src/handMade.ts: the seed's walkthrough done by hand in the twin (npm run twin -- hand-made), what
// a team then adopts with `pulumi import` or reuses with `existingApplication`.
import { twinCommand } from "../src/commands.ts";
import { handMade } from "../src/handMade.ts";
import { readState, scratchStatePath, withState } from "../src/state.ts";

function tenant(): string {
  const path = scratchStatePath();
  expect(twinCommand(["init"], path).code).toBe(0);
  return path;
}

describe("a setup made by hand", () => {
  it("makes two sites, an app registration and its enterprise app as the walkthrough says, the caller assigned", () => {
    const path = tenant();
    const deployer = readState(path).deployer;
    const made = withState((state) => handMade(state, "legacy"), path);
    const state = readState(path);
    const app = Object.values(state.graph.applications).find((a) => a.appId === made.clientId)!;
    expect(app.identifierUris).toEqual([`api://${made.clientId}`]);
    expect(app.appRoles?.map((r) => [r.id, r.value, r.allowedMemberTypes])).toEqual([
      [made.appRoleId, "Invoke", ["Application"]],
    ]);
    expect(app.web?.implicitGrantSettings).toEqual({ enableAccessTokenIssuance: false, enableIdTokenIssuance: false });
    const sp = state.graph.servicePrincipals[made.servicePrincipal.split("/")[2]!]!;
    expect(sp).toMatchObject({ appRoleAssignmentRequired: true });
    expect(sp.tags).toContain("HideApp");
    const caller = state.arm.resources[made.callerSite.toLowerCase()]!;
    const assignment = state.graph.appRoleAssignments[made.assignment.split("/").at(-1)!]!;
    expect(assignment).toMatchObject({ principalId: caller.identity!.principalId, appRoleId: made.appRoleId });
    expect(state.arm.resources[made.authSettings.toLowerCase()]?.properties).toMatchObject({
      globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "Return401" },
    });
    // Made by a person: no deploy identity owns it, and the tenant's deployer is as it was.
    expect(app.owners).toEqual([]);
    expect(state.deployer).toEqual(deployer);
  });

  it("--loose leaves what the walkthrough turns off as the portal's defaults have it", () => {
    const path = tenant();
    const out = twinCommand(["hand-made", "loose", "--loose"], path);
    expect(out.code).toBe(0);
    const made = JSON.parse(out.stdout) as { clientId: string; servicePrincipal: string };
    const state = readState(path);
    const app = Object.values(state.graph.applications).find((a) => a.appId === made.clientId)!;
    expect(app.web?.implicitGrantSettings).toEqual({ enableAccessTokenIssuance: true, enableIdTokenIssuance: true });
    const sp = state.graph.servicePrincipals[made.servicePrincipal.split("/")[2]!]!;
    expect(sp.appRoleAssignmentRequired).toBe(false);
    expect(sp.tags).not.toContain("HideApp");
    expect(twinCommand(["hand-made"], path)).toMatchObject({ code: 64 });
    expect(twinCommand(["hand-made", "x", "--tight"], path)).toMatchObject({ code: 64 });
  });

  it("--remove deletes what it made, and nothing else", () => {
    const path = tenant();
    const before = twinCommand(["count"], path).stdout;
    expect(twinCommand(["hand-made", "gone"], path).code).toBe(0);
    expect(twinCommand(["hand-made", "kept"], path).code).toBe(0);
    expect(twinCommand(["hand-made", "gone", "--remove"], path).code).toBe(0);
    expect(twinCommand(["hand-made", "kept", "--remove"], path).code).toBe(0);
    const after = JSON.parse(twinCommand(["count"], path).stdout) as { arm: unknown; graph: unknown };
    const initial = JSON.parse(before) as { arm: unknown; graph: unknown };
    expect({ arm: after.arm, graph: after.graph }).toEqual({ arm: initial.arm, graph: initial.graph });
  });
});
