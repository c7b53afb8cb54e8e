// twin/src/graph/identifierUri.ts: an application's identifier URIs, as Graph allows them.
import { writeStateAtomically } from "../../src/state.ts";
import { T, apiIn, freshTwin } from "../fixture.ts";

describe("azuread ApplicationIdentifierUri", () => {
  it("limits identifier URIs to api://<clientId> or a verified domain", async () => {
    const twin = freshTwin();
    const { app } = await apiIn(twin);
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
});

describe("azuread ApplicationIdentifierUri, under the tenant's identifier URI policy", () => {
  function restrict(twin: ReturnType<typeof freshTwin>, restriction: Record<string, unknown>): void {
    const state = twin.state();
    state.graph.appManagementPolicy = {
      applicationRestrictions: { identifierUris: { nonDefaultUriAddition: { state: "enabled", ...restriction } } },
    };
    writeStateAtomically(process.env.S2S_TWIN_STATE!, state);
  }

  it("the tenant's restriction admits only the default identifier URIs", async () => {
    const twin = freshTwin();
    const { app } = await apiIn(twin);
    restrict(twin, { excludeAppsReceivingV2Tokens: false });
    const tenant = twin.state().tenantId;
    await expect(
      twin.create(T.uri, "custom", { applicationId: app.id, identifierUri: `api://${tenant}/orders` }),
    ).rejects.toThrow(/nonDefaultUriAddition/);
    await expect(
      twin.create(T.uri, "default", { applicationId: app.id, identifierUri: `api://${String(app.outs.clientId)}` }),
    ).resolves.toBeDefined();
  });

  it("exempts an app requesting v2 tokens when the restriction excludes them", async () => {
    const twin = freshTwin();
    const { app } = await apiIn(twin); // requests v2 tokens (fixture.ts)
    restrict(twin, { excludeAppsReceivingV2Tokens: true });
    const tenant = twin.state().tenantId;
    await expect(
      twin.create(T.uri, "custom", { applicationId: app.id, identifierUri: `api://${tenant}/orders` }),
    ).resolves.toBeDefined();
    const v1 = await twin.create(T.app, "v1", { displayName: "v1", api: { requestedAccessTokenVersion: 1 } });
    await expect(
      twin.create(T.uri, "v1-custom", { applicationId: v1.id, identifierUri: `api://${tenant}/ledger` }),
    ).rejects.toThrow(/nonDefaultUriAddition/);
  });

  it("leaves apps created before restrictForAppsCreatedAfterDateTime alone", async () => {
    const twin = freshTwin();
    const { app } = await apiIn(twin);
    restrict(twin, { restrictForAppsCreatedAfterDateTime: new Date(Date.now() + 60_000).toISOString() });
    const tenant = twin.state().tenantId;
    await expect(
      twin.create(T.uri, "custom", { applicationId: app.id, identifierUri: `api://${tenant}/orders` }),
    ).resolves.toBeDefined();
  });

  it("refuses another app's id or an unverified host as identifier URI", async () => {
    const twin = freshTwin();
    const { app } = await apiIn(twin);
    const other = await twin.create(T.app, "other", { displayName: "other" });
    await expect(
      twin.create(T.uri, "theirs", { applicationId: app.id, identifierUri: `api://${String(other.outs.clientId)}` }),
    ).rejects.toThrow(/HostNameNotOnVerifiedDomain/);
    await expect(
      twin.create(T.uri, "host", { applicationId: app.id, identifierUri: "api://orders.example.org/x" }),
    ).rejects.toThrow(/HostNameNotOnVerifiedDomain/);
  });

  it("fails to delete an identifier URI someone already removed", async () => {
    const twin = freshTwin();
    const { app } = await apiIn(twin);
    const uri = await twin.create(T.uri, "uri", {
      applicationId: app.id,
      identifierUri: `api://${String(app.outs.clientId)}`,
    });
    const state = twin.state();
    state.graph.applications[String(app.outs.objectId)]!.identifierUris = [];
    writeStateAtomically(process.env.S2S_TWIN_STATE!, state);
    await expect(twin.graph.delete!(uri.id, twin.urn(T.uri, "uri"), uri.outs)).rejects.toThrow(
      /could not identify existing identifier URI/,
    );
  });
});
