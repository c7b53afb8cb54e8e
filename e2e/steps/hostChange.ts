// A service changes host, App Service → Function App, first a granted callee and then its caller: azure-native
// replaces a site whose kind changes (twin/src/arm/replacement.json), so the site is new, with a new name and
// a new identity. The grants and the allow-list must follow the new identity and nothing of the old sites
// may stay behind in the twin. Then someone removes the caller's grant by hand and the review stack is
// destroyed by review-stacks.yml's own script: azuread fails to delete what is already gone unless the
// state is refreshed first (twin/src/graph/appRoleAssignment.ts), and the script must cope.
import assert from "node:assert/strict";
import type { TwinState } from "@s2s-auth/twin/state.ts";
import { copyOfDev, outputs, step } from "./context.ts";

const STACK = "dev-pr-11";

interface Service {
  url: string;
  principalId?: string;
  clientId?: string;
  servicePrincipalObjectId?: string;
}

async function services(ws: Parameters<typeof outputs>[0]) {
  const out = await outputs(ws, STACK);
  const callee = (out.callees as Record<string, Service>)["the-callee"]!;
  const caller = (out.callers as Record<string, Service>)["the-caller"]!;
  return { callee, caller };
}

/** The site serving `url`, its identity and its EasyAuth allow-list, as the twin holds them. */
function siteOf(tenant: TwinState, url: string) {
  const host = new URL(url).host;
  const site = Object.values(tenant.arm.resources).find(
    (r) => r.type === "Microsoft.Web/sites" && r.properties.defaultHostName === host,
  );
  assert(site !== undefined, `no site serves ${url}`);
  const auth = tenant.arm.resources[`${site.id}/config/authsettingsV2`.toLowerCase()];
  const validation = (auth?.properties.identityProviders as { azureActiveDirectory?: { validation?: unknown } })
    ?.azureActiveDirectory?.validation as
    { defaultAuthorizationPolicy?: { allowedApplications?: string[] } } | undefined;
  return {
    site,
    principalId: site.identity?.principalId ?? "",
    allowed: validation?.defaultAuthorizationPolicy?.allowedApplications ?? [],
  };
}

/**
 * What the host changes could leave behind: the old identities, and assignments on the callee to principals
 * that no longer exist. Only this stack's objects are looked at: other lanes change the tenant meanwhile.
 */
function orphans(tenant: TwinState, resourceId: string, oldPrincipals: readonly string[]): string[] {
  const found = oldPrincipals
    .filter((id) => tenant.graph.servicePrincipals[id] !== undefined)
    .map((id) => `old identity ${id}`);
  for (const a of Object.values(tenant.graph.appRoleAssignments)) {
    if (a.resourceId !== resourceId) continue;
    const { servicePrincipals, users, groups } = tenant.graph;
    if (!servicePrincipals[a.principalId] && !users[a.principalId] && !groups[a.principalId])
      found.push(`assignment ${a.id} to a principal that is gone`);
  }
  return found;
}

export const hostChange = step({
  name:
    "host change: a granted callee, then its caller, move to Function App: sites replaced, new identities, " +
    "grants and allow-list follow, nothing orphaned; destroy after a grant was removed by hand",
  run: async ({ ws }) => {
    await copyOfDev(ws, STACK);
    await ws.pulumi(STACK, ["up", "--yes", "--skip-preview"]);
    const before = await services(ws);
    const calleeBefore = siteOf(ws.tenant<TwinState>(), before.callee.url);
    const callerBefore = siteOf(ws.tenant<TwinState>(), before.caller.url);

    // The callee moves: its site is replaced, and the new site's EasyAuth admits the same caller.
    await ws.pulumi(STACK, ["config", "set", "--path", "s2s-auth:callees[0].host", "functionApp"]);
    const calleeUp = await ws.pulumi(STACK, ["up", "--yes", "--skip-preview"]);
    assert(/replaced/.test(calleeUp.stdout), `the callee's site was not replaced:\n${calleeUp.stdout}`);
    await ws.pulumi(STACK, ["preview", "--expect-no-changes"]);
    const moved = await services(ws);
    let tenant = ws.tenant<TwinState>();
    const calleeAfter = siteOf(tenant, moved.callee.url);
    assert(calleeAfter.site.kind === "functionapp,linux", `the callee's site is ${calleeAfter.site.kind}`);
    assert(calleeAfter.principalId !== calleeBefore.principalId, "the callee kept its identity");
    assert(tenant.arm.resources[calleeBefore.site.id.toLowerCase()] === undefined, "the callee's old site is left");
    assert(tenant.graph.servicePrincipals[calleeBefore.principalId] === undefined, "the callee's old identity is left");
    const callerClient = tenant.graph.servicePrincipals[callerBefore.principalId]!.appId;
    assert(
      calleeAfter.allowed.includes(callerClient),
      `the new callee site does not admit the caller: ${calleeAfter.allowed}`,
    );

    // The caller moves: a new identity, granted in place of the old one, and in the allow-list instead.
    await ws.pulumi(STACK, ["config", "set", "--path", "s2s-auth:callers[0].host", "functionApp"]);
    await ws.pulumi(STACK, ["up", "--yes", "--skip-preview"]);
    await ws.pulumi(STACK, ["preview", "--expect-no-changes"]);
    const last = await services(ws);
    tenant = ws.tenant<TwinState>();
    const callerAfter = siteOf(tenant, last.caller.url);
    const calleeNow = siteOf(tenant, last.callee.url);
    const newClient = tenant.graph.servicePrincipals[callerAfter.principalId]!.appId;
    assert(callerAfter.principalId !== callerBefore.principalId, "the caller kept its identity");
    const resource = last.callee.servicePrincipalObjectId!;
    const grants = Object.values(tenant.graph.appRoleAssignments).filter((a) => a.resourceId === resource);
    assert(
      grants.some((a) => a.principalId === callerAfter.principalId) &&
        !grants.some((a) => a.principalId === callerBefore.principalId),
      `the grant did not follow the caller: ${JSON.stringify(grants)}`,
    );
    assert(
      calleeNow.allowed.includes(newClient) && !calleeNow.allowed.includes(callerClient),
      `the allow-list did not follow the caller: ${calleeNow.allowed}`,
    );
    const old = [calleeBefore.principalId, callerBefore.principalId];
    const left = orphans(tenant, resource, old);
    assert(left.length === 0, `orphaned in the twin: ${left.join("; ")}`);

    // Someone removes the caller's grant by hand; review-stacks.yml's destroy script must still destroy.
    const grant = grants.find((a) => a.principalId === callerAfter.principalId)!;
    await ws.twin(["unset", `graph.appRoleAssignments.${grant.id}`]);
    const plain = await ws.pulumi(STACK, ["destroy", "--yes", "--skip-preview"], { allowFailure: true });
    assert(
      plain.code !== 0 && /unexpected status 404/.test(plain.stdout + plain.stderr),
      `a plain destroy should fail on the grant already gone, as azuread's delete does:\n${plain.stdout.slice(-2000)}`,
    );
    await ws.run("bash", ["tools/scripts/destroy-review-stacks.sh", STACK], {
      env: { PULUMI_SECRETS_PROVIDER: "passphrase", GITHUB_STEP_SUMMARY: `${ws.dir}/.host-change-summary.md` },
    });
    const gone = orphans(ws.tenant<TwinState>(), resource, old);
    assert(gone.length === 0, `orphaned after destroy: ${gone.join("; ")}`);
    return (
      `callee ${calleeBefore.site.name} → ${calleeAfter.site.name}, caller ${callerBefore.site.name} → ` +
      `${callerAfter.site.name}; grant and allow-list followed; a plain destroy failed on the removed grant ` +
      `(404), the review-stacks script destroyed it`
    );
  },
});
