// twin/src/deployer.ts: what the deploying identity may do on Microsoft Graph (on ARM:
// test/arm/roleAssignment.test.ts).
import type { JsonObject } from "../src/state.ts";
import { withState } from "../src/state.ts";
import { ROLE_ID, T, apiIn, freshTwin, siteIn } from "./fixture.ts";

describe("the deployer on Microsoft Graph", () => {
  it("refuses what the deployer's Graph permissions do not allow, with Graph's 403", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const { app, sp } = await apiIn(twin);
    const principal = String((site.outs.identity as JsonObject).principalId);
    process.env.S2S_TWIN_DEPLOYER = JSON.stringify({ graphAppRoles: ["Application.ReadWrite.OwnedBy"] });
    await expect(
      twin.create(T.assignment, "a", {
        appRoleId: ROLE_ID,
        principalObjectId: principal,
        resourceObjectId: sp.outs.objectId!,
      }),
    ).rejects.toThrow(/403.*Authorization_RequestDenied: Insufficient privileges to complete the operation\./);
    await expect(
      twin.graph.invoke!("azuread:index/getServicePrincipal:getServicePrincipal", { objectId: principal }),
    ).rejects.toThrow(/Authorization_RequestDenied/);
    // OwnedBy reaches what the deployer owns: the program makes it an owner of its applications.
    await twin.graph.update!(app.id, twin.urn(T.app, "api-app"), app.outs, { ...app.inputs, notes: "owned" });
    withState((state) => {
      state.graph.applications[String(app.outs.objectId)]!.owners = [];
    });
    await expect(
      twin.graph.update!(app.id, twin.urn(T.app, "api-app"), app.outs, { ...app.inputs, notes: "not owned" }),
    ).rejects.toThrow(/Authorization_RequestDenied/);
    delete process.env.S2S_TWIN_DEPLOYER;
  });
});
