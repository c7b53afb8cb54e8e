// twin/src/arm/webApp.ts: App Service sites, as ARM answers for them.
import type { JsonObject } from "../../src/state.ts";
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

describe("azure-native web:WebApp, replacement and plan tiers", () => {
  const siteInputs = (twin: Awaited<ReturnType<typeof siteIn>>) => ({
    resourceGroupName: twin.rg.outs.name!,
    location: "westeurope",
    serverFarmId: twin.plan.id,
    kind: "app,linux",
    identity: { type: "SystemAssigned" },
  });

  it("replaces a site whose kind changes, with a new identity", async () => {
    const twin = freshTwin();
    const made = await siteIn(twin);
    const urn = twin.urn(T.site, "api-site");
    const diff = await twin.arm.diff!(made.site.id, urn, made.site.outs, {
      ...made.site.inputs,
      kind: "functionapp,linux",
    });
    expect(diff.replaces).toEqual(["kind"]);
    // The engine replaces: check again without the old inputs (a new auto-name), create, delete the old.
    const { kind: _old, name: _name, ...rest } = made.site.inputs;
    const next = await twin.create(T.site, "api-site", { ...rest, kind: "functionapp,linux" });
    const oldPrincipal = String((made.site.outs.identity as JsonObject).principalId);
    const newPrincipal = String((next.outs.identity as JsonObject).principalId);
    expect(next.outs.name).not.toBe(made.site.outs.name);
    expect(newPrincipal).not.toBe(oldPrincipal);
    await twin.arm.delete!(made.site.id, urn, made.site.outs);
    expect(twin.state().graph.servicePrincipals[oldPrincipal]).toBeUndefined();
    expect(twin.state().graph.servicePrincipals[newPrincipal]?.servicePrincipalType).toBe("ManagedIdentity");
  });

  it("replaces when kind is added or removed", async () => {
    const twin = freshTwin();
    const made = await siteIn(twin);
    const urn = twin.urn(T.site, "api-site");
    const { kind: _kind, ...without } = made.site.inputs;
    expect((await twin.arm.diff!(made.site.id, urn, made.site.outs, without)).replaces).toEqual(["kind"]);
    const settings = { ...made.site.inputs, httpsOnly: true };
    expect(await twin.arm.diff!(made.site.id, urn, made.site.outs, settings)).toEqual({ changes: true, replaces: [] });
  });

  it("accepts a Unicode site name and serves it under its Punycode host name", async () => {
    const twin = freshTwin();
    const made = await siteIn(twin);
    const site = await twin.create(T.site, "u", { ...siteInputs(made), name: "bücher-api" });
    expect(site.outs.defaultHostName).toBe("xn--bcher-api-q9a.azurewebsites.net");
  });

  it("refuses Always On on a Free plan and allows it on Basic", async () => {
    const twin = freshTwin();
    const made = await siteIn(twin);
    const free = await twin.create(T.plan, "free", {
      resourceGroupName: made.rg.outs.name!,
      location: "westeurope",
      kind: "linux",
      reserved: true,
      sku: { name: "F1" },
    });
    const alwaysOn = { siteConfig: { alwaysOn: true } };
    await expect(twin.create(T.site, "f", { ...siteInputs(made), serverFarmId: free.id, ...alwaysOn })).rejects.toThrow(
      /Code="Conflict".*AlwaysOn cannot be set/,
    );
    await expect(twin.create(T.site, "b", { ...siteInputs(made), ...alwaysOn })).resolves.toMatchObject({
      outs: { siteConfig: { alwaysOn: true } },
    });
  });

  it("refuses an eleventh site on a Free plan", async () => {
    const twin = freshTwin();
    const made = await siteIn(twin);
    const free = await twin.create(T.plan, "free", {
      resourceGroupName: made.rg.outs.name!,
      location: "westeurope",
      sku: { name: "F1" },
    });
    for (let i = 0; i < 10; i++) await twin.create(T.site, `s${i}`, { ...siteInputs(made), serverFarmId: free.id });
    await expect(twin.create(T.site, "s10", { ...siteInputs(made), serverFarmId: free.id })).rejects.toThrow(
      /maximum number of sites \(10\)/,
    );
  });
});
