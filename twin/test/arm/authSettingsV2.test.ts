// twin/src/arm/authSettingsV2.ts: a site's built-in authentication settings, as azure-native manages them.
import { T, freshTwin, siteIn } from "../fixture.ts";

describe("azure-native web:WebAppAuthSettingsV2", () => {
  it("resets authsettingsV2 on delete instead of deleting it, as azure-native does", async () => {
    const twin = freshTwin();
    const { rg, site } = await siteIn(twin);
    const auth = await twin.create(T.auth, "auth", {
      resourceGroupName: rg.outs.name!,
      name: site.outs.name!,
      platform: { enabled: true },
    });
    expect(auth.id).toBe(`${site.id}/config/authsettingsV2`);
    await twin.arm.delete!(auth.id, twin.urn(T.auth, "auth"), auth.outs);
    expect(twin.state().arm.resources[auth.id.toLowerCase()]?.properties).toEqual({ platform: { enabled: false } });
  });
});
