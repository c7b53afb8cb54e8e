// twin/src/graph/appRoleAssignment.ts: app role assignments, as Graph answers for them.
import type { JsonObject } from "../../src/state.ts";
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
