// twin/src/arm/webApp.ts: App Service sites, as ARM answers for them.
import { T, freshTwin, siteIn } from "../fixture.ts";

describe("azure-native web:WebApp", () => {
  it("refuses a site name another site holds (host names are global)", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const other = await twin.create(T.rg, "other", { location: "westeurope" });
    await expect(
      twin.create(T.site, "x", { resourceGroupName: other.outs.name!, name: site.outs.name!, location: "westeurope" }),
    ).rejects.toThrow(/Code="Conflict".*already exists/);
  });

  it("enforces App Service's naming rule at create with its error", async () => {
    const twin = freshTwin();
    const rg = await twin.create(T.rg, "rg", { location: "westeurope" });
    await expect(
      twin.create(T.site, "s", { resourceGroupName: rg.outs.name!, name: "-bad", location: "westeurope" }),
    ).rejects.toThrow(/InvalidResourceName/);
  });
});
