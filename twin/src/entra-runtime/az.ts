// `az account get-access-token --resource <uri> [--tenant <tid>] [--query <field>] [--output json|tsv|none]`
// against the twin: the user in S2S_TWIN_USER (the account `az login` would have signed in) asks the twin's
// token endpoint through the Azure CLI's client id, as the real CLI asks Entra ID. The
// runtime's addresses come from S2S_TWIN_ENTRA (the file `serve.ts --out` writes; an absolute
// path: AzureCliCredential runs `az` in a working directory of its own choosing).
// Output on success: the CLI's JSON (accessToken, expiresOn, expires_on, subscription, tenant,
// tokenType), or with `--query accessToken -o tsv` the token alone (as docs/how-it-works.md uses it:
// `TOKEN=$(az account get-access-token --resource … --query accessToken -o tsv)`); on a refusal: the
// AADSTS text on stderr and exit 1, as the CLI does.
import { existsSync, readFileSync } from "node:fs";
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
    query: { type: "string" },
    output: { type: "string", short: "o" },
  },
  strict: true,
});
// --query is a JMESPath expression in the real CLI ("Azure CLI: query output with JMESPath"); the twin
// takes a top-level field name, all that a token's answer needs.
if (values.query !== undefined && !/^[A-Za-z_]\w*$/.test(values.query))
  fail(`the twin's az takes --query <field> only, a top-level field such as accessToken (got '${values.query}')`, 2);
const output = values.output ?? "json";
// The CLI's output formats ("Output formats for Azure CLI commands"): json (default), tsv, none.
if (!["json", "tsv", "none"].includes(output))
  fail(`the twin's az takes --output json, tsv or none (got '${output}')`, 2);
const file = process.env["S2S_TWIN_ENTRA"];
if (!file) fail("S2S_TWIN_ENTRA is not set (the twin runtime's addresses file, from serve.ts --out)", 2);
if (!existsSync(file!))
  fail(`the twin's Entra runtime is not running (no ${file}): npm run demo starts one, npm run twin:entra too`, 2);
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
const answer: Record<string, string | number> = {
  accessToken: token as string,
  expiresOn: local,
  expires_on: expires,
  subscription: values.subscription ?? "",
  tenant,
  tokenType: "Bearer",
};
// JMESPath gives null for a field the object lacks.
const result = values.query === undefined ? answer : (answer[values.query] ?? null);
// tsv: a scalar as it is, an object's values tab-separated, null as nothing (the CLI's tsv rules).
if (output === "tsv")
  console.log(result === null ? "" : typeof result === "object" ? Object.values(result).join("\t") : String(result));
else if (output === "json") console.log(JSON.stringify(result, null, 2));
