// twin/src/graph/appRoleAssignment.ts: app role assignments, as Graph answers for them.
import { type JsonObject, writeStateAtomically } from "../../src/state.ts";
import { ROLE_ID, T, apiIn, freshTwin, siteIn } from "../fixture.ts";

describe("azuread AppRoleAssignment", () => {
  it("assigns app roles only to existing principals, for roles whose member types admit them", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const { sp } = await apiIn(twin);
    const principal = String((site.outs.identity as JsonObject).principalId);
    const args = { appRoleId: ROLE_ID, principalObjectId: principal, resourceObjectId: sp.outs.objectId! };
    await expect(
      twin.create(T.assignment, "missing", { ...args, principalObjectId: "0b1c2d3e-0000-4000-8000-000000000000" }),
    ).rejects.toThrow(/Request_ResourceNotFound/);
    await expect(
      twin.create(T.assignment, "norole", { ...args, appRoleId: "0b1c2d3e-0000-4000-8000-000000000001" }),
    ).rejects.toThrow(/Permission being assigned was not found/);
    const made = await twin.create(T.assignment, "ok", args);
    expect(made.id).toMatch(
      new RegExp(`^/servicePrincipals/${String(sp.outs.objectId)}/appRoleAssignedTo/[A-Za-z0-9_-]{43}$`),
    );
    expect(made.outs).toMatchObject({ principalType: "ServicePrincipal", principalDisplayName: site.outs.name });
    await expect(twin.create(T.assignment, "again", args)).rejects.toThrow(/already exists/);

    const users = freshTwin();
    const onlyUsers = await apiIn(users, ["User"]);
    const { site: other } = await siteIn(users);
    await expect(
      users.create(T.assignment, "kind", {
        appRoleId: ROLE_ID,
        principalObjectId: String((other.outs.identity as JsonObject).principalId),
        resourceObjectId: onlyUsers.sp.outs.objectId!,
      }),
    ).rejects.toThrow(/Permission being assigned was not found/);
  });
});

describe("azuread AppRoleAssignment, around the calls", () => {
  async function granted() {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const { sp } = await apiIn(twin);
    const principal = String((site.outs.identity as JsonObject).principalId);
    const args = { appRoleId: ROLE_ID, principalObjectId: principal, resourceObjectId: sp.outs.objectId! };
    return { twin, site, sp, args };
  }

  it("refuses ids that are not UUIDs before calling Graph", async () => {
    const { twin, args } = await granted();
    const checked = await twin.graph.check!(twin.urn(T.assignment, "a"), {}, { ...args, appRoleId: "Invoke" });
    expect(checked.failures).toEqual([
      { property: "appRoleId", reason: 'expected "appRoleId" to be a valid UUID, got Invoke' },
    ]);
    expect(twin.state().graph.appRoleAssignments).toEqual({});
  });

  it("fails to delete an assignment someone already removed", async () => {
    const { twin, args } = await granted();
    const made = await twin.create(T.assignment, "a", args);
    const state = twin.state();
    state.graph.appRoleAssignments = {};
    writeStateAtomically(process.env.S2S_TWIN_STATE!, state);
    await expect(twin.graph.delete!(made.id, twin.urn(T.assignment, "a"), made.outs)).rejects.toThrow(
      /unexpected status 404.*Request_ResourceNotFound/,
    );
    // What a refresh then sees: the assignment is gone, so the engine drops it instead of deleting it.
    expect(await twin.graph.read!(made.id, twin.urn(T.assignment, "a"), made.outs)).toEqual({ id: "", props: {} });
  });

  it("waits for a principal still replicating, within the create timeout", async () => {
    process.env.S2S_TWIN_TIME_SCALE = "0.001";
    try {
      const { twin, args } = await granted();
      // Replicating for 60 modelled seconds: azuread's retries wait it out (60 ms at this scale).
      process.env.S2S_TWIN_IDENTITY_DELAY_MS = "60000";
      await expect(twin.create(T.assignment, "a", args)).resolves.toMatchObject({
        outs: { principalType: "ServicePrincipal" },
      });
      // Replicating for longer than the 5 minute create timeout: the provider gives up.
      const { twin: later, args: laterArgs } = await granted();
      process.env.S2S_TWIN_IDENTITY_DELAY_MS = "3600000";
      await expect(later.create(T.assignment, "b", laterArgs)).rejects.toThrow(/Not a valid reference update/);
    } finally {
      delete process.env.S2S_TWIN_TIME_SCALE;
      delete process.env.S2S_TWIN_IDENTITY_DELAY_MS;
    }
  });
});
