// twin/src/graph/application.ts: applications, as Graph and azuread answer for them.
import { GUID, ROLE_ID, T, apiIn, freshTwin } from "../fixture.ts";

describe("azuread Application", () => {
  it("gives applications GUID client and object ids and azuread's /applications/{objectId} id", async () => {
    const twin = freshTwin();
    const { app, sp } = await apiIn(twin);
    expect(app.outs.clientId).toMatch(GUID);
    expect(app.outs.objectId).toMatch(GUID);
    expect(app.id).toBe(`/applications/${String(app.outs.objectId)}`);
    expect(app.outs.appRoleIds).toEqual({ Invoke: ROLE_ID });
    expect(sp.id).toBe(`/servicePrincipals/${String(sp.outs.objectId)}`);
    expect(sp.outs.clientId).toBe(app.outs.clientId);
    expect(sp.outs.appRoles).toEqual(app.outs.appRoles);
    expect(twin.state().graph.servicePrincipals[String(sp.outs.objectId)]?.tags).toEqual([
      "WindowsAzureActiveDirectoryIntegratedApp",
      "HideApp",
    ]);
  });

  it("reports no changes when the program's inputs are unchanged", async () => {
    const twin = freshTwin();
    const { app, sp } = await apiIn(twin);
    expect(await twin.graph.diff!(app.id, twin.urn(T.app, "api-app"), app.outs, app.inputs)).toEqual({
      changes: false,
      replaces: [],
    });
    expect(await twin.graph.diff!(sp.id, twin.urn(T.sp, "api-sp"), sp.outs, sp.inputs)).toEqual({
      changes: false,
      replaces: [],
    });
    expect(
      await twin.graph.diff!(sp.id, twin.urn(T.sp, "api-sp"), sp.outs, { ...sp.inputs, clientId: "other" }),
    ).toEqual({ changes: true, replaces: ["clientId"] });
  });

  it("soft-deletes applications and service principals into deletedItems", async () => {
    const twin = freshTwin();
    const { app, sp } = await apiIn(twin);
    await twin.graph.delete!(sp.id, twin.urn(T.sp, "api-sp"), sp.outs);
    await twin.graph.delete!(app.id, twin.urn(T.app, "api-app"), app.outs);
    const deleted = twin.state().graph.deletedItems;
    expect(deleted[String(app.outs.objectId)]?.["@odata.type"]).toBe("#microsoft.graph.application");
    expect(deleted[String(sp.outs.objectId)]?.["@odata.type"]).toBe("#microsoft.graph.servicePrincipal");
    expect(await twin.graph.read!(app.id, twin.urn(T.app, "api-app"), app.outs)).toEqual({ id: "", props: {} });
  });

  it("getApplication answers in the bridged data source's shapes: each nested block a list of one", async () => {
    const twin = freshTwin();
    const { app } = await apiIn(twin);
    const read = (
      await twin.graph.invoke!("azuread:index/getApplication:getApplication", { clientId: String(app.outs.clientId) })
    ).outputs as Record<string, unknown>;
    expect(read).toMatchObject({
      id: app.id,
      clientId: app.outs.clientId,
      appRoleIds: { Invoke: ROLE_ID },
      webs: [{ implicitGrants: [{ accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false }] }],
      apis: [{ requestedAccessTokenVersion: 2 }],
    });
    expect(read).not.toHaveProperty("web");
    expect(read).not.toHaveProperty("api");
  });

  it("imports (no previous state): the application as it is, its outputs standing for its inputs", async () => {
    const twin = freshTwin();
    const { app } = await apiIn(twin);
    const read = await twin.graph.read!(app.id, twin.urn(T.app, "adopted-app"), {});
    expect(read.id).toBe(app.id);
    expect(read.inputs).toMatchObject({ clientId: app.outs.clientId, displayName: "api" });
    expect(await twin.graph.diff!(app.id, twin.urn(T.app, "adopted-app"), read.props, app.inputs)).toEqual({
      changes: false,
      replaces: [],
    });
  });
});
