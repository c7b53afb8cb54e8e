// A CI job's code: its GitHub OIDC token is exchanged for an Entra token through the app's
// federated credential (no secret), then the callee is called with it.
// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_AUTHORITY_HOST (optional), ACTIONS_ID_TOKEN_REQUEST_URL,
// ACTIONS_ID_TOKEN_REQUEST_TOKEN, CALLEE_URL, CALLEE_APP_ID_URI
import { ClientAssertionCredential } from "@azure/identity";
import { callCallee } from "./callCallee.ts";

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) {
    console.error(`federated: set ${k}`);
    process.exit(2);
  }
  return v;
};
const [tenantId, clientId, url, resource] = [
  env("AZURE_TENANT_ID"),
  env("AZURE_CLIENT_ID"),
  env("CALLEE_URL"),
  env("CALLEE_APP_ID_URI"),
];
const [requestUrl, requestToken] = [env("ACTIONS_ID_TOKEN_REQUEST_URL"), env("ACTIONS_ID_TOKEN_REQUEST_TOKEN")];

async function githubToken(): Promise<string> {
  const u = new URL(requestUrl);
  u.searchParams.set("audience", "api://AzureADTokenExchange");
  const res = await fetch(u, { headers: { authorization: `bearer ${requestToken}` } });
  return ((await res.json()) as { value: string }).value;
}

// Instance discovery would ask login.microsoftonline.com about an authority it does not know;
// a private authority (the twin, Azure Stack) turns it off.
const authority = process.env["AZURE_AUTHORITY_HOST"];
const options = authority ? { authorityHost: authority, disableInstanceDiscovery: true } : {};
await callCallee(
  "federated",
  () => new ClientAssertionCredential(tenantId, clientId, githubToken, options),
  url,
  resource,
);
