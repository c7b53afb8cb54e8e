// twin/src/graph/identifierUri.ts: an application's identifier URIs, as Graph allows them.
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
