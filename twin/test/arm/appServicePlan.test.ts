// twin/src/arm/appServicePlan.ts: App Service plans and what their tiers allow.
import { T, freshTwin } from "../fixture.ts";

describe("azure-native web:AppServicePlan", () => {
  it("refuses more instances than the tier allows", async () => {
    const twin = freshTwin();
    const rg = await twin.create(T.rg, "rg", { location: "westeurope" });
    const plan = (name: string, capacity: number) =>
      twin.create(T.plan, `plan-${name}-${capacity}`, {
        resourceGroupName: rg.outs.name!,
        location: "westeurope",
        sku: { name, capacity },
      });
    await expect(plan("B1", 4)).rejects.toThrow(/Basic tier allows at most 3/);
    await expect(plan("F1", 2)).rejects.toThrow(/Free tier allows at most 1/);
    await expect(plan("S1", 10)).resolves.toMatchObject({ outs: { sku: { name: "S1", capacity: 10 } } });
  });
});
