// twin/src/graph.ts: the azuread twin's objects as Microsoft Graph and the provider answer for them.
import { readInputs } from "../src/provider.ts";
import { GRAPH_APP_ROLES, type JsonObject, MICROSOFT_GRAPH_APP_ID, withState } from "../src/state.ts";
import { T, type Twin, freshTwin, siteIn } from "./fixture.ts";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ROLE_ID = "5f0c1a4e-1111-4aaa-8bbb-000000000001";
const SCOPE_ID = "5f0c1a4e-1111-4aaa-8bbb-000000000002";

async function api(twin: Twin, memberTypes = ["Application"]) {
  const deployer = twin.state().deployer.servicePrincipalId;
  const app = await twin.create(T.app, "api-app", {
    displayName: "api",
    signInAudience: "AzureADMyOrg",
    owners: [deployer],
    appRoles: [
      {
        id: ROLE_ID,
        value: "Invoke",
        displayName: "Invoke",
        description: "Call it",
        allowedMemberTypes: memberTypes,
        enabled: true,
      },
    ],
    api: {
      requestedAccessTokenVersion: 2,
      oauth2PermissionScopes: [
        {
          id: SCOPE_ID,
          value: "user_impersonation",
          type: "User",
          enabled: true,
          adminConsentDisplayName: "a",
          adminConsentDescription: "b",
        },
      ],
    },
    web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
  });
  const sp = await twin.create(T.sp, "api-sp", {
    clientId: app.outs.clientId!,
    appRoleAssignmentRequired: true,
    owners: [deployer],
    featureTags: [{ hide: true, enterprise: true }],
  });
  return { app, sp };
}

describe("the azuread twin", () => {
  it("gives applications GUID client and object ids and azuread's /applications/{objectId} id", async () => {
    const twin = freshTwin();
    const { app, sp } = await api(twin);
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
    const { app, sp } = await api(twin);
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

  it("limits identifier URIs to api://<clientId> or a verified domain", async () => {
    const twin = freshTwin();
    const { app } = await api(twin);
    const uri = await twin.create(T.uri, "uri", {
      applicationId: app.id,
      identifierUri: `api://${String(app.outs.clientId)}`,
    });
    expect(uri.id).toBe(
      `${app.id}/identifierUris/${Buffer.from(`api://${String(app.outs.clientId)}`).toString("base64")}`,
    );
    expect(twin.state().graph.applications[String(app.outs.objectId)]?.identifierUris).toEqual([
      `api://${String(app.outs.clientId)}`,
    ]);
    await expect(
      twin.create(T.uri, "bad", { applicationId: app.id, identifierUri: "https://evil.example/api" }),
    ).rejects.toThrow(/HostNameNotOnVerifiedDomain/);
    const domain = Object.keys(twin.state().graph.domains)[0]!;
    await twin.create(T.uri, "verified", { applicationId: app.id, identifierUri: `https://${domain}/api` });
  });

  it("creates service principals only for existing applications", async () => {
    const twin = freshTwin();
    await expect(twin.create(T.sp, "sp", { clientId: "0b1c2d3e-0000-4000-8000-000000000000" })).rejects.toThrow(
      /does not reference a valid application/,
    );
  });

  it("assigns app roles only to existing principals, for roles whose member types admit them", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const { sp } = await api(twin);
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
    const onlyUsers = await api(users, ["User"]);
    const { site: other } = await siteIn(users);
    await expect(
      users.create(T.assignment, "kind", {
        appRoleId: ROLE_ID,
        principalObjectId: String((other.outs.identity as JsonObject).principalId),
        resourceObjectId: onlyUsers.sp.outs.objectId!,
      }),
    ).rejects.toThrow(/Permission being assigned was not found/);
  });

  it("pre-authorizes clients only for scopes the application defines", async () => {
    const twin = freshTwin();
    const { app } = await api(twin);
    const cli = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
    await expect(
      twin.create(T.preAuth, "bad", {
        applicationId: app.id,
        authorizedClientId: cli,
        permissionIds: ["0b1c2d3e-0000-4000-8000-000000000000"],
      }),
    ).rejects.toThrow(/not a permission scope/);
    const made = await twin.create(T.preAuth, "ok", {
      applicationId: app.id,
      authorizedClientId: cli,
      permissionIds: [SCOPE_ID],
    });
    expect(made.id).toBe(`${String(app.outs.objectId)}/preAuthorizedApplication/${cli}`);
    expect(made.outs).toEqual({ applicationId: app.id, authorizedClientId: cli, permissionIds: [SCOPE_ID] });
    // An update of the application keeps the pre-authorization, which its own resource manages.
    await twin.graph.update!(app.id, twin.urn(T.app, "api-app"), app.outs, { ...app.inputs, displayName: "renamed" });
    expect(await twin.graph.read!(made.id, twin.urn(T.preAuth, "ok"), made.outs)).toMatchObject({
      props: { permissionIds: [SCOPE_ID] },
    });
  });

  it("allows at most 20 federated identity credentials per application", async () => {
    const twin = freshTwin();
    const { app } = await api(twin);
    const cred = (i: number) => ({
      applicationId: app.id,
      displayName: `c${i}`,
      issuer: "https://token.actions.githubusercontent.com",
      subject: `repo:o/r:environment:e${i}`,
      audiences: ["api://AzureADTokenExchange"],
    });
    for (let i = 0; i < 20; i++) await twin.create(T.fic, `c${i}`, cred(i));
    await expect(twin.create(T.fic, "c20", cred(20))).rejects.toThrow(/maximum of 20/);
  });

  it("soft-deletes applications and service principals into deletedItems", async () => {
    const twin = freshTwin();
    const { app, sp } = await api(twin);
    await twin.graph.delete!(sp.id, twin.urn(T.sp, "api-sp"), sp.outs);
    await twin.graph.delete!(app.id, twin.urn(T.app, "api-app"), app.outs);
    const deleted = twin.state().graph.deletedItems;
    expect(deleted[String(app.outs.objectId)]?.["@odata.type"]).toBe("#microsoft.graph.application");
    expect(deleted[String(sp.outs.objectId)]?.["@odata.type"]).toBe("#microsoft.graph.servicePrincipal");
    expect(await twin.graph.read!(app.id, twin.urn(T.app, "api-app"), app.outs)).toEqual({ id: "", props: {} });
  });

  it("shows a managed identity to Graph lookups only after the configured replication delay", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const objectId = String((site.outs.identity as JsonObject).principalId);
    const lookup = () => twin.graph.invoke!("azuread:index/getServicePrincipal:getServicePrincipal", { objectId });
    process.env.S2S_TWIN_IDENTITY_DELAY_MS = "3600000";
    await expect(lookup()).rejects.toThrow(/not found/);
    delete process.env.S2S_TWIN_IDENTITY_DELAY_MS;
    const found = (await lookup()).outputs as JsonObject;
    expect(found).toMatchObject({ objectId, type: "ManagedIdentity" });
    expect(found.clientId).toBe(twin.state().graph.servicePrincipals[objectId]?.appId);
  });

  it("counts the replication delay in the twin's modelled time, which S2S_TWIN_TIME_SCALE speeds up", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const objectId = String((site.outs.identity as JsonObject).principalId);
    const lookup = () => twin.graph.invoke!("azuread:index/getServicePrincipal:getServicePrincipal", { objectId });
    // A modelled hour: still replicating in real time, long past at a billion modelled seconds per real one.
    process.env.S2S_TWIN_IDENTITY_DELAY_MS = "3600000";
    try {
      process.env.S2S_TWIN_TIME_SCALE = "1";
      await expect(lookup()).rejects.toThrow(/not found/);
      process.env.S2S_TWIN_TIME_SCALE = "1e-9";
      // Modelled time is real time divided by the scale: no scale makes zero elapsed milliseconds
      // pass, and on a fast run the site was created within the same millisecond.
      await new Promise((resolve) => setTimeout(resolve, 2));
      expect((await lookup()).outputs as JsonObject).toMatchObject({ objectId });
    } finally {
      delete process.env.S2S_TWIN_IDENTITY_DELAY_MS;
      delete process.env.S2S_TWIN_TIME_SCALE;
    }
  });

  it("seeds Microsoft Graph's service principal with its application permissions", async () => {
    const twin = freshTwin();
    const graph = (
      await twin.graph.invoke!("azuread:index/getServicePrincipal:getServicePrincipal", {
        clientId: MICROSOFT_GRAPH_APP_ID,
      })
    ).outputs as JsonObject;
    expect((graph.appRoleIds as JsonObject)["Application.Read.All"]).toBe(GRAPH_APP_ROLES["Application.Read.All"]);
    const { sp } = await api(twin);
    // bootstrap/ grants the deploy identity Graph permissions as app role assignments to Graph's principal.
    const grant = await twin.create(T.assignment, "g", {
      appRoleId: GRAPH_APP_ROLES["Application.Read.All"]!,
      principalObjectId: sp.outs.objectId!,
      resourceObjectId: graph.objectId!,
    });
    expect(grant.outs.resourceDisplayName).toBe("Microsoft Graph");
  });

  it("finds users by user principal name", async () => {
    const twin = freshTwin();
    withState((state) => {
      state.graph.users.u1 = { id: "u1", userPrincipalName: "dev@contoso.example", displayName: "Dev" };
    });
    expect(
      (await twin.graph.invoke!("azuread:index/getUser:getUser", { userPrincipalName: "DEV@contoso.example" })).outputs,
    ).toMatchObject({ objectId: "u1" });
    await expect(
      twin.graph.invoke!("azuread:index/getUser:getUser", { userPrincipalName: "nobody@contoso.example" }),
    ).rejects.toThrow(/not found/);
  });

  it("refuses what the deployer's Graph permissions do not allow, with Graph's 403", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const { app, sp } = await api(twin);
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

  it("lets a refresh see assignment-required switched off behind Pulumi's back", async () => {
    const twin = freshTwin();
    const { sp } = await api(twin);
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
