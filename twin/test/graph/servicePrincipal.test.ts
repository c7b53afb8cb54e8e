// twin/src/graph/servicePrincipal.ts: service principals, as Graph and azuread answer for them.
import { readInputs } from "../../src/provider.ts";
import { GRAPH_APP_ROLES, type JsonObject, MICROSOFT_GRAPH_APP_ID, withState } from "../../src/state.ts";
import { T, apiIn, freshTwin } from "../fixture.ts";

describe("azuread ServicePrincipal and getServicePrincipal", () => {
  it("creates service principals only for existing applications", async () => {
    const twin = freshTwin();
    await expect(twin.create(T.sp, "sp", { clientId: "0b1c2d3e-0000-4000-8000-000000000000" })).rejects.toThrow(
      /does not reference a valid application/,
    );
  });

  it("seeds Microsoft Graph's service principal with its application permissions", async () => {
    const twin = freshTwin();
    const graph = (
      await twin.graph.invoke!("azuread:index/getServicePrincipal:getServicePrincipal", {
        clientId: MICROSOFT_GRAPH_APP_ID,
      })
    ).outputs as JsonObject;
    expect((graph.appRoleIds as JsonObject)["Application.Read.All"]).toBe(GRAPH_APP_ROLES["Application.Read.All"]);
    const { sp } = await apiIn(twin);
    // bootstrap/ grants the deploy identity Graph permissions as app role assignments to Graph's principal.
    const grant = await twin.create(T.assignment, "g", {
      appRoleId: GRAPH_APP_ROLES["Application.Read.All"]!,
      principalObjectId: sp.outs.objectId!,
      resourceObjectId: graph.objectId!,
    });
    expect(grant.outs.resourceDisplayName).toBe("Microsoft Graph");
  });

  it("lets a refresh see assignment-required switched off behind Pulumi's back", async () => {
    const twin = freshTwin();
    const { sp } = await apiIn(twin);
    withState((state) => {
      state.graph.servicePrincipals[String(sp.outs.objectId)]!.appRoleAssignmentRequired = false;
    });
    const read = await twin.graph.read!(sp.id, twin.urn(T.sp, "api-sp"), sp.outs);
    expect(read.props).toMatchObject({ appRoleAssignmentRequired: false });
    expect(read.inputs).toBeUndefined();
    // With the engine's old inputs, the refreshed inputs are those same keys with the cloud's values.
    const withInputs = await readInputs.run(sp.inputs, () =>
      twin.graph.read!(sp.id, twin.urn(T.sp, "api-sp"), sp.outs),
    );
    expect(withInputs.inputs).toEqual({ ...sp.inputs, appRoleAssignmentRequired: false });
    expect(await twin.graph.diff!(sp.id, twin.urn(T.sp, "api-sp"), read.props, sp.inputs)).toEqual({
      changes: true,
      replaces: [],
    });
  });
});
