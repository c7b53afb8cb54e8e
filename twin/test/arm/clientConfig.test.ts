// twin/src/arm/clientConfig.ts: azure-native's getClientConfig.
import { freshTwin } from "../fixture.ts";

describe("azure-native authorization:getClientConfig", () => {
  it("answers getClientConfig with the deployer, tenant and subscription", async () => {
    const twin = freshTwin();
    const state = twin.state();
    const result = await twin.arm.invoke!("azure-native:authorization:getClientConfig", {});
    expect(result.outputs).toEqual({
      clientId: state.graph.servicePrincipals[state.deployer.servicePrincipalId]!.appId,
      objectId: state.deployer.servicePrincipalId,
      subscriptionId: state.subscriptionId,
      tenantId: state.tenantId,
    });
  });
});
