// twin/src/arm/resource.ts: what every azure-native resource does, as ARM and the provider answer for it.
import { previewing } from "../../src/provider.ts";
import { type JsonObject, UNKNOWN, withState } from "../../src/state.ts";
import { T, freshTwin, siteIn } from "../fixture.ts";

describe("an azure-native resource", () => {
  it("forms ARM ids and names as Azure does, auto-naming with the logical name and 8 characters", async () => {
    const twin = freshTwin();
    const { rg, site } = await siteIn(twin);
    const sub = twin.state().subscriptionId;
    expect(rg.outs.name).toMatch(/^rg[0-9a-f]{8}$/);
    expect(rg.id).toBe(`/subscriptions/${sub}/resourceGroups/${rg.outs.name}`);
    expect(site.id).toBe(
      `/subscriptions/${sub}/resourceGroups/${rg.outs.name}/providers/Microsoft.Web/sites/${site.outs.name}`,
    );
    expect(site.outs.defaultHostName).toBe(`${String(site.outs.name).toLowerCase()}.azurewebsites.net`);
    expect(site.outs.azureApiVersion).toBe("2025-05-01");
    expect(twin.state().arm.resources[site.id.toLowerCase()]?.type).toBe("Microsoft.Web/sites");
  });

  it("creates the site's identity with it, and a ManagedIdentity service principal in Graph", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const identity = site.outs.identity as JsonObject;
    const state = twin.state();
    expect(identity.tenantId).toBe(state.tenantId);
    const sp = state.graph.servicePrincipals[String(identity.principalId)];
    expect(sp?.servicePrincipalType).toBe("ManagedIdentity");
    expect(sp?.alternativeNames).toContain(site.id);
  });

  it("fails with ResourceGroupNotFound when the group does not exist", async () => {
    const twin = freshTwin();
    await expect(twin.create(T.plan, "p", { resourceGroupName: "nope", location: "westeurope" })).rejects.toThrow(
      /ResourceGroupNotFound/,
    );
  });

  it("diffs like azure-native: names and location replace, properties update", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const urn = twin.urn(T.site, "api-site");
    const oldInputs = (site.outs.__inputs as { value: JsonObject }).value;
    expect(await twin.arm.diff!(site.id, urn, site.outs, oldInputs)).toEqual({ changes: false, replaces: [] });
    expect(await twin.arm.diff!(site.id, urn, site.outs, { ...oldInputs, name: "renamed" })).toEqual({
      changes: true,
      replaces: ["name"],
    });
    expect(await twin.arm.diff!(site.id, urn, site.outs, { ...oldInputs, location: "northeurope" })).toEqual({
      changes: true,
      replaces: ["location"],
    });
    expect(await twin.arm.diff!(site.id, urn, site.outs, { ...oldInputs, httpsOnly: true })).toEqual({
      changes: true,
      replaces: [],
    });
  });

  it("previews like azure-native: computed values unknown, nothing created, an update keeps what exists", async () => {
    const twin = freshTwin();
    const { rg, plan, site } = await siteIn(twin);
    const before = JSON.stringify(twin.state());
    const urn = twin.urn(T.site, "new-site");
    const inputs = (
      await twin.arm.check!(
        urn,
        {},
        {
          resourceGroupName: rg.outs.name!,
          location: "westeurope",
          serverFarmId: plan.id,
          identity: { type: "SystemAssigned" },
          siteConfig: { http20Enabled: true },
        },
      )
    ).inputs as JsonObject;
    const preview = (await previewing.run(true, () => twin.arm.create!(urn, inputs))).outs as JsonObject;
    expect(preview.identity).toEqual({ type: "SystemAssigned", principalId: UNKNOWN, tenantId: UNKNOWN });
    expect(preview.defaultHostName).toBe(UNKNOWN);
    expect(preview.siteConfig).toEqual({ http20Enabled: true });
    expect(JSON.stringify(twin.state())).toBe(before);

    const env = await twin.create(T.env, "env", { resourceGroupName: rg.outs.name!, location: "westeurope" });
    const appUrn = twin.urn(T.containerApp, "orders");
    const app = (
      await twin.arm.check!(
        appUrn,
        {},
        {
          resourceGroupName: rg.outs.name!,
          location: "westeurope",
          managedEnvironmentId: env.id,
          configuration: { ingress: { external: true, targetPort: 80 } },
        },
      )
    ).inputs as JsonObject;
    const appPreview = (await previewing.run(true, () => twin.arm.create!(appUrn, app))).outs as JsonObject;
    expect(appPreview.configuration).toEqual({ ingress: { external: true, targetPort: 80, fqdn: UNKNOWN } });

    const oldInputs = (site.outs.__inputs as { value: JsonObject }).value;
    const update = (
      await previewing.run(true, () =>
        twin.arm.update!(site.id, twin.urn(T.site, "api-site"), site.outs, { ...oldInputs, httpsOnly: true }),
      )
    ).outs as JsonObject;
    expect(update).toMatchObject({
      httpsOnly: true,
      identity: site.outs.identity,
      defaultHostName: site.outs.defaultHostName,
    });
    expect(twin.state().arm.resources[site.id.toLowerCase()]?.properties.httpsOnly).toBeUndefined();
  });

  it("keeps what ARM computed across an update", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const inputs = (site.outs.__inputs as { value: JsonObject }).value;
    const updated = (
      await twin.arm.update!(site.id, twin.urn(T.site, "api-site"), site.outs, { ...inputs, httpsOnly: true })
    ).outs as JsonObject;
    expect(updated.httpsOnly).toBe(true);
    expect(updated.defaultHostName).toBe(site.outs.defaultHostName);
    expect(updated.identity).toEqual(site.outs.identity);
  });

  it("deletes a resource group's children and their identities with it", async () => {
    const twin = freshTwin();
    const { rg, site } = await siteIn(twin);
    const principalId = String((site.outs.identity as JsonObject).principalId);
    await twin.arm.delete!(rg.id, twin.urn(T.rg, "rg"), rg.outs);
    const state = twin.state();
    expect(Object.keys(state.arm.resources)).toEqual([]);
    expect(state.graph.servicePrincipals[principalId]).toBeUndefined();
    expect(await twin.arm.read!(site.id, twin.urn(T.site, "api-site"), site.outs)).toEqual({ id: "", props: {} });
  });

  it("reports drift made behind Pulumi's back on refresh", async () => {
    const twin = freshTwin();
    const { rg, site } = await siteIn(twin);
    const ftp = await twin.create(T.ftp, "ftp", {
      resourceGroupName: rg.outs.name!,
      name: site.outs.name!,
      allow: false,
    });
    withState((state) => {
      state.arm.resources[ftp.id.toLowerCase()]!.properties.allow = true;
    });
    const read = await twin.arm.read!(ftp.id, twin.urn(T.ftp, "ftp"), ftp.outs);
    expect(read.inputs).toMatchObject({ allow: true });
    const diff = await twin.arm.diff!(ftp.id, twin.urn(T.ftp, "ftp"), read.props, ftp.inputs);
    expect(diff.changes).toBe(true);
  });

  it("imports (no previous state): inputs that make the resource as it is, none of what ARM computes", async () => {
    const twin = freshTwin();
    const { rg, plan, site } = await siteIn(twin);
    const read = await twin.arm.read!(site.id, twin.urn(T.site, "adopted-site"), {});
    expect(read.id).toBe(site.id);
    expect(read.inputs).toEqual({
      resourceGroupName: rg.outs.name,
      name: site.outs.name,
      location: "westeurope",
      kind: "app,linux",
      identity: { type: "SystemAssigned" },
      serverFarmId: plan.id,
      siteConfig: { linuxFxVersion: "NODE|22-lts" },
    });
    // The program's own inputs then differ only where the cloud differs: no replacement for the names.
    const diff = await twin.arm.diff!(site.id, twin.urn(T.site, "adopted-site"), read.props, {
      ...site.inputs,
      httpsOnly: true,
    });
    expect(diff).toEqual({ changes: true, replaces: [] });
    const group = await twin.arm.read!(rg.id, twin.urn(T.rg, "adopted-rg"), {});
    expect(group.inputs).toEqual({ resourceGroupName: rg.outs.name, location: "westeurope" });
  });

  it("a refresh (a previous state) still reports the inputs it was given, not an import's", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const read = await twin.arm.read!(site.id, twin.urn(T.site, "api-site"), {
      ...site.outs,
      __inputs: site.inputs,
    });
    expect(read.inputs).toMatchObject({ siteConfig: { linuxFxVersion: "NODE|22-lts" } });
    expect(read.inputs).not.toHaveProperty("defaultHostName");
  });

  it("a site's publishing policy never written exists as long as the site, in its default state", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const ftp = `${site.id}/basicPublishingCredentialsPolicies/ftp`;
    const read = await twin.arm.read!(ftp, twin.urn(T.ftp, "adopted-ftp"), {});
    expect(read.props).toMatchObject({ allow: true });
    expect(read.inputs).toMatchObject({ name: site.outs.name, allow: true });
    // An update is a PUT: it writes the policy from its default state.
    const updated = await twin.arm.update!(ftp, twin.urn(T.ftp, "adopted-ftp"), read.props, {
      ...read.inputs,
      allow: false,
    });
    expect(updated.outs).toMatchObject({ allow: false });
    expect(twin.state().arm.resources[ftp.toLowerCase()]?.properties).toEqual({ allow: false });
    await twin.arm.delete!(site.id, twin.urn(T.site, "api-site"), site.outs);
    expect(await twin.arm.read!(ftp, twin.urn(T.ftp, "adopted-ftp"), {})).toEqual({ id: "", props: {} });
  });
});
