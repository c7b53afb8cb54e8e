// The issuance and EasyAuth rules as pure functions, for the paths the process-level tests
// don't walk: consent grants, scopes, federated-credential mismatches, and EasyAuth actions.
import { judge, type AuthSettings } from "../../src/entra-runtime/easyauth.ts";
import { decide, type Decision, type TokenRequest } from "../../src/entra-runtime/entra.ts";
import { sites, type Site } from "../../src/entra-runtime/state.ts";
import type { TwinState } from "../../src/state.ts";
import {
  ALICE,
  AZURE_CLI,
  BOB,
  CALLEE_CLIENT,
  CALLEE_SP,
  CALLEE_URI,
  CALLER_MI,
  CI_CLIENT,
  CI_SUBJECT,
  GITHUB,
  OTHER_CLIENT,
  T,
  fixture,
  type FixtureOptions,
} from "./fixture.ts";

const NOW = 1_900_000_000;
const state = (o: FixtureOptions = {}): TwinState => fixture(o) as unknown as TwinState;
const err = (d: Decision): string => (d.ok ? "ok" : `AADSTS${d.err.code}`);
const claims = (d: Decision): Record<string, unknown> => {
  if (!d.ok) throw new Error(`refused: AADSTS${d.err.code} ${d.err.message}`);
  return d.claims;
};
const user = (upn: string, scope = `${CALLEE_URI}/.default`): TokenRequest => ({
  kind: "user",
  clientId: AZURE_CLI,
  userPrincipalName: upn,
  scope,
});
const federated = (
  a: Partial<{ iss: string; sub: string; aud: string[]; exp: number }> = {},
  scope = `${CALLEE_URI}/.default`,
): TokenRequest => ({
  kind: "federated",
  clientId: CI_CLIENT,
  scope,
  assertion: { iss: GITHUB, sub: CI_SUBJECT, aud: ["api://AzureADTokenExchange"], exp: NOW + 300, ...a },
});

describe("issuance", () => {
  test("a v2 user token carries azp, azpacr 0, preferred_username and scp, no appid or upn", () => {
    const c = claims(decide(state({ tokenVersion: 2 }), user("alice@contoso.example"), NOW));
    expect(c).toMatchObject({
      azp: AZURE_CLI,
      azpacr: "0",
      preferred_username: "alice@contoso.example",
      scp: "user_impersonation",
      ver: "2.0",
      aud: CALLEE_CLIENT,
    });
    expect(c).not.toHaveProperty("appid");
    expect(c).not.toHaveProperty("upn");
    expect(c["exp"]).toBe(NOW + 3_599);
  });

  test("without pre-authorization, tenant-wide consent to the client's service principal lets the user in", () => {
    const s = state({ preAuthorizeCli: false });
    expect(err(decide(s, user("alice@contoso.example"), NOW))).toBe("AADSTS65001");
    s.graph.servicePrincipals["cli-sp"] = { id: "cli-sp", appId: AZURE_CLI };
    s.graph.oauth2PermissionGrants = {
      g: {
        id: "g",
        clientId: "cli-sp",
        consentType: "AllPrincipals",
        resourceId: CALLEE_SP,
        scope: "user_impersonation",
      },
    };
    expect(claims(decide(s, user("alice@contoso.example"), NOW))["scp"]).toBe("user_impersonation");
  });

  test("one user's consent does not cover another user", () => {
    const s = state({ preAuthorizeCli: false });
    s.graph.servicePrincipals["cli-sp"] = { id: "cli-sp", appId: AZURE_CLI };
    s.graph.oauth2PermissionGrants = {
      g: {
        id: "g",
        clientId: "cli-sp",
        consentType: "Principal",
        principalId: BOB,
        resourceId: CALLEE_SP,
        scope: "user_impersonation",
      },
    };
    expect(err(decide(s, user("alice@contoso.example"), NOW))).toBe("AADSTS65001");
  });

  test("a named scope the callee does not define: AADSTS70011; a defined, pre-authorized one: issued", () => {
    expect(err(decide(state(), user("alice@contoso.example", `${CALLEE_URI}/Nope`), NOW))).toBe("AADSTS70011");
    expect(claims(decide(state(), user("alice@contoso.example", `${CALLEE_URI}/user_impersonation`), NOW))["scp"]).toBe(
      "user_impersonation",
    );
  });

  test("an unknown user: AADSTS50034; an unknown public client: AADSTS700016", () => {
    expect(err(decide(state(), user("eve@contoso.example"), NOW))).toBe("AADSTS50034");
    expect(
      err(
        decide(
          state(),
          {
            ...(user("alice@contoso.example") as {
              kind: "user";
              clientId: string;
              userPrincipalName: string;
              scope: string;
            }),
            clientId: "99999999-0000-4000-8000-000000000000",
          },
          NOW,
        ),
      ),
    ).toBe("AADSTS700016");
  });

  test("a resource that does not require assignment issues an app-only token without roles", () => {
    const c = claims(
      decide(state(), { kind: "managedIdentity", principalId: CALLER_MI, resource: `api://${OTHER_CLIENT}` }, NOW),
    );
    expect(c).not.toHaveProperty("roles");
    expect(c["exp"]).toBe(NOW + 86_399);
  });

  test("client credentials take only <resource>/.default: AADSTS1002012", () => {
    expect(err(decide(state(), federated({}, `${CALLEE_URI}/user_impersonation`), NOW))).toBe("AADSTS1002012");
  });

  test("federated credential mismatches: no credential at all 70021, issuer 700211, expired 700024", () => {
    const none = state();
    none.graph.federatedIdentityCredentials = {};
    expect(err(decide(none, federated(), NOW))).toBe("AADSTS70021");
    expect(err(decide(state(), federated({ iss: "https://vstoken.dev.azure.com/x" }), NOW))).toBe("AADSTS700211");
    expect(err(decide(state(), federated({ exp: NOW - 1 }), NOW))).toBe("AADSTS700024");
  });

  test("a managed identity whose service principal is not in Graph yet gets no token", () => {
    expect(
      decide(
        state(),
        { kind: "managedIdentity", principalId: "60000000-0000-4000-8000-0000000000ff", resource: CALLEE_URI },
        NOW,
      ).ok,
    ).toBe(false);
  });
});

describe("EasyAuth actions", () => {
  const site = (kind: Site["kind"] = "appService"): Site => ({
    name: "s",
    key: "s",
    armId: "x",
    tenantId: T,
    kind,
    resource: { id: "x", name: "s", type: "t", properties: {} },
    authConfigKey: "x/y",
  });
  const settings = (patch: Partial<AuthSettings> = {}): AuthSettings => ({
    platform: { enabled: true },
    globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "Return401" },
    identityProviders: {
      azureActiveDirectory: {
        registration: { clientId: CALLEE_CLIENT, openIdIssuer: `https://login.microsoftonline.com/${T}/v2.0` },
        validation: {
          allowedAudiences: [CALLEE_URI],
          defaultAuthorizationPolicy: { allowedPrincipals: { identities: [ALICE] } },
        },
      },
    },
    ...patch,
  });
  const good = {
    iss: `https://sts.windows.net/${T}/`,
    aud: CALLEE_URI,
    appid: AZURE_CLI,
    oid: ALICE,
    exp: NOW + 60,
    nbf: NOW - 60,
  };
  const status = (
    s: AuthSettings | undefined,
    verified?: Record<string, unknown>,
    kind: Site["kind"] = "appService",
  ): unknown => judge(site(kind), s, { present: verified !== undefined, verified }, T, NOW).status;

  test("unauthenticated: Return403 → 403, RedirectToLoginPage → 302, requireAuthentication false → through", () => {
    expect(
      status(settings({ globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "Return403" } })),
    ).toBe(403);
    expect(
      status(
        settings({
          globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "RedirectToLoginPage" },
        }),
      ),
    ).toBe(302);
    expect(
      status(
        settings({ globalValidation: { requireAuthentication: false, unauthenticatedClientAction: "Return401" } }),
      ),
    ).toBe("pass");
  });

  test("Container Apps have no requireAuthentication: Return401 alone refuses anonymous calls", () => {
    expect(
      status(settings({ globalValidation: { unauthenticatedClientAction: "Return401" } }), undefined, "containerApp"),
    ).toBe(401);
    // The same settings on App Service leave requireAuthentication unset (false): anonymous calls pass.
    expect(
      status(settings({ globalValidation: { unauthenticatedClientAction: "Return401" } }), undefined, "appService"),
    ).toBe("pass");
  });

  test("platform disabled or no settings: everything through", () => {
    expect(status(settings({ platform: { enabled: false } }))).toBe("pass");
    expect(status(undefined)).toBe("pass");
  });

  test("allowedPrincipals.identities is checked against oid: another principal gets 403", () => {
    expect(status(settings(), good)).toBe("pass");
    expect(status(settings(), { ...good, oid: BOB })).toBe(403);
  });

  test("an expired token or a foreign issuer: 401", () => {
    expect(status(settings(), { ...good, exp: NOW - 3600 })).toBe(401);
    expect(status(settings(), { ...good, iss: "https://sts.windows.net/00000000-0000-4000-8000-00000000dead/" })).toBe(
      401,
    );
  });

  test("the registration's client id is always an allowed audience", () => {
    expect(status(settings(), { ...good, aud: CALLEE_CLIENT })).toBe("pass");
  });
});

// Found by npm run e2e:faults: two stacks of the mixed example both have a container app
// `orders` (names are unique per resource group only), and the runtime keyed its identity
// endpoints by name, so one stack's caller signed in as the other's.
describe("sites", () => {
  const app = (group: string, name: string) => {
    const id = `/subscriptions/s/resourcegroups/${group}/providers/microsoft.app/containerapps/${name}`;
    return [id, { id, name, type: "Microsoft.App/containerApps", properties: {} }] as const;
  };
  const tenant = (
    ...resources: (readonly [string, { id: string; name: string; type: string; properties: object }])[]
  ) => ({ tenantId: "t", arm: { resources: Object.fromEntries(resources) }, graph: {} }) as unknown as TwinState;

  test("a site's key is its name while the name is unique in the tenant", () => {
    expect(sites(tenant(app("rg1", "orders"), app("rg1", "ledger"))).map((s) => s.key)).toEqual(["ledger", "orders"]);
  });

  test("sites of one name in two resource groups get keys that tell them apart", () => {
    expect(sites(tenant(app("rg1", "orders"), app("rg2", "orders"), app("rg2", "ledger"))).map((s) => s.key)).toEqual([
      "ledger",
      "rg1/orders",
      "rg2/orders",
    ]);
  });
});
