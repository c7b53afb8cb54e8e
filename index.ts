// s2s-auth: callers reach callees with their managed identities only. This file wires the
// validated stack config to the components and exports what operators and developers need.
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { loadConfig, PROJECT } from "./config.ts";
import { CallerApp } from "./components/callerApp.ts";
import { Hosting } from "./components/hosting.ts";
import { ProtectedApi } from "./components/protectedApi.ts";

export default function main() {
  const config = loadConfig();
  // Prod resources refuse `pulumi destroy`; children inherit protect from these components.
  const opts: pulumi.ComponentResourceOptions = { protect: config.environment === "prod" };

  const hosting = new Hosting(PROJECT, { location: config.location, sku: config.appServicePlanSku }, opts);

  const callees = new Map(
    config.callees.map((c) => [
      c.name,
      new ProtectedApi(
        c.name,
        { hosting, displayName: `${c.name}-${config.stack}`, appRoles: c.appRoles, developerAccess: config.devAccess },
        opts,
      ),
    ]),
  );
  const calleeOf = (name: string) => callees.get(name)!; // config validation guarantees it exists

  const callers = config.callers.map((c) => ({
    config: c,
    app: new CallerApp(
      c.name,
      { hosting, callees: c.calls.map(({ callee }) => ({ name: callee, url: calleeOf(callee).url, resourceId: calleeOf(callee).resourceId })) },
      opts,
    ),
  }));

  for (const [name, api] of callees) {
    api.allow(
      callers.flatMap(({ config: c, app }) =>
        c.calls.filter((call) => call.callee === name).map((call) => ({ caller: c.name, identity: app.identity, role: call.role })),
      ),
    );
  }

  return {
    environment: config.environment,
    tenantId: azuread.getClientConfigOutput().tenantId,
    callees: Object.fromEntries(
      [...callees].map(([name, api]) => [
        name,
        { url: api.url, resourceId: api.resourceId, clientId: api.clientId, servicePrincipalObjectId: api.servicePrincipal.objectId },
      ]),
    ),
    callers: Object.fromEntries(callers.map(({ config: c, app }) => [c.name, { url: app.url, principalId: app.principalId }])),
    // What a developer runs on a devbox to call a dev callee (see README, "Developer access").
    developerTokenCommands: config.devAccess
      ? Object.fromEntries([...callees].map(([name, api]) => [name, pulumi.interpolate`az account get-access-token --resource ${api.resourceId}`]))
      : undefined,
  };
}
