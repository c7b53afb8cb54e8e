// s2s-auth: callers reach callees with their managed identities only. This file wires the
// validated stack config to the components and exports what operators and developers need.
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { loadConfig, PROJECT, type CalleeConfig, type CallerConfig } from "./config.ts";
import { CallerApp, ExternalCaller, type CalleeEndpoint } from "./components/callerApp.ts";
import { CiPrincipal } from "./components/ciPrincipal.ts";
import { Hosting } from "./components/hosting.ts";
import type { PrincipalRef } from "./components/principal.ts";
import { ProtectedApi } from "./components/protectedApi.ts";

/**
 * Callees in an order where each comes after the callees it calls itself (a service can be
 * both), since its app settings need their addresses. Config validation rejects cycles.
 */
function calleesInCallOrder(callees: CalleeConfig[], callers: CallerConfig[]): CalleeConfig[] {
  const callsOf = new Map(callers.map((c) => [c.name, c.calls.map((call) => call.callee)]));
  const ordered: CalleeConfig[] = [];
  const placed = new Set<string>();
  const byName = new Map(callees.map((c) => [c.name, c]));
  const place = (callee: CalleeConfig): void => {
    if (placed.has(callee.name)) return;
    placed.add(callee.name);
    for (const next of callsOf.get(callee.name) ?? []) place(byName.get(next)!);
    ordered.push(callee);
  };
  callees.forEach(place);
  return ordered;
}

export default function main() {
  const config = loadConfig();
  // Prod resources refuse `pulumi destroy`; children inherit protect from these components.
  const opts: pulumi.ComponentResourceOptions = { protect: config.environment === "prod" };
  const hosts = [...config.callees.map((c) => c.host), ...config.callers.map((c) => c.host)];
  const hosting = new Hosting(
    PROJECT,
    { location: config.location, sku: config.appServicePlanSku, containerApps: hosts.includes("containerApp") },
    opts,
  );

  const callerConfig = new Map(config.callers.map((c) => [c.name, c]));
  const callees = new Map<string, ProtectedApi>();
  const endpointsOf = (caller: CallerConfig): CalleeEndpoint[] =>
    caller.calls.map(({ callee }) => ({
      name: callee,
      url: callees.get(callee)!.url,
      resourceId: callees.get(callee)!.resourceId,
    }));

  for (const c of calleesInCallOrder(config.callees, config.callers)) {
    const outbound = callerConfig.get(c.name);
    const api = new ProtectedApi(
      c.name,
      {
        hosting,
        host: c.host,
        displayName: `${c.name}-${config.stack}`,
        appRoles: c.appRoles,
        owners: config.owners,
        calls: outbound && endpointsOf(outbound),
        developerAccess: config.devAccess,
      },
      opts,
    );
    callees.set(c.name, api);
  }

  // Every caller's identity: its own app's, an existing identity's, or a callee's that calls on.
  const identities = new Map<
    string,
    { principalId: pulumi.Output<string>; identity: pulumi.Output<PrincipalRef>; url?: pulumi.Output<string> }
  >();
  for (const c of config.callers) {
    const api = callees.get(c.name);
    if (api) identities.set(c.name, { principalId: api.principalId, identity: api.identity, url: api.url });
    else if (c.host === "external")
      identities.set(c.name, new ExternalCaller(c.name, { principalId: c.principalId! }, opts));
    else identities.set(c.name, new CallerApp(c.name, { hosting, host: c.host, callees: endpointsOf(c) }, opts));
  }

  // Integration tests (dev and test only, config validation refuses it in prod).
  const ci =
    config.ciAccess &&
    new CiPrincipal(
      "ci-principal",
      {
        displayName: `${PROJECT}-ci-${config.stack}`,
        repository: config.ciAccess.repository,
        subjects: config.ciAccess.subjects,
        owners: config.owners,
      },
      opts,
    );
  // A label no caller can have (site names have no '_'), so grant names never collide.
  const ciCaller = "ci_principal";

  for (const [name, api] of callees) {
    api.allow([
      ...config.callers.flatMap((c) =>
        c.calls
          .filter((call) => call.callee === name)
          .map((call) => ({ caller: c.name, identity: identities.get(c.name)!.identity, role: call.role })),
      ),
      ...(ci && config.ciAccess
        ? config.ciAccess.calls
            .filter((call) => call.callee === name)
            .map((call) => ({ caller: ciCaller, identity: ci.identity, role: call.role }))
        : []),
    ]);
  }

  return {
    environment: config.environment,
    tenantId: azuread.getClientConfigOutput().tenantId,
    callees: Object.fromEntries(
      [...callees].map(([name, api]) => [
        name,
        {
          url: api.url,
          resourceId: api.resourceId,
          clientId: api.clientId,
          servicePrincipalObjectId: api.servicePrincipal.objectId,
        },
      ]),
    ),
    callers: Object.fromEntries(
      [...identities].map(([name, id]) => [name, { url: id.url, principalId: id.principalId }]),
    ),
    // What `npm run smoke` signs in as from GitHub Actions (AZURE_CLIENT_ID); not a secret.
    ciPrincipalClientId: ci?.clientId,
    // What a developer runs on a devbox to call a dev callee (see README, "From a devbox").
    developerTokenCommands: config.devAccess
      ? Object.fromEntries(
          [...callees].map(([name, api]) => [
            name,
            pulumi.interpolate`az account get-access-token --resource ${api.resourceId}`,
          ]),
        )
      : undefined,
  };
}
