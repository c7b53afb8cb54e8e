/** azure-native `authorization:getClientConfig` (function): the deployer's ids and the subscription. */
import { deployerClientId, deployerOf } from "../deployer.ts";
import type { InvokeHandler } from "../provider.ts";

/** node_modules/@pulumi/azure-native/authorization/getClientConfig.d.ts. */
export const getClientConfig: InvokeHandler = (state) => ({
  clientId: deployerClientId(state) ?? "",
  objectId: deployerOf(state).servicePrincipalId,
  subscriptionId: state.subscriptionId,
  tenantId: state.tenantId,
});
