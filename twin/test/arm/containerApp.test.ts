// twin/src/arm/containerApp.ts and managedEnvironment.ts: Container Apps and their environments, as ARM answers.
import { T, freshTwin } from "../fixture.ts";

describe("azure-native app:ContainerApp and app:ManagedEnvironment", () => {
  it("enforces Container Apps' naming rules at create and serves ingress on the environment's domain", async () => {
    const twin = freshTwin();
    const rg = await twin.create(T.rg, "rg", { location: "westeurope" });
    const group = rg.outs.name!;
    await expect(
      twin.create(T.env, "e", { resourceGroupName: group, environmentName: "Env", location: "westeurope" }),
    ).rejects.toThrow(/ManagedEnvironmentInvalidName/);
    const env = await twin.create(T.env, "env", { resourceGroupName: group, location: "westeurope" });
    await expect(
      twin.create(T.containerApp, "c", {
        resourceGroupName: group,
        containerAppName: "my--app",
        managedEnvironmentId: env.id,
        location: "westeurope",
      }),
    ).rejects.toThrow(/ContainerAppInvalidName/);
    await expect(
      twin.create(T.containerApp, "c", {
        resourceGroupName: group,
        containerAppName: "a".repeat(33),
        managedEnvironmentId: env.id,
        location: "westeurope",
      }),
    ).rejects.toThrow(/ContainerAppInvalidName/);
    const ok = await twin.create(T.containerApp, "c", {
      resourceGroupName: group,
      containerAppName: "orders",
      managedEnvironmentId: env.id,
      location: "westeurope",
      configuration: { ingress: { external: true, targetPort: 80 } },
    });
    expect((ok.outs.configuration as { ingress: { fqdn: string } }).ingress.fqdn).toBe(
      `orders.${String(env.outs.defaultDomain)}`,
    );
  });

  it("serves an update's ingress on the FQDN its configuration gives", async () => {
    const twin = freshTwin();
    const rg = await twin.create(T.rg, "rg", { location: "westeurope" });
    const env = await twin.create(T.env, "env", { resourceGroupName: rg.outs.name!, location: "westeurope" });
    const app = await twin.create(T.containerApp, "orders", {
      resourceGroupName: rg.outs.name!,
      managedEnvironmentId: env.id,
      location: "westeurope",
      configuration: { ingress: { external: true, targetPort: 80 } },
    });
    const internal = (
      await twin.arm.update!(app.id, twin.urn(T.containerApp, "orders"), app.outs, {
        ...app.inputs,
        configuration: { ingress: { external: false, targetPort: 80 } },
      })
    ).outs as { configuration: { ingress: { fqdn: string } } };
    expect(internal.configuration.ingress.fqdn).toBe(
      `${String(app.outs.name)}.internal.${String(env.outs.defaultDomain)}`,
    );
  });
});
