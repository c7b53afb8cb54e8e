// node twin/src/entra-runtime/env.ts --addresses <file> --caller <site> --callee <site|host|url>
// Prints `export` lines that put a process where the caller site's code would run: its identity
// endpoint (IDENTITY_ENDPOINT/IDENTITY_HEADER), the callee's twin address and Application ID URI
// (CALLEE_URL/CALLEE_APP_ID_URI, as examples/caller reads them), and the twin's authority with
// its certificate trusted (AZURE_AUTHORITY_HOST, NODE_EXTRA_CA_CERTS). For an e2e script:
//   eval "$(node twin/src/entra-runtime/env.ts --addresses .twin/entra.json --caller api-a --callee
// https://api-b.azurewebsites.net)"
// A callee can be named by its site name, its Azure host name or its https URL (a stack output).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Addresses } from "./server.ts";

const USAGE = "usage: node twin/src/entra-runtime/env.ts --addresses <file> --caller <site> [--callee <site|host|url>]";
const fail = (message: string): never => {
  console.error(`twin-entra env: ${message}`);
  process.exit(2);
};

let values: { addresses?: string; caller?: string; callee?: string };
try {
  ({ values } = parseArgs({
    options: { addresses: { type: "string" }, caller: { type: "string" }, callee: { type: "string" } },
    strict: true,
  }));
} catch (err) {
  fail(`${(err as Error).message} (${USAGE})`);
}
if (!values!.addresses || !values!.caller) fail(USAGE);
let a: Addresses;
try {
  a = JSON.parse(readFileSync(values!.addresses!, "utf8")) as Addresses;
} catch (err) {
  fail(`cannot read ${values!.addresses}: ${(err as Error).message}`);
}
const identity = a!.identityEndpoints[values!.caller!];
if (!identity)
  fail(
    `no site "${values!.caller}" with a managed identity (have: ` +
      `${Object.keys(a!.identityEndpoints).join(", ") || "none"})`,
  );

// POSIX single quotes: the values are URLs, paths and hex, but quote anyway.
const q = (v: string): string => `'${v.replace(/'/g, "'\\''")}'`;
const lines = [
  `export IDENTITY_ENDPOINT=${q(identity!.IDENTITY_ENDPOINT)}`,
  `export IDENTITY_HEADER=${q(identity!.IDENTITY_HEADER)}`,
  `export AZURE_AUTHORITY_HOST=${q(a!.authorityHost)}`,
  // The caller's own tenant: a managed identity signs in where its site's subscription is.
  `export AZURE_TENANT_ID=${q(a!.sites[values!.caller!]?.tenantId ?? a!.tenantId)}`,
  `export NODE_EXTRA_CA_CERTS=${q(a!.caCertFile)}`,
];
if (values!.callee) {
  const want = values!.callee
    .replace(/^https?:\/\//, "")
    .replace(/\/.*$/, "")
    .toLowerCase();
  const found = Object.entries(a!.sites).find(
    ([name, s]) => name.toLowerCase() === want || s.host?.toLowerCase() === want,
  );
  if (!found) fail(`no site named or hosted at "${values!.callee}"`);
  const [, site] = found!;
  if (!site.applicationIdUri)
    fail(`site "${found![0]}" has no Entra provider registration with an identifier URI in the state`);
  lines.push(`export CALLEE_URL=${q(`${site.url}/`)}`, `export CALLEE_APP_ID_URI=${q(site.applicationIdUri!)}`);
}
console.log(lines.join("\n"));
