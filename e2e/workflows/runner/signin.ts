// A job's OIDC sign-in to the twin's Entra ID, as azure/login and the Azure providers make it with
// ARM_USE_OIDC: a GitHub token from the job's own endpoint (ACTIONS_ID_TOKEN_REQUEST_URL, there only
// with `id-token: write`), audience api://AzureADTokenExchange, exchanged at the tenant's token
// endpoint for the client id; the twin's federated credentials decide. The twin has no Azure Resource
// Manager application, so the exchange asks for a Microsoft Graph token, which the same credentials
// gate.
import { readFileSync } from "node:fs";
import {
  claimsOf,
  clientAssertionToken,
  TOKEN_EXCHANGE_AUDIENCE,
  type Addresses,
} from "@s2s-auth/twin/entra-runtime/client.ts";
import { MICROSOFT_GRAPH_APP_ID } from "@s2s-auth/twin/state.ts";
import { runnerEnv } from "./standin.ts";

export type SignIn =
  | { ok: true; clientId: string; tenantId: string; subject: string; principal: string }
  | { ok: false; clientId: string; tenantId: string; subject?: string; error: string };

export async function signIn(clientId: string, tenantId: string): Promise<SignIn> {
  const requestUrl = process.env["ACTIONS_ID_TOKEN_REQUEST_URL"];
  const requestToken = process.env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"];
  // azure/login's words when the job has no id-token: write.
  if (!requestUrl || !requestToken)
    return {
      ok: false,
      clientId,
      tenantId,
      error: "Please make sure to give write permissions to id-token in the workflow.",
    };
  const got = await fetch(`${requestUrl}&audience=${encodeURIComponent(TOKEN_EXCHANGE_AUDIENCE)}`, {
    headers: { authorization: `Bearer ${requestToken}` },
  });
  if (!got.ok) return { ok: false, clientId, tenantId, error: `Failed to get ID token: HTTP ${got.status}` };
  const assertion = ((await got.json()) as { value: string }).value;
  const subject = String(claimsOf(assertion)["sub"]);
  const addresses = JSON.parse(readFileSync(runnerEnv("S2S_TWIN_ENTRA"), "utf8")) as Addresses;
  const answer = await clientAssertionToken(
    addresses,
    clientId,
    assertion,
    `${MICROSOFT_GRAPH_APP_ID}/.default`,
    tenantId,
  );
  if (answer.status !== 200)
    return {
      ok: false,
      clientId,
      tenantId,
      subject,
      error: String(answer.body["error_description"] ?? JSON.stringify(answer.body)),
    };
  return {
    ok: true,
    clientId,
    tenantId,
    subject,
    principal: String(claimsOf(String(answer.body["access_token"]))["oid"]),
  };
}

/** Commands whose program or providers reach Azure. */
const REACHES_AZURE: ReadonlySet<string> = new Set(["up", "update", "preview", "destroy", "refresh", "import"]);
/** The CLI's global options that take a value. */
const WITH_VALUE: ReadonlySet<string> = new Set(["--cwd", "-C", "--color", "--logflow", "-v", "--verbose"]);

/**
 * The command of a `pulumi` command line (its first argument that is neither an option nor an
 * option's value) when it reaches Azure, else undefined.
 */
export function pulumiReachesAzure(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-")) return REACHES_AZURE.has(arg) ? arg : undefined;
    if (WITH_VALUE.has(arg)) i++;
  }
  return undefined;
}
