// Which identity the smoke test calls callees as: the CI principal inside a GitHub Actions job
// (its OIDC token exchanged for an Entra token, no secret), anyone else's Azure credential
// chain otherwise (a developer's `az login`, a managed identity, AZURE_* variables).
import { ClientAssertionCredential, DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { FEDERATION_AUDIENCE } from "../../components/federation.ts";
import { SmokeError } from "./diagnose.ts";
import type { SmokeOutputs } from "./outputs.ts";

export interface ChosenCredential {
  credential: TokenCredential;
  /** Who the smoke test runs as, for the report. */
  description: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A function that fetches the job's GitHub OIDC token for Entra's token exchange. GitHub
 * exposes the endpoint to jobs with `permissions: id-token: write`.
 */
export function githubOidcAssertion(
  requestUrl: string,
  requestToken: string,
  fetchImpl: typeof fetch = globalThis.fetch,
): () => Promise<string> {
  return async () => {
    const url = new URL(requestUrl);
    url.searchParams.set("audience", FEDERATION_AUDIENCE);
    const res = await fetchImpl(url, {
      headers: { authorization: `bearer ${requestToken}`, accept: "application/json" },
    });
    if (!res.ok)
      throw new SmokeError(
        `GitHub refused an OIDC token (HTTP ${res.status}); does the job have \`permissions: id-token: write\`?`,
      );
    const body = (await res.json()) as { value?: unknown };
    if (typeof body.value !== "string" || body.value.length === 0)
      throw new SmokeError("GitHub's OIDC endpoint returned no token");
    return body.value;
  };
}

/**
 * Inside GitHub Actions with an OIDC endpoint: the CI principal (client id from `--client-id`,
 * the stack's `ciPrincipalClientId` output, or AZURE_CLIENT_ID, in that order).
 * Elsewhere: DefaultAzureCredential.
 */
export function chooseCredential(env: Env, outputs: SmokeOutputs, clientIdFlag?: string): ChosenCredential {
  const requestUrl = env["ACTIONS_ID_TOKEN_REQUEST_URL"];
  const requestToken = env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"];
  if (requestUrl && requestToken) {
    const clientId = clientIdFlag ?? outputs.ciPrincipalClientId ?? env["AZURE_CLIENT_ID"];
    const tenantId = env["AZURE_TENANT_ID"] ?? outputs.tenantId;
    if (!clientId) {
      throw new SmokeError(
        "in GitHub Actions but no client id: declare s2s-auth:ciAccess in this stack, or pass --client-id",
      );
    }
    if (!tenantId) throw new SmokeError("in GitHub Actions but no tenant id: set AZURE_TENANT_ID");
    return {
      credential: new ClientAssertionCredential(tenantId, clientId, githubOidcAssertion(requestUrl, requestToken)),
      description: `GitHub Actions OIDC as client ${clientId}`,
    };
  }
  const tenantId = env["AZURE_TENANT_ID"] ?? outputs.tenantId;
  return {
    credential: new DefaultAzureCredential(tenantId ? { tenantId } : {}),
    description: "DefaultAzureCredential (AZURE_* variables, workload or managed identity, Azure CLI, ...)",
  };
}
