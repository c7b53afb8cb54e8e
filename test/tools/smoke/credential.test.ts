// Who the smoke test signs in as. Only loopback traffic: no credential here reaches Entra ID.
import { ClientAssertionCredential, DefaultAzureCredential } from "@azure/identity";
import { chooseCredential, githubOidcAssertion } from "../../../tools/smoke/credential.ts";
import type { SmokeOutputs } from "../../../tools/smoke/outputs.ts";
import { startLoopback, type Loopback } from "./loopback.ts";

const OUTPUTS: SmokeOutputs = { tenantId: "tenant-from-outputs", ciPrincipalClientId: "ci-client-id", callees: [] };
const GITHUB = {
  ACTIONS_ID_TOKEN_REQUEST_URL: "http://127.0.0.1:1/token?api-version=2.0",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
};

describe("githubOidcAssertion", () => {
  let github: Loopback;
  beforeAll(async () => {
    // GitHub's token endpoint, as a job with `id-token: write` sees it.
    github = await startLoopback((req, res) => {
      const ok = req.headers.authorization === "bearer request-token";
      res.writeHead(ok ? 200 : 403, { "content-type": "application/json" });
      res.end(ok ? JSON.stringify({ value: "github-oidc-jwt" }) : "{}");
    });
  });
  afterAll(() => github.close());

  test("asks for a token with Entra's federation audience and returns it", async () => {
    const assertion = githubOidcAssertion(`${github.url}/token?api-version=2.0`, "request-token");
    await expect(assertion()).resolves.toBe("github-oidc-jwt");
    expect(github.requests.at(-1)?.path).toBe("/token?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange");
  });

  test("a refusal says which permission the job needs", async () => {
    await expect(githubOidcAssertion(`${github.url}/token`, "wrong")()).rejects.toThrow(
      "GitHub refused an OIDC token (HTTP 403); does the job have `permissions: id-token: write`?",
    );
  });
});

describe("chooseCredential", () => {
  test("in GitHub Actions: the CI principal from the stack outputs, by OIDC", () => {
    const chosen = chooseCredential({ ...GITHUB, AZURE_CLIENT_ID: "deployer-client-id" }, OUTPUTS);
    expect(chosen.credential).toBeInstanceOf(ClientAssertionCredential);
    expect(chosen.description).toBe("GitHub Actions OIDC as client ci-client-id");
  });

  test("--client-id wins; AZURE_CLIENT_ID is the last resort", () => {
    expect(chooseCredential(GITHUB, OUTPUTS, "flag-id").description).toBe("GitHub Actions OIDC as client flag-id");
    const noCi = { ...OUTPUTS, ciPrincipalClientId: undefined };
    expect(chooseCredential({ ...GITHUB, AZURE_CLIENT_ID: "env-id" }, noCi).description).toBe(
      "GitHub Actions OIDC as client env-id",
    );
  });

  test("in GitHub Actions without any client id: one line naming the config key", () => {
    expect(() => chooseCredential(GITHUB, { ...OUTPUTS, ciPrincipalClientId: undefined })).toThrow(
      "in GitHub Actions but no client id: declare s2s-auth:ciAccess in this stack, or pass --client-id",
    );
  });

  test("elsewhere: the developer's credential chain", () => {
    const chosen = chooseCredential({}, OUTPUTS);
    expect(chosen.credential).toBeInstanceOf(DefaultAzureCredential);
    expect(chosen.description).toMatch(/^DefaultAzureCredential/);
  });
});
