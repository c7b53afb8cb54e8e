// For tests and e2e scripts: start the runtime as its own process (`start`), and ask its token
// endpoint for tokens the way the real clients would (a developer through the Azure CLI, a CI
// job through a GitHub OIDC token and a federated credential). No JOSE here: the runtime signs.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { AZURE_CLI_APP_ID } from "../state.ts";
import type { Addresses } from "./server.ts";

export type { Addresses } from "./server.ts";

/** The audience Entra expects in a federated assertion (Learn "Workload identity federation"). */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

export interface RuntimeProcess extends Addresses {
  stop(): Promise<void>;
}

/** Where a runtime writes its addresses and curl config (serve.ts --out, --curlrc). */
export interface RuntimeFiles {
  out?: string;
  curlrc?: string;
}

const serveArgs = (stateFile: string, files: RuntimeFiles): string[] => [
  join(import.meta.dirname, "serve.ts"),
  "--state",
  stateFile,
  ...(files.out ? ["--out", files.out] : []),
  ...(files.curlrc ? ["--curlrc", files.curlrc] : []),
];

/**
 * Starts `serve.ts --state <file>` in a child process, with this process's Node (one that runs
 * TypeScript), and resolves with its addresses.
 */
export function start(stateFile: string, files: RuntimeFiles = {}): Promise<RuntimeProcess> {
  const child: ChildProcess = spawn(process.execPath, serveArgs(stateFile, files), {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      reject(new Error(`twin entra runtime exited (${code ?? "signal"}) before it listened: ${err.trim()}`)),
    );
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n")[0];
      if (!out.includes("\n") || line === undefined) return;
      const addresses = JSON.parse(line) as Addresses;
      child.removeAllListeners("exit");
      resolve({
        ...addresses,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** A runtime started by {@link startInBackground}: its files, which outlive the process that started it. */
export interface BackgroundFiles extends Required<RuntimeFiles> {
  /** Its process id, so that another process can stop it. */
  pid: string;
  /** What it prints. */
  log: string;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The process id of a runtime started in the background that still runs, else undefined. */
export function runningInBackground(files: Pick<BackgroundFiles, "pid">): number | undefined {
  if (!existsSync(files.pid)) return undefined;
  const pid = Number(readFileSync(files.pid, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

/**
 * Starts the runtime as a process of its own that outlives this one (`npm run demo` leaves it up for a
 * developer's `az` and `curl`), or finds the one already running there; resolves with its addresses.
 */
export async function startInBackground(
  stateFile: string,
  files: BackgroundFiles,
  timeoutMs = 60_000,
): Promise<{ pid: number; addresses: Addresses; started: boolean }> {
  const running = runningInBackground(files);
  if (running !== undefined && existsSync(files.out)) {
    const addresses = JSON.parse(readFileSync(files.out, "utf8")) as Addresses;
    return { pid: running, addresses: await currentAddresses(addresses), started: false };
  }
  rmSync(files.out, { force: true });
  const log = openSync(files.log, "w");
  const child = spawn(process.execPath, serveArgs(stateFile, files), { detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  child.unref();
  const pid = child.pid!;
  writeFileSync(files.pid, `${pid}\n`);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(files.out)) {
    if (!alive(pid) || Date.now() > deadline) {
      const tail = readFileSync(files.log, "utf8").trim().split("\n").slice(-5).join("\n");
      throw new Error(`the twin's Entra runtime did not start: ${tail || "no output"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { pid, addresses: JSON.parse(readFileSync(files.out, "utf8")) as Addresses, started: true };
}

/** Stops a runtime started in the background and removes its files; false when none was running. */
export async function stopInBackground(files: BackgroundFiles, timeoutMs = 10_000): Promise<boolean> {
  const pid = runningInBackground(files);
  if (pid !== undefined) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + timeoutMs;
    while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const file of [files.pid, files.out, files.curlrc]) rmSync(file, { force: true });
  return pid !== undefined;
}

/** The runtime's addresses as of now, sites created since it started included (`GET /_twin/addresses`). */
export async function currentAddresses(addresses: Pick<Addresses, "authorityHost" | "caCertFile">): Promise<Addresses> {
  const got = await call(addresses, `${addresses.authorityHost}/_twin/addresses`);
  if (got.status !== 200) throw new Error(`the twin's Entra runtime gave no addresses (HTTP ${got.status})`);
  return got.body as unknown as Addresses;
}

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** An HTTPS call to the runtime, trusting only its own certificate. */
export function call(
  addresses: Pick<Addresses, "caCertFile">,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  const ca = readFileSync(addresses.caCertFile, "utf8");
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers: init.headers ?? {}, ca }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: { text } });
        }
      });
    });
    req.on("error", reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}

/** A tenant's token endpoint (default: the default tenant's), as MSAL builds it from authority and tenant. */
export function tokenEndpointOf(addresses: Addresses, tenantId?: string): string {
  return tenantId === undefined ? addresses.tokenEndpoint : `${addresses.authorityHost}/${tenantId}/oauth2/v2.0/token`;
}

const form = (fields: Record<string, string>): { method: string; headers: Record<string, string>; body: string } => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

/**
 * A developer token as `az account get-access-token --resource <resource>` gets it: the user
 * signed in through the Azure CLI client, scope `<resource>/.default`. The twin checks no password.
 */
export function developerToken(
  addresses: Addresses,
  userPrincipalName: string,
  resource: string,
  clientId: string = AZURE_CLI_APP_ID,
  tenantId?: string,
): Promise<HttpAnswer> {
  return call(
    addresses,
    tokenEndpointOf(addresses, tenantId),
    form({
      grant_type: "password",
      client_id: clientId,
      username: userPrincipalName,
      password: "(the twin checks none)",
      scope: `${resource.replace(/\/+$/, "")}/.default`,
    }),
  );
}

/** A GitHub Actions OIDC token for `subject`, as a job with `id-token: write` gets it. */
export async function githubAssertion(
  addresses: Addresses,
  subject: string,
  audience: string = TOKEN_EXCHANGE_AUDIENCE,
): Promise<string> {
  const url = new URL(addresses.githubOidc.requestUrl);
  url.searchParams.set("subject", subject);
  url.searchParams.set("audience", audience);
  const got = await call(addresses, url.toString(), {
    headers: { authorization: `bearer ${addresses.githubOidc.requestToken}` },
  });
  if (typeof got.body["value"] !== "string")
    throw new Error(`the twin minted no GitHub OIDC token (HTTP ${got.status})`);
  return got.body["value"];
}

/** Client credentials with a federated assertion: what ClientAssertionCredential sends. */
export function clientAssertionToken(
  addresses: Addresses,
  clientId: string,
  assertion: string,
  scope: string,
  tenantId?: string,
): Promise<HttpAnswer> {
  return call(
    addresses,
    tokenEndpointOf(addresses, tenantId),
    form({
      grant_type: "client_credentials",
      client_id: clientId,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
      scope,
    }),
  );
}

/** A managed identity's token from a site's identity endpoint, as the App Service REST protocol asks for it. */
export async function managedIdentityToken(
  addresses: Addresses,
  site: string,
  resource: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const ep = addresses.identityEndpoints[site];
  if (!ep) throw new Error(`no identity endpoint for site ${site}`);
  const url = new URL(ep.IDENTITY_ENDPOINT);
  url.searchParams.set("resource", resource);
  url.searchParams.set("api-version", "2019-08-01");
  const res = await fetch(url, { headers: { "X-IDENTITY-HEADER": ep.IDENTITY_HEADER } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The claims of a JWT, unverified: for reading what the twin issued. */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}
