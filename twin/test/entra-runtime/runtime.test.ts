// The twin's Entra runtime as a process, against a fixture state: who gets a token (or which
// AADSTS error), and what each site's EasyAuth answers. The state file is re-read per request,
// so a test rewrites it to change one setting. Programs run against it: runtime.deep.test.ts.
import {
  claimsOf,
  clientAssertionToken,
  developerToken,
  githubAssertion,
  managedIdentityToken,
  type RuntimeProcess,
} from "../../src/entra-runtime/client.ts";
import {
  AZURE_CLI,
  CALLEE_CLIENT,
  CALLEE_URI,
  CALLER_MI,
  CALLER_MI_CLIENT,
  CI_CLIENT,
  CI_SP,
  CI_SUBJECT,
  OTHER_CLIENT,
  ALICE,
  T,
} from "./fixture.ts";
import { runtimeOnFixture } from "./running.ts";

const running = runtimeOnFixture();
const { use } = running;
let rt: RuntimeProcess;
beforeAll(() => {
  rt = running.runtime;
});

async function get(site: string, token?: string): Promise<{ status: number; headers: Headers; body: string }> {
  const url = rt.sites[site]?.url;
  if (!url) throw new Error(`no site ${site}`);
  const res = await fetch(`${url}/api/hello`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

async function miToken(site: string, resource: string = CALLEE_URI): Promise<string> {
  const got = await managedIdentityToken(rt, site, resource);
  if (typeof got.body["access_token"] !== "string") throw new Error(`no token: ${JSON.stringify(got.body)}`);
  return got.body["access_token"];
}

async function devToken(upn: string): Promise<{ status: number; token?: string; error?: string }> {
  const got = await developerToken(rt, upn, CALLEE_URI);
  return {
    status: got.status,
    token: got.body["access_token"] as string | undefined,
    error: got.body["error_description"] as string | undefined,
  };
}

describe("EasyAuth on an App Service callee (Return401, allowedApplications)", () => {
  test("no token: 401 with a WWW-Authenticate challenge naming the callee", async () => {
    const res = await get("callee-app");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain(`resource_id="${CALLEE_CLIENT}"`);
    expect(res.headers.get("www-authenticate")).toContain('realm="callee-app.azurewebsites.net"');
  });

  test("the caller's managed identity, assigned the callee's role: 200 with its claims echoed", async () => {
    const res = await get("callee-app", await miToken("caller-app"));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { authenticated: boolean; claims: Record<string, unknown> };
    expect(body.authenticated).toBe(true);
    expect(body.claims).toMatchObject({
      oid: CALLER_MI,
      appid: CALLER_MI_CLIENT,
      aud: CALLEE_URI,
      roles: ["Callee.Call"],
      tid: T,
    });
  });

  test("a valid token for another audience: 401", async () => {
    const other = await miToken("caller-app", `api://${OTHER_CLIENT}`);
    expect(claimsOf(other)["aud"]).toBe(`api://${OTHER_CLIENT}`);
    const res = await get("callee-app", other);
    expect(res.status).toBe(401);
    expect(res.headers.get("x-twin-reason")).toContain("audience");
  });

  test("a token signed by anyone but the tenant's key: 401", async () => {
    const good = await miToken("caller-app");
    const [h, p] = good.split(".");
    const res = await get("callee-app", `${h}.${p}.${Buffer.from("forged").toString("base64url")}`);
    expect(res.status).toBe(401);
  });

  test("allowedApplications holding the caller's OBJECT id, not its client id: 403 for the same token", async () => {
    const token = await miToken("caller-app");
    use({ allowedApplications: [CALLER_MI, AZURE_CLI] });
    const res = await get("callee-app", token);
    expect(res.status).toBe(403);
    expect(res.headers.get("x-twin-reason")).toContain(CALLER_MI_CLIENT);
  });

  test("the caller dropped from allowedApplications: 403", async () => {
    const token = await miToken("caller-app");
    use({ allowedApplications: [AZURE_CLI] });
    expect((await get("callee-app", token)).status).toBe(403);
  });

  test("an openIdIssuer of another tenant: every token is refused with 401", async () => {
    const token = await miToken("caller-app");
    use({ openIdIssuer: "https://login.microsoftonline.com/00000000-0000-4000-8000-00000000dead/v2.0" });
    expect((await get("callee-app", token)).status).toBe(401);
  });

  test("the v1 issuer form as openIdIssuer accepts the same tenant's tokens", async () => {
    use({ openIdIssuer: `https://sts.windows.net/${T}/` });
    expect((await get("callee-app", await miToken("caller-app"))).status).toBe(200);
  });

  test("each site's address names the host Azure serves it on, so stack outputs can be mapped onto the twin", () => {
    expect(rt.sites["callee-app"]).toMatchObject({
      kind: "appService",
      host: "callee-app.azurewebsites.net",
      clientId: CALLEE_CLIENT,
      applicationIdUri: CALLEE_URI,
    });
    expect(rt.sites["callee-aca"]).toMatchObject({
      kind: "containerApp",
      host: "callee-aca.example.westeurope.azurecontainerapps.io",
    });
    expect(Object.keys(rt.identityEndpoints).sort()).toEqual(["caller-app", "lonely-app"]);
  });

  test("AllowAnonymous: no token passes through to the app, unauthenticated", async () => {
    const res = await get("open-app");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ site: "open-app", authenticated: false });
  });
});

describe("token issuance for managed identities", () => {
  test("an identity without an app role assignment gets no token: AADSTS501051", async () => {
    const got = await managedIdentityToken(rt, "lonely-app", CALLEE_URI);
    expect(got.status).toBe(400);
    expect(String(got.body["message"])).toMatch(/^AADSTS501051: Application 'd0000000-0000-4000-8000-000000000002'/);
  });

  test("a resource no service principal answers to: AADSTS500011", async () => {
    const got = await managedIdentityToken(rt, "caller-app", "api://00000000-0000-4000-8000-0000000000ff");
    expect(String(got.body["message"])).toMatch(/^AADSTS500011: /);
  });

  test("v1 shape by default: sts.windows.net issuer, the requested URI as aud, appid, ver 1.0", async () => {
    const c = claimsOf(await miToken("caller-app"));
    expect(c).toMatchObject({
      iss: `https://sts.windows.net/${T}/`,
      aud: CALLEE_URI,
      appid: CALLER_MI_CLIENT,
      appidacr: "2",
      ver: "1.0",
      oid: CALLER_MI,
      sub: CALLER_MI,
    });
    expect(c).not.toHaveProperty("azp");
    expect(typeof c["exp"]).toBe("number");
  });

  test(
    "v2 shape when the callee asks for requestedAccessTokenVersion 2: login.microsoftonline.com/<tid>/v2.0, aud " +
      "= client id, azp, ver 2.0; EasyAuth accepts it",
    async () => {
      use({ tokenVersion: 2 });
      const token = await miToken("caller-app");
      const c = claimsOf(token);
      expect(c).toMatchObject({
        iss: `https://login.microsoftonline.com/${T}/v2.0`,
        aud: CALLEE_CLIENT,
        azp: CALLER_MI_CLIENT,
        azpacr: "2",
        ver: "2.0",
      });
      expect(c).not.toHaveProperty("appid");
      expect((await get("callee-app", token)).status).toBe(200);
    },
  );

  test("the identity endpoint refuses a request without the site's X-IDENTITY-HEADER", async () => {
    const ep = rt.identityEndpoints["caller-app"]!;
    const res = await fetch(
      `${ep.IDENTITY_ENDPOINT}?resource=${encodeURIComponent(CALLEE_URI)}&api-version=2019-08-01`,
      { headers: { "X-IDENTITY-HEADER": "guess" } },
    );
    expect(res.status).toBe(401);
  });

  test("the JWKS endpoint publishes the key the tokens are signed with", async () => {
    const kid = JSON.parse(Buffer.from((await miToken("caller-app")).split(".")[0]!, "base64url").toString()) as {
      kid: string;
    };
    const { call } = await import("../../src/entra-runtime/client.ts");
    const jwks = await call(rt, rt.jwksUri);
    expect((jwks.body["keys"] as { kid: string }[]).map((k) => k.kid)).toContain(kid.kid);
  });
});

describe("a developer through the Azure CLI (az account get-access-token --resource api://<callee>)", () => {
  test("dev pre-authorizes the CLI: an assigned user gets a token with the scope and gets through", async () => {
    const got = await devToken("alice@contoso.example");
    expect(got.status).toBe(200);
    expect(claimsOf(got.token!)).toMatchObject({
      appid: AZURE_CLI,
      appidacr: "0",
      oid: ALICE,
      scp: "user_impersonation",
      roles: ["Callee.Call"],
      upn: "alice@contoso.example",
    });
    expect((await get("callee-app", got.token)).status).toBe(200);
  });

  test("a user assigned only through a group they are a direct member of gets through", async () => {
    const got = await devToken("carol@contoso.example");
    expect(got.status).toBe(200);
    expect((await get("callee-app", got.token)).status).toBe(200);
  });

  test("a user not assigned is refused: AADSTS50105", async () => {
    const got = await devToken("bob@contoso.example");
    expect(got.status).toBe(400);
    expect(got.error).toMatch(/^AADSTS50105: /);
  });

  test("membership of a group nested in the assigned group does not count: AADSTS50105", async () => {
    expect((await devToken("dave@contoso.example")).error).toMatch(/^AADSTS50105: /);
  });

  test("test/prod do not pre-authorize the CLI: even an assigned user is refused with AADSTS65001", async () => {
    use({ preAuthorizeCli: false });
    const got = await devToken("alice@contoso.example");
    expect(got.status).toBe(400);
    expect(got.error).toMatch(
      new RegExp(
        `^AADSTS65001: The user or administrator has not consented to use the application with ID '${AZURE_CLI}'`,
      ),
    );
  });

  test("a token from the CLI is refused with 403 when the callee's allowedApplications omits the CLI", async () => {
    use({ allowedApplications: [CALLER_MI_CLIENT] });
    const got = await devToken("alice@contoso.example");
    expect((await get("callee-app", got.token)).status).toBe(403);
  });
});

describe("a CI app through a GitHub federated credential", () => {
  test("a matching issuer, subject and audience: a token with the CI principal's claims", async () => {
    const got = await clientAssertionToken(
      rt,
      CI_CLIENT,
      await githubAssertion(rt, CI_SUBJECT),
      `${CALLEE_URI}/.default`,
    );
    expect(got.status).toBe(200);
    const c = claimsOf(got.body["access_token"] as string);
    expect(c).toMatchObject({ appid: CI_CLIENT, oid: CI_SP, roles: ["Callee.Call"] });
    expect((await get("callee-app", got.body["access_token"] as string)).status).toBe(200);
  });

  test("another subject (another environment): AADSTS700213", async () => {
    const got = await clientAssertionToken(
      rt,
      CI_CLIENT,
      await githubAssertion(rt, "repo:contoso/s2s:environment:prod"),
      `${CALLEE_URI}/.default`,
    );
    expect(String(got.body["error_description"])).toMatch(/^AADSTS700213: .*'repo:contoso\/s2s:environment:prod'/);
  });

  test("an assertion for another audience: AADSTS700212", async () => {
    const got = await clientAssertionToken(
      rt,
      CI_CLIENT,
      await githubAssertion(rt, CI_SUBJECT, "api://SomethingElse"),
      `${CALLEE_URI}/.default`,
    );
    expect(String(got.body["error_description"])).toMatch(/^AADSTS700212: /);
  });

  test("an assertion not signed by the issuer: refused", async () => {
    const a = await githubAssertion(rt, CI_SUBJECT);
    const [h, p] = a.split(".");
    const got = await clientAssertionToken(rt, CI_CLIENT, `${h}.${p}.AAAA`, `${CALLEE_URI}/.default`);
    expect(got.status).toBe(400);
    expect(got.body["access_token"]).toBeUndefined();
  });
});

describe("EasyAuth on a Container App", () => {
  test("no token: 401", async () => {
    expect((await get("callee-aca")).status).toBe(401);
  });

  test(
    "allowedApplications is not a documented Container Apps check: a valid token from an unlisted client gets " +
      "through",
    async () => {
      use({ acaAllowedApplications: ["00000000-0000-4000-8000-0000000000aa"] });
      expect((await get("callee-aca", await miToken("caller-app"))).status).toBe(200);
    },
  );
});
