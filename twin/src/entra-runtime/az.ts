// `az account get-access-token --resource <uri> [--tenant <tid>] [--output json]` against the
// twin: the user in S2S_TWIN_USER (the account `az login` would have signed in) asks the twin's
// token endpoint through the Azure CLI's client id, as the real CLI asks Entra ID. The
// runtime's addresses come from S2S_TWIN_ENTRA (the file `serve.ts --out` writes; an absolute
// path: AzureCliCredential runs `az` in a working directory of its own choosing).
// Output on success: the CLI's JSON (accessToken, expiresOn, expires_on, subscription, tenant,
// tokenType); on a refusal: the AADSTS text on stderr and exit 1, as the CLI does.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { developerToken, type Addresses } from "./client.ts";

const fail = (message: string, code = 1): never => {
  process.stderr.write(`ERROR: ${message}\n`);
  process.exit(code);
};

const argv = process.argv.slice(2);
if (argv[0] !== "account" || argv[1] !== "get-access-token") {
  fail(`the twin's az supports only 'az account get-access-token' (got 'az ${argv.join(" ")}')`, 2);
}
const { values } = parseArgs({
  args: argv.slice(2),
  options: {
    resource: { type: "string" },
    scope: { type: "string" },
    tenant: { type: "string" },
    subscription: { type: "string" },
    output: { type: "string", short: "o" },
  },
  strict: true,
});
const file = process.env["S2S_TWIN_ENTRA"];
if (!file) fail("S2S_TWIN_ENTRA is not set (the twin runtime's addresses file, from serve.ts --out)", 2);
const addresses = JSON.parse(readFileSync(file!, "utf8")) as Addresses;
const user = process.env["S2S_TWIN_USER"];
// The real CLI's words when nobody is signed in; AzureCliCredential reads "az login" in them.
if (!user) fail("Please run 'az login' to setup account.");
// `--tenant` asks that tenant's token endpoint (the runtime answers AADSTS90002 for one it does not hold).
const tenant = values.tenant ?? addresses.tenantId;
const resource = values.resource ?? values.scope?.replace(/\/\.default$/, "");
if (!resource) fail("--resource or --scope is required", 2);

const got = await developerToken(addresses, user!, resource!, undefined, tenant);
const token = got.body["access_token"];
if (got.status !== 200 || typeof token !== "string") {
  const first = String(got.body["error_description"] ?? `HTTP ${got.status}`).split("\r\n")[0];
  // The CLI follows an AADSTS refusal with the command that would fix it interactively (wording: GUESS).
  fail(`${first}\nInteractive authentication is needed. Please run:\naz login --scope ${resource}/.default`);
}
const expires = Math.floor(Date.now() / 1000) + Number(got.body["expires_in"] ?? 0);
const local = new Date(expires * 1000).toISOString().replace("T", " ").replace("Z", "000");
console.log(
  JSON.stringify(
    {
      accessToken: token,
      expiresOn: local,
      expires_on: expires,
      subscription: values.subscription ?? "",
      tenant,
      tokenType: "Bearer",
    },
    null,
    2,
  ),
);
