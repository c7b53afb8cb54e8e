// The Entra runtime over a state of two tenants: each has its own token endpoint and discovery document,
// its tokens carry its `tid`, an app of one tenant cannot sign in at the other's endpoint, and a site
// takes only its own tenant's tokens.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  call,
  claimsOf,
  clientAssertionToken,
  currentAddresses,
  githubAssertion,
  managedIdentityToken,
  type RuntimeProcess,
  start,
} from "../../src/entra-runtime/client.ts";
import { type TwinState, newTenant, newWorld, writeStateAtomically } from "../../src/state.ts";
import { CALLEE_CLIENT, CALLEE_URI, CI_CLIENT, CI_SUBJECT, T, fixture } from "./fixture.ts";

const OTHER = "e0000000-0000-4000-8000-00000000bbbb";
const OTHER_CI_APP = "a0000000-0000-4000-8000-00000000bbb1";
const OTHER_CI_SP = "50000000-0000-4000-8000-00000000bbb1";
const OTHER_CI_CLIENT = "c0000000-0000-4000-8000-00000000bbb1";
const OTHER_SUB = "5e000000-0000-4000-8000-00000000bbbb";
const LATE_MI = "60000000-0000-4000-8000-00000000bbb3";
const LATE_MI_CLIENT = "d0000000-0000-4000-8000-00000000bbb3";
const THIRD = "e0000000-0000-4000-8000-00000000cccc";

/**
 * A second tenant holding the callee's (multi-tenant) application as a service principal of its own, and a
 * CI app trusted by the same GitHub subject as the first tenant's; `late`: and a site with a managed identity
 * in its subscription, as a `pulumi up` of a stack there after the runtime started would make it.
 */
function other(late = false): TwinState {
  const tenant = newTenant(OTHER, OTHER_SUB);
  if (late) {
    const id = `/subscriptions/${OTHER_SUB}/resourcegroups/rg-other/providers/microsoft.web/sites/late-other-app`;
    tenant.arm.resources[id] = {
      id,
      name: "late-other-app",
      type: "Microsoft.Web/sites",
      identity: { type: "SystemAssigned", principalId: LATE_MI, tenantId: OTHER },
      properties: { defaultHostName: "late-other-app.azurewebsites.net" },
    };
    tenant.graph.servicePrincipals[LATE_MI] = {
      id: LATE_MI,
      appId: LATE_MI_CLIENT,
      displayName: "late-other-app",
      servicePrincipalType: "ManagedIdentity",
    };
  }
  tenant.graph.applications[OTHER_CI_APP] = { id: OTHER_CI_APP, appId: OTHER_CI_CLIENT, displayName: "other-ci" };
  tenant.graph.servicePrincipals[OTHER_CI_SP] = { id: OTHER_CI_SP, appId: OTHER_CI_CLIENT, displayName: "other-ci" };
  tenant.graph.servicePrincipals["50000000-0000-4000-8000-00000000bbb2"] = {
    id: "50000000-0000-4000-8000-00000000bbb2",
    appId: CALLEE_CLIENT,
    displayName: "callee (other tenant)",
    appRoleAssignmentRequired: false,
  };
  tenant.graph.federatedIdentityCredentials.f = {
    id: "f",
    applicationObjectId: OTHER_CI_APP,
    name: "github",
    issuer: "https://token.actions.githubusercontent.com",
    subject: CI_SUBJECT,
    audiences: ["api://AzureADTokenExchange"],
  };
  return tenant;
}

let rt: RuntimeProcess;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "twin-entra-tenants-"));
  const file = join(dir, "state.json");
  writeStateAtomically(file, newWorld(fixture() as unknown as TwinState, other()));
  rt = await start(file);
}, 30_000);
afterAll(async () => {
  await rt?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the runtime over two tenants", () => {
  test("serves a token endpoint and discovery per tenant, and AADSTS90002 for one it does not hold", async () => {
    expect(Object.keys(rt.tenants).sort()).toEqual([T, OTHER].sort());
    expect(rt.tenants[OTHER]!.tokenEndpoint).toBe(`${rt.authorityHost}/${OTHER}/oauth2/v2.0/token`);
    const discovery = await call(rt, `${rt.authorityHost}/${OTHER}/v2.0/.well-known/openid-configuration`);
    expect(discovery.body).toMatchObject({
      issuer: `https://login.microsoftonline.com/${OTHER}/v2.0`,
      token_endpoint: rt.tenants[OTHER]!.tokenEndpoint,
    });
    const nowhere = await call(rt, `${rt.authorityHost}/f0000000-0000-4000-8000-00000000dead/discovery/v2.0/keys`);
    expect(String(nowhere.body["error_description"])).toMatch(/^AADSTS90002: /);
  });

  test("an app signs in at its own tenant's endpoint only: elsewhere AADSTS700016", async () => {
    const assertion = await githubAssertion(rt, CI_SUBJECT);
    const own = await clientAssertionToken(rt, CI_CLIENT, assertion, `${CALLEE_URI}/.default`);
    expect(claimsOf(own.body["access_token"] as string)).toMatchObject({ tid: T });
    const elsewhere = await clientAssertionToken(rt, CI_CLIENT, assertion, `${CALLEE_URI}/.default`, OTHER);
    expect(String(elsewhere.body["error_description"])).toMatch(
      new RegExp(`^AADSTS700016: Application with identifier '${CI_CLIENT}' was not found in the directory '${OTHER}'`),
    );
  });

  test("a token of the other tenant carries its tid, and the first tenant's site refuses it", async () => {
    const assertion = await githubAssertion(rt, CI_SUBJECT);
    const got = await clientAssertionToken(rt, OTHER_CI_CLIENT, assertion, `${CALLEE_CLIENT}/.default`, OTHER);
    const token = got.body["access_token"] as string;
    expect(claimsOf(token)).toMatchObject({ tid: OTHER, aud: CALLEE_CLIENT, iss: `https://sts.windows.net/${OTHER}/` });
    expect(rt.sites["callee-app"]?.tenantId).toBe(T);
    const res = await fetch(`${rt.sites["callee-app"]!.url}/api`, { headers: { authorization: `Bearer ${token}` } });
    expect({ status: res.status, reason: res.headers.get("x-twin-reason") }).toEqual({
      status: 401,
      reason: `issuer https://sts.windows.net/${OTHER}/ does not match https://login.microsoftonline.com/${T}/v2.0`,
    });
  });

  test("a site made in another tenant after the start is served as its own; a later tenant is listed", async () => {
    const file = join(dir, "state.json");
    writeStateAtomically(file, newWorld(fixture() as unknown as TwinState, other(true), newTenant(THIRD)));
    try {
      const now = await currentAddresses(rt);
      expect(Object.keys(now.tenants).sort()).toEqual([T, OTHER, THIRD].sort());
      expect(now.sites["late-other-app"]).toMatchObject({ tenantId: OTHER, host: "late-other-app.azurewebsites.net" });
      // Its identity gets its tokens from its own tenant, where the callee's service principal requires no assignment.
      const got = await managedIdentityToken(now, "late-other-app", CALLEE_CLIENT);
      expect(got.status).toBe(200);
      expect(claimsOf(String(got.body["access_token"]))).toMatchObject({ tid: OTHER, appid: LATE_MI_CLIENT });
    } finally {
      writeStateAtomically(file, newWorld(fixture() as unknown as TwinState, other()));
    }
  });
});
