// twin/src/graph/application.ts: applications, as Graph and azuread answer for them.
import { checkEntitlementRemoval } from "../../src/graph/application.ts";
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

describe("azuread Application, as the provider checks and calls", () => {
  const role = (over: Record<string, unknown> = {}) => ({
    id: ROLE_ID,
    value: "Invoke",
    displayName: "Invoke",
    description: "Call it",
    allowedMemberTypes: ["Application"],
    enabled: true,
    ...over,
  });
  const check = async (inputs: Record<string, unknown>) => {
    const twin = freshTwin();
    return (await twin.graph.check!(twin.urn(T.app, "a"), {}, { displayName: "api", ...inputs })).failures ?? [];
  };

  it("refuses what azuread's schema refuses, before calling Graph", async () => {
    expect(await check({ displayName: "" })).toEqual([
      { property: "displayName", reason: 'expected "displayName" to not be an empty string' },
    ]);
    const failures = await check({
      appRoles: [role({ allowedMemberTypes: [], value: "has space", id: "not-a-uuid" })],
      owners: ["someone"],
      signInAudience: "Everyone",
    });
    expect(failures.map((f) => f.property)).toEqual([
      "signInAudience",
      "owners[0]",
      "appRoles[0].allowedMemberTypes",
      "appRoles[0].id",
      "appRoles[0].value",
    ]);
    expect(await check({ appRoles: [role()] })).toEqual([]);
  });

  it("refuses duplicate role and scope ids or values", async () => {
    const sameValue = await check({ appRoles: [role(), role({ id: "5f0c1a4e-1111-4aaa-8bbb-000000000009" })] });
    expect(sameValue[0]?.reason).toMatch(/duplicate value found: "Invoke"/);
    const sameId = await check({ appRoles: [role(), role({ value: "Other" })] });
    expect(sameId[0]?.reason).toMatch(/duplicate ID found/);
  });

  it("ties personal-account audiences to v2 tokens", async () => {
    const v1 = await check({ signInAudience: "PersonalMicrosoftAccount", api: { requestedAccessTokenVersion: 1 } });
    expect(v1.map((f) => f.property)).toEqual(["api.requestedAccessTokenVersion"]);
    expect(
      await check({ signInAudience: "PersonalMicrosoftAccount", api: { requestedAccessTokenVersion: 2 } }),
    ).toEqual([]);
    expect((await check({ api: { requestedAccessTokenVersion: 3 } }))[0]?.reason).toBe("Value must be one of: 1, 2");
  });

  it("keeps the caller as owner only when owners lists it", async () => {
    const twin = freshTwin();
    const deployer = twin.state().deployer.servicePrincipalId;
    const someone = "3c6e1e2a-0000-4000-8000-00000000000a";
    process.env.S2S_TWIN_DEPLOYER = JSON.stringify({ graphAppRoles: ["Application.ReadWrite.OwnedBy"] });
    try {
      const unlisted = await twin.create(T.app, "unlisted", { displayName: "u", owners: [someone] });
      expect(unlisted.outs.owners).toEqual([someone]);
      // It did not list itself: Application.ReadWrite.OwnedBy reaches only what it owns.
      await expect(
        twin.graph.update!(unlisted.id, twin.urn(T.app, "unlisted"), unlisted.outs, { ...unlisted.inputs, notes: "n" }),
      ).rejects.toThrow(/Authorization_RequestDenied/);
      const listed = await twin.create(T.app, "listed", { displayName: "l", owners: [someone, deployer] });
      expect([...(listed.outs.owners as string[])].sort()).toEqual([deployer, someone].sort());
      await expect(
        twin.graph.update!(listed.id, twin.urn(T.app, "listed"), listed.outs, { ...listed.inputs, notes: "n" }),
      ).resolves.toBeDefined();
    } finally {
      delete process.env.S2S_TWIN_DEPLOYER;
    }
  });

  it("disables an app role before removing it, as azuread does", async () => {
    const twin = freshTwin();
    const { app } = await apiIn(twin);
    const stored = twin.state().graph.applications[String(app.outs.objectId)]!;
    // Graph itself refuses a PATCH that drops a role still enabled.
    expect(() => checkEntitlementRemoval(stored, [], stored.api?.oauth2PermissionScopes ?? [])).toThrow(
      /CannotDeleteOrUpdateEnabledEntitlement/,
    );
    // azuread disables it first, so the update goes through and the role is gone from app and principal.
    const { appRoles: _roles, ...withoutRoles } = app.inputs;
    const outs = (await twin.graph.update!(app.id, twin.urn(T.app, "api-app"), app.outs, withoutRoles)).outs;
    expect(outs?.appRoles).toEqual([]);
  });
});
