// The azure/login stand-in's step (action.yml beside it says what it replaces).
import { readFileSync } from "node:fs";
import {
  claimsOf,
  clientAssertionToken,
  TOKEN_EXCHANGE_AUDIENCE,
  type Addresses,
} from "@s2s-auth/twin/entra-runtime/client.ts";
import { MICROSOFT_GRAPH_APP_ID } from "@s2s-auth/twin/state.ts";
import { holdingsOf } from "../../../identities.ts";
import { fail, input, log, runnerEnv, setEnv } from "../../../runner/standin.ts";

const clientId = input("client-id");
const tenantId = input("tenant-id");
if (clientId === "" || tenantId === "") {
  await log("azure/login", { ok: false, clientId, error: "client-id or tenant-id is empty" });
  fail("Using OIDC authentication... client-id and tenant-id are required (their variables are empty in this job)");
}
const requestUrl = process.env["ACTIONS_ID_TOKEN_REQUEST_URL"];
const requestToken = process.env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"];
if (!requestUrl || !requestToken) {
  await log("azure/login", { ok: false, clientId, error: "no OIDC token endpoint in the job" });
  // azure/login's words when the job has no id-token: write.
  fail("Please make sure to give write permissions to id-token in the workflow.");
}
const got = await fetch(`${requestUrl}&audience=${encodeURIComponent(TOKEN_EXCHANGE_AUDIENCE)}`, {
  headers: { authorization: `Bearer ${requestToken}` },
});
if (!got.ok) fail(`Failed to get ID token: HTTP ${got.status}`);
const assertion = ((await got.json()) as { value: string }).value;
const subject = String(claimsOf(assertion)["sub"]);
process.stdout.write(
  `Federated token details:\n issuer - ${String(claimsOf(assertion)["iss"])}\n subject claim - ${subject}\n`,
);

const addresses = JSON.parse(readFileSync(runnerEnv("S2S_TWIN_ENTRA"), "utf8")) as Addresses;
const answer = await clientAssertionToken(
  { ...addresses, tokenEndpoint: `${addresses.authorityHost}/${tenantId}/oauth2/v2.0/token` },
  clientId,
  assertion,
  `${MICROSOFT_GRAPH_APP_ID}/.default`,
);
if (answer.status !== 200) {
  const error = String(answer.body["error_description"] ?? JSON.stringify(answer.body));
  await log("azure/login", { ok: false, clientId, subject, error });
  fail(`Login failed with Error: ${error}`);
}
const principal = String(claimsOf(String(answer.body["access_token"]))["oid"]);
setEnv("S2S_TWIN_DEPLOYER", JSON.stringify(holdingsOf(runnerEnv("S2S_TWIN_STATE"), principal)));
// The secrets provider's key is reached through this sign-in; in the twin it is a passphrase.
setEnv("PULUMI_CONFIG_PASSPHRASE", "twin");
process.stdout.write(`azure/login stand-in: signed in as service principal ${principal} (client ${clientId})\n`);
await log("azure/login", { ok: true, clientId, subject, principal });
