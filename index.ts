// s2s-auth: callers reach callees with their managed identities only. This file wires the
// validated stack config to the components and exports what operators and developers need.
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "./components/azuread.ts";
import { loadConfig, PROJECT, type CallConfig, type CalleeConfig, type CallerConfig } from "./config.ts";
import { CiPrincipal } from "./components/access/ciPrincipal.ts";
import { ProtectedApi } from "./components/api/protectedApi.ts";
import { CallerApp } from "./components/app/callerApp.ts";
import { ExternalCaller } from "./components/app/externalCaller.ts";
import { Hosting } from "./components/hosting/hosting.ts";

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

  const callees = new Map<string, ProtectedApi>();
  const callerConfig = new Map(config.callers.map((c) => [c.name, c]));
  const endpointsOf = (calls: readonly CallConfig[]) => calls.map((call) => callees.get(call.callee)!.endpoint);
  for (const c of calleesInCallOrder(config.callees, config.callers)) {
    const api = new ProtectedApi(
      c.name,
      {
        hosting,
        host: c.host,
        displayName: `${c.name}-${config.stack}`,
        appRoles: c.appRoles,
        owners: config.owners,
        calls: endpointsOf(callerConfig.get(c.name)?.calls ?? []),
        developerAccess: config.devAccess,
        ...(c.existingApplication ? { existingApplication: c.existingApplication } : {}),
      },
      opts,
    );
    callees.set(c.name, api);
  }

  // Every caller: its own app, an existing identity, or a callee that calls on.
  const callers = new Map(
    config.callers.map((c) => [
      c.name,
      callees.get(c.name) ??
        (c.host === "external"
          ? new ExternalCaller(c.name, { principalId: c.principalId! }, opts)
          : new CallerApp(c.name, { hosting, host: c.host, callees: endpointsOf(c.calls) }, opts)),
    ]),
  );
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

  // Every grant the config declares, callee by callee; each callee seals its allow-list after its last.
  for (const [name, api] of callees) {
    for (const caller of config.callers) {
      for (const call of caller.calls.filter((c) => c.callee === name)) api.allow(callers.get(caller.name)!, call.role);
    }
    if (ci) {
      for (const call of config.ciAccess!.calls.filter((c) => c.callee === name)) api.allow(ci, call.role);
    }
    api.seal();
  }

  // Keys only where they have a value: Pulumi warns on every run about a top-level output left undefined.
  return {
    environment: config.environment,
    tenantId: azuread.getClientConfigOutput().tenantId,
    // What shipping code takes: `az webapp deploy --resource-group <this> --name <callees.x.appName>`.
    resourceGroupName: hosting.resourceGroupName,
    callees: Object.fromEntries(
      [...callees].map(([name, api]) => [
        name,
        {
          url: api.url,
          appName: api.appName,
          applicationIdUri: api.applicationIdUri,
          clientId: api.clientId,
          servicePrincipalObjectId: api.servicePrincipalObjectId,
        },
      ]),
    ),
    callers: Object.fromEntries(
      [...callers].map(([name, caller]) => [
        name,
        "url" in caller
          ? { url: caller.url, appName: caller.appName, principalId: caller.principalId }
          : { principalId: caller.principalId },
      ]),
    ),
    // What `npm run smoke` signs in as from GitHub Actions (AZURE_CLIENT_ID); not a secret.
    ...(ci ? { ciPrincipalClientId: ci.clientId } : {}),
    // What a developer runs on a devbox to call a dev callee (see docs/how-it-works.md, "From a devbox").
    ...(config.devAccess
      ? {
          developerTokenCommands: Object.fromEntries(
            [...callees].map(([name, api]) => [
              name,
              pulumi.interpolate`az account get-access-token --resource ${api.applicationIdUri}`,
            ]),
          ),
        }
      : {}),
  };
}
