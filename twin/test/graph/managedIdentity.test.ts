// twin/src/graph/managedIdentity.ts: managed identities' service principals and their replication delay.
import type { JsonObject } from "../../src/state.ts";
import { freshTwin, siteIn } from "../fixture.ts";

describe("managed identities in Graph", () => {
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
});
