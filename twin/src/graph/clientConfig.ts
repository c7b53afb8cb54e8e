/** azuread's `getClientConfig` data source: who deploys (node_modules/@pulumi/azuread/getClientConfig.d.ts). */
import { deployerClientId, deployerOf } from "../deployer.ts";
import type { InvokeHandler } from "../provider.ts";

export const getClientConfig: InvokeHandler = (state) => {
  const objectId = deployerOf(state).servicePrincipalId;
  const clientId = deployerClientId(state) ?? "";
  // The id the data source reports is a guess at the provider's format.
  return { clientId, objectId, tenantId: state.tenantId, id: `${state.tenantId}-${clientId}-${objectId}` };
};
