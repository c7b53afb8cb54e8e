// The twin's Entra ID runtime on 127.0.0.1: a token endpoint with OpenID discovery and JWKS for each
// tenant of the state (HTTPS, because MSAL refuses an authority over http), a GitHub-Actions-like OIDC token
// endpoint for federated credentials, one EasyAuth front door per site (one port each, so a
// client needs no Host header) and one for every site by its Azure host name (HTTPS, for a client
// that keeps the site's own URL), and an App Service-like identity endpoint per site with a
// managed identity. The state file is re-read on every request: the plugins may change it; a site
// created after the start gets its front door and identity endpoint as soon as it appears.
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { unwatchFile, watchFile } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createSecureContext, type SecureContext } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "selfsigned";
import { judge, principalHeaders, type AuthSettings } from "./easyauth.ts";
import { models } from "../fidelity.ts";
import { type TwinState, type TwinWorld, tenantOf } from "../state.ts";
import { decide, refuse, V1_ISSUER, V2_ISSUER, type Decision } from "./entra.ts";
import { AADSTS, errorBody } from "./errors.ts";
import { newSigner, type Signer } from "./keys.ts";
import { applicationByAppId, readWorld, servicePrincipalById, siteHost, sites, type Site } from "./state.ts";

/** GitHub Actions' OIDC issuer (GitHub docs "About security hardening with OpenID Connect"). */
export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
const HOST = "127.0.0.1";

export interface SiteAddress {
  url: string;
  kind: Site["kind"];
  /** The tenant whose subscription holds the site. */
  tenantId: string;
  /**
   * The host name Azure would serve the site on (App Service `defaultHostName`, Container Apps
   * `configuration.ingress.fqdn`), to map stack outputs onto `url`.
   */
  host?: string;
  /** From the site's Entra provider registration, when it has one. */
  clientId?: string;
  /** The first identifier URI of that registration's application, when the state has it. */
  applicationIdUri?: string;
}

export interface IdentityEndpoint {
  IDENTITY_ENDPOINT: string;
  IDENTITY_HEADER: string;
}

/** One tenant's endpoints: the token endpoint and key set are per tenant, as Entra ID's are. */
export interface TenantEndpoints {
  tokenEndpoint: string;
  jwksUri: string;
}

export interface Addresses extends TenantEndpoints {
  /** The default tenant, whose endpoints `tokenEndpoint` and `jwksUri` are. */
  tenantId: string;
  /** For AZURE_AUTHORITY_HOST / `authorityHost`: HTTPS with a certificate from `caCertFile`. */
  authorityHost: string;
  /** Every tenant's endpoints, by tenant id (the default one among them). */
  tenants: Record<string, TenantEndpoints>;
  /** PEM of the self-signed certificate of `authorityHost`; trust it with NODE_EXTRA_CA_CERTS. */
  caCertFile: string;
  /** Like GitHub's ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN; add `subject=<sub>` to the URL's query. */
  githubOidc: { requestUrl: string; requestToken: string };
  /**
   * One HTTPS front door for every site by its Azure host name (SNI and Host header), with a
   * certificate per host from the runtime's CA: where serve.ts --curlrc sends curl.
   */
  hostFrontDoor: string;
  sites: Record<string, SiteAddress>;
  identityEndpoints: Record<string, IdentityEndpoint>;
}

export interface Running extends Addresses {
  /** The addresses now, sites created since the start included. */
  addresses(): Promise<Addresses>;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Called with the addresses at the start and whenever a site appears, changes or goes. */
  onChange?: (addresses: Addresses) => void | Promise<void>;
  /** How often the state file is polled for new sites (default 250 ms). */
  watchIntervalMs?: number;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 1_000_000) throw new Error("request body too large");
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** A discovery document or key set asked for under a tenant that does not exist. */
function refuseMetadata(res: ServerResponse, tenant: string): void {
  send(res, 400, errorBody(AADSTS.tenantNotFoundInMetadata(tenant)));
}

async function signed(signer: Signer, d: Decision): Promise<{ status: number; body: Record<string, unknown> }> {
  if (!d.ok) return { status: d.err.status, body: errorBody(d.err) };
  const token = await signer.sign(d.claims);
  return {
    status: 200,
    body: { token_type: "Bearer", expires_in: d.expiresIn, ext_expires_in: d.expiresIn, access_token: token },
  };
}

/** Every tenant's sites. */
const allSitesOf = (world: TwinWorld): Site[] => sites(...Object.values(world.tenants));

/** The `appsettings`-free part of a site's auth settings: the ARM resource's `properties`. */
function authSettingsOf(state: TwinState, site: Site): AuthSettings | undefined {
  const r = state.arm.resources[site.authConfigKey];
  return r?.properties as AuthSettings | undefined;
}

/** The echo app behind EasyAuth: it sees only what EasyAuth forwards, like a real app would. */
function echoApp(site: Site, req: IncomingMessage, forwarded: Record<string, string>): Record<string, unknown> {
  const raw = forwarded["x-ms-client-principal"];
  let claims: Record<string, string | string[]> | undefined;
  if (raw) {
    const principal = JSON.parse(Buffer.from(raw, "base64").toString("utf8")) as {
      claims: { typ: string; val: string }[];
    };
    claims = {};
    for (const { typ, val } of principal.claims) {
      const prev = claims[typ];
      claims[typ] = prev === undefined ? val : Array.isArray(prev) ? [...prev, val] : [prev, val];
    }
    // Array-valued token claims (roles) stay arrays even with one element.
    if (typeof claims["roles"] === "string") claims["roles"] = [claims["roles"]];
  }
  return {
    site: site.name,
    method: req.method,
    path: req.url,
    authenticated: claims !== undefined,
    ...(claims ? { claims } : {}),
  };
}

export async function serve(stateFile: string, options: ServeOptions = {}): Promise<Running> {
  const initial = readWorld(stateFile);
  const tenantId = initial.defaultTenantId;
  /** The tenant a request's path names, in the state as it is now. */
  const tenantNamed = (tenant: string): TwinState | undefined => tenantOf(readWorld(stateFile), tenant);
  /** The tenants the addresses list, as of the last look at the state (refresh(), below). */
  let tenantIds = Object.keys(initial.tenants);
  const signer = await newSigner();
  const github = await newSigner();
  const dir = await mkdtemp(join(tmpdir(), "twin-entra-"));
  const pems = await generate([{ name: "commonName", value: HOST }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    extensions: [
      { name: "basicConstraints", cA: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: HOST },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  const caCertFile = join(dir, "twin-ca.pem");
  await writeFile(caCertFile, pems.cert);

  const servers: Server[] = [];
  let authority = "";

  // --- token endpoint, discovery, JWKS, GitHub OIDC ---------------------------------------
  const tokenServer = createHttpsServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    handleToken(req, res).catch((err: unknown) =>
      send(res, 500, { error: "server_error", error_description: String(err) }),
    );
  });
  async function handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", authority);
    const parts = url.pathname.split("/").filter(Boolean);
    if (req.method === "GET" && parts[0] === "_twin" && parts[1] === "github" && parts[2] === "token") {
      return githubToken(req, res, url);
    }
    // The twin's own: the addresses as of now, sites created since the start included.
    if (req.method === "GET" && parts[0] === "_twin" && parts[1] === "addresses" && parts.length === 2) {
      await refresh();
      return send(res, 200, current());
    }
    const tenant = parts[0] ?? "";
    const rest = parts.slice(1).join("/");
    const known = tenant === "common" || tenant === "organizations" || tenantNamed(tenant) !== undefined;
    if (req.method === "GET" && (rest === "discovery/keys" || rest === "discovery/v2.0/keys")) {
      if (!known) return refuseMetadata(res, tenant);
      return send(res, 200, signer.jwks);
    }
    if (
      req.method === "GET" &&
      (rest === ".well-known/openid-configuration" || rest === "v2.0/.well-known/openid-configuration")
    ) {
      const named = tenantNamed(tenant)?.tenantId;
      if (named === undefined) return refuseMetadata(res, tenant);
      const v2 = rest.startsWith("v2.0");
      const base = `${authority}/${named}`;
      // Fields MSAL requires (authorization_endpoint, token_endpoint, issuer, jwks_uri) plus the usual ones.
      return send(res, 200, {
        issuer: v2 ? V2_ISSUER(named) : V1_ISSUER(named),
        token_endpoint: v2 ? `${base}/oauth2/v2.0/token` : `${base}/oauth2/token`,
        authorization_endpoint: v2 ? `${base}/oauth2/v2.0/authorize` : `${base}/oauth2/authorize`,
        jwks_uri: v2 ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        response_types_supported: ["code", "id_token", "code id_token", "token id_token", "token"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        tenant_region_scope: null,
        cloud_instance_name: "microsoftonline.com",
        cloud_graph_host_name: "graph.windows.net",
        msgraph_host: "graph.microsoft.com",
      });
    }
    if (req.method === "POST" && rest === "oauth2/v2.0/token") {
      const form = new URLSearchParams(await readBody(req));
      const state = tenantNamed(tenant);
      // [errors] AADSTS90002: the tenant in the path must exist; each tenant issues its own tokens.
      const decision = state === undefined ? refuse(AADSTS.tenantNotFound(tenant)) : await tokenRequest(state, form);
      const out = await signed(signer, decision);
      return send(res, out.status, out.body);
    }
    send(res, 404, { error: "not_found", error_description: `the twin serves no ${req.method} ${url.pathname}` });
  }

  async function tokenRequest(state: TwinState, form: URLSearchParams): Promise<Decision> {
    const grant = form.get("grant_type");
    const clientId = form.get("client_id") ?? "";
    const scope = form.get("scope") ?? "";
    if (grant === "client_credentials") {
      if (form.get("client_secret") !== null) {
        // The twin holds no secrets; the program uses none (federated credentials and managed identities only).
        return refuse(AADSTS.invalidClientSecret());
      }
      const assertion = form.get("client_assertion");
      if (
        form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" ||
        !assertion
      ) {
        return refuse(AADSTS.missingClientAssertion());
      }
      // Only assertions from the twin's own GitHub-like issuer can be validated: the twin reaches no other issuer.
      const claims = await github.verify(assertion);
      if (!claims || claims.iss !== GITHUB_ISSUER) {
        return refuse(AADSTS.assertionSignatureInvalid());
      }
      const aud = Array.isArray(claims.aud) ? claims.aud : typeof claims.aud === "string" ? [claims.aud] : [];
      return decide(state, {
        kind: "federated",
        clientId,
        scope,
        assertion: {
          iss: claims.iss,
          sub: claims.sub ?? "",
          aud,
          exp: claims.exp ?? 0,
          ...(claims.nbf !== undefined ? { nbf: claims.nbf } : {}),
        },
      });
    }
    if (grant === "password") {
      // Resource owner password credentials: how the twin signs a developer in. It holds no
      // passwords and checks none; what it judges is who may get a token, not the sign-in itself.
      return decide(state, { kind: "user", clientId, userPrincipalName: form.get("username") ?? "", scope });
    }
    return refuse(AADSTS.unsupportedGrantType(grant ?? ""));
  }

  async function githubToken(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // GitHub answers a job's request (Authorization: bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN) with {"value": <JWT>}.
    if (!/^bearer\s+\S+/i.test(req.headers.authorization ?? ""))
      return send(res, 401, { message: "missing request token" });
    const subject = url.searchParams.get("subject");
    if (!subject) return send(res, 400, { message: "the twin needs ?subject=<sub claim> to mint a GitHub OIDC token" });
    const now = Math.floor(Date.now() / 1000);
    const repository = /^repo:([^:]+):/.exec(subject)?.[1];
    const value = await github.sign({
      iss: GITHUB_ISSUER,
      sub: subject,
      aud: url.searchParams.get("audience") ?? `https://github.com/${repository?.split("/")[0] ?? ""}`,
      iat: now,
      nbf: now,
      exp: now + 300,
      jti: randomUUID(),
      ...(repository ? { repository, repository_owner: repository.split("/")[0] ?? "" } : {}),
    });
    send(res, 200, { count: 1, value });
  }

  servers.push(tokenServer);
  const tokenPort = await listen(tokenServer);
  authority = `https://${HOST}:${tokenPort}`;

  // --- identity endpoints ([mi] App Service "How to use managed identities", REST endpoint reference) ---
  // Sites are bound as they appear, in every tenant (refresh(), below): each keeps the key it was bound under.
  const bound = new Map<string, { key: string; server: Server; url: string }>();
  const headers = new Map<string, string>();
  const identityServer = createHttpServer((req, res) => {
    handleIdentity(req, res).catch((err: unknown) => send(res, 500, { statusCode: 500, message: String(err) }));
  });
  async function handleIdentity(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${HOST}`);
    const m = /^\/([^/]+)\/msi\/token\/?$/.exec(url.pathname);
    const siteKey = m ? decodeURIComponent(m[1] ?? "") : "";
    // A site created since the last look is bound now, so its code gets a token at once.
    if (m && !headers.has(siteKey)) await refresh();
    const expected = headers.get(siteKey);
    if (req.method !== "GET" || !expected)
      return send(res, 404, { statusCode: 404, message: "no such identity endpoint" });
    // [mi] X-IDENTITY-HEADER must carry IDENTITY_HEADER; the status for a wrong one is a GUESS.
    if (req.headers["x-identity-header"] !== expected)
      return send(res, 401, { statusCode: 401, message: "X-IDENTITY-HEADER is missing or wrong" });
    if (url.searchParams.get("api-version") !== "2019-08-01")
      return send(res, 400, { statusCode: 400, message: "api-version 2019-08-01 is required" });
    const resource = url.searchParams.get("resource");
    if (!resource) return send(res, 400, { statusCode: 400, message: "resource is required" });
    const world = readWorld(stateFile);
    const site = currentSite(world, siteKey);
    const principalId = site ? pickIdentity(site, url.searchParams) : undefined;
    // A managed identity gets its tokens from the tenant its resource's subscription trusts.
    const state = site === undefined ? undefined : tenantOf(world, site.tenantId);
    if (!principalId || state === undefined)
      return send(res, 400, { statusCode: 400, message: "No managed identity matches the request" });
    const d = decide(state, { kind: "managedIdentity", principalId, resource });
    if (!d.ok) {
      // The endpoint relays Entra's refusal; MSAL reads `message`. Status and wrapping: GUESS.
      const body = errorBody(d.err);
      return send(res, 400, {
        statusCode: 400,
        message: body.error_description,
        correlationId: body.correlation_id,
        error: d.err.error,
      });
    }
    const token = await signer.sign(d.claims);
    const client = servicePrincipalById(state, principalId)?.appId ?? "";
    // [mi] response: access_token, expires_on (seconds since epoch, as a string), resource, token_type, client_id.
    send(res, 200, {
      access_token: token,
      expires_on: String(d.claims["exp"]),
      resource,
      token_type: "Bearer",
      client_id: client,
    });
  }
  servers.push(identityServer);
  const identityPort = await listen(identityServer);

  /** The site bound under `key`, as the state has it now (in whichever tenant); undefined once it is gone. */
  function currentSite(world: TwinWorld, key: string): Site | undefined {
    const armId = [...bound].find(([, b]) => b.key === key)?.[0];
    return armId === undefined ? undefined : allSitesOf(world).find((s) => s.armId === armId);
  }

  // --- EasyAuth front doors ----------------------------------------------------------------
  async function handleSite(armId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const world = readWorld(stateFile);
    const site = allSitesOf(world).find((s) => s.armId === armId);
    // A site deleted since it was bound: App Service's answer for an unknown host (status: GUESS).
    if (site === undefined) return send(res, 404, "The site does not exist.", { "x-twin-reason": "site deleted" });
    // The site's tenant: EasyAuth takes tokens its issuer names, which are that tenant's.
    const state = tenantOf(world, site.tenantId)!;
    const auth = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
    const verified = auth?.[1] ? await signer.verify(auth[1]) : undefined;
    const verdict = judge(
      site,
      authSettingsOf(state, site),
      { present: auth !== null, verified: verified as Record<string, unknown> | undefined },
      state.tenantId,
      Math.floor(Date.now() / 1000),
      req.url ?? "/",
    );
    if (verdict.status === "pass") {
      return send(res, 200, echoApp(site, req, verdict.claims ? principalHeaders(verdict.claims) : {}));
    }
    if (verdict.status === 302) return send(res, 302, "", { location: verdict.location });
    // The reason goes in a header for tests and humans; the body is App Service's generic text.
    const extra: Record<string, string> = { "x-twin-reason": verdict.reason };
    if (verdict.status === 401 && verdict.wwwAuthenticate) extra["www-authenticate"] = verdict.wwwAuthenticate;
    send(res, verdict.status, "You do not have permission to view this directory or page.", extra);
  }

  // One HTTPS front door for every site by the host name Azure serves it on (SNI and the Host header),
  // for a client that keeps a stack output's URL: curl with `connect-to` lines (serve.ts --curlrc). Its
  // certificate for each host is issued on first use by the runtime's own CA (`caCertFile`).
  const leafKeys = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const contexts = new Map<string, Promise<SecureContext>>();
  const contextFor = (host: string): Promise<SecureContext> => {
    let context = contexts.get(host);
    if (context === undefined) {
      context = generate([{ name: "commonName", value: host }], {
        algorithm: "sha256",
        keyPair: leafKeys,
        ca: { key: pems.private, cert: pems.cert },
        notAfterDate: new Date(Date.now() + 7 * 24 * 3600 * 1000),
        extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: host }] }],
      }).then((leaf) =>
        createSecureContext({ key: leafKeys.privateKey, cert: `${leaf.cert.trimEnd()}\n${pems.cert}` }),
      );
      contexts.set(host, context);
    }
    return context;
  };
  const hostServer = createHttpsServer(
    {
      key: pems.private,
      cert: pems.cert,
      SNICallback: (host, done) =>
        void contextFor(host.toLowerCase()).then(
          (context) => done(null, context),
          (err: unknown) => done(err as Error),
        ),
    },
    (req, res) => {
      const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
      const site = [...bound].find(([, b]) => siteAddresses[b.key]?.host?.toLowerCase() === host)?.[0];
      if (site === undefined)
        return send(res, 404, `The twin serves no site at ${host}.`, { "x-twin-reason": "unknown host" });
      handleSite(site, req, res).catch((err: unknown) => send(res, 500, String(err)));
    },
  );
  servers.push(hostServer);
  const hostFrontDoor = `https://${HOST}:${await listen(hostServer)}`;

  const siteAddresses: Record<string, SiteAddress> = {};
  const identityEndpoints: Record<string, IdentityEndpoint> = {};
  /**
   * Binds every site the state holds that has no front door yet, and brings every address up to date
   * (a site's registration and identity may come after the site, a deleted site goes): sites created
   * after the runtime started are served without a restart.
   */
  let refreshing: Promise<void> = Promise.resolve();
  function refresh(): Promise<void> {
    refreshing = refreshing.then(async () => {
      const world = readWorld(stateFile);
      tenantIds = Object.keys(world.tenants);
      const present = allSitesOf(world);
      for (const site of present) {
        if (bound.has(site.armId)) continue;
        const server = createHttpServer((req, res) => {
          handleSite(site.armId, req, res).catch((err: unknown) => send(res, 500, String(err)));
        });
        servers.push(server);
        const port = await listen(server);
        // A key taken by a site bound earlier (a name that is now in two groups) is not given twice.
        const taken = [...bound.values()].some((b) => b.key === site.key);
        const key = taken ? `${/\/resourcegroups\/([^/]+)\//i.exec(site.armId)?.[1] ?? ""}/${site.name}` : site.key;
        bound.set(site.armId, { key, server, url: `http://${HOST}:${port}` });
      }
      for (const [armId, b] of bound) {
        const site = present.find((s) => s.armId === armId);
        if (site === undefined) {
          delete siteAddresses[b.key];
          delete identityEndpoints[b.key];
          continue;
        }
        // The site's registration and application are its own tenant's.
        const home = tenantOf(world, site.tenantId)!;
        const aad = authSettingsOf(home, site)?.identityProviders?.azureActiveDirectory;
        const clientId = aad?.registration?.clientId;
        const uri = clientId ? applicationByAppId(home, clientId)?.identifierUris?.[0] : undefined;
        const host = siteHost(site);
        siteAddresses[b.key] = {
          url: b.url,
          kind: site.kind,
          tenantId: site.tenantId,
          ...(host ? { host } : {}),
          ...(clientId ? { clientId } : {}),
          ...(uri ? { applicationIdUri: uri } : {}),
        };
        const identity = site.resource.identity;
        if (!identity?.principalId && Object.keys(identity?.userAssignedIdentities ?? {}).length === 0) continue;
        if (!headers.has(b.key)) headers.set(b.key, randomBytes(24).toString("hex"));
        identityEndpoints[b.key] = {
          IDENTITY_ENDPOINT: `http://${HOST}:${identityPort}/${encodeURIComponent(b.key)}/msi/token`,
          IDENTITY_HEADER: headers.get(b.key)!,
        };
      }
      await options.onChange?.(current());
    });
    return refreshing;
  }
  const endpoints = (tid: string): TenantEndpoints => ({
    tokenEndpoint: `${authority}/${tid}/oauth2/v2.0/token`,
    jwksUri: `${authority}/${tid}/discovery/v2.0/keys`,
  });
  const current = (): Addresses => ({
    tenantId,
    authorityHost: authority,
    ...endpoints(tenantId),
    tenants: Object.fromEntries(tenantIds.map((tid) => [tid, endpoints(tid)])),
    caCertFile,
    githubOidc: { requestUrl: `${authority}/_twin/github/token`, requestToken: "twin" },
    hostFrontDoor,
    sites: structuredClone(siteAddresses),
    identityEndpoints: structuredClone(identityEndpoints),
  });
  await refresh();
  // The plugins write the state by renaming a new file over it: a stat poll sees that, a watch may not.
  const watched = (): void => void refresh().catch(() => undefined);
  watchFile(stateFile, { interval: options.watchIntervalMs ?? 250 }, watched);

  return {
    ...current(),
    addresses: async () => {
      await refresh();
      return current();
    },
    close: async () => {
      unwatchFile(stateFile, watched);
      await refreshing.catch(() => undefined);
      await Promise.all(servers.map(close));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * [mi] client_id / principal_id (object_id) / mi_res_id pick a user-assigned identity; none means the system-assigned
 * one.
 */
function pickIdentity(site: Site, q: URLSearchParams): string | undefined {
  const uais = Object.entries(site.resource.identity?.userAssignedIdentities ?? {});
  const clientId = q.get("client_id");
  const principalId = q.get("principal_id") ?? q.get("object_id");
  const resId = q.get("mi_res_id");
  if (clientId) return uais.find(([, v]) => v.clientId?.toLowerCase() === clientId.toLowerCase())?.[1].principalId;
  if (principalId)
    return (
      uais.find(([, v]) => v.principalId?.toLowerCase() === principalId.toLowerCase())?.[1].principalId ??
      (site.resource.identity?.principalId?.toLowerCase() === principalId.toLowerCase()
        ? site.resource.identity.principalId
        : undefined)
    );
  if (resId) return uais.find(([k]) => k.toLowerCase() === resId.toLowerCase())?.[1].principalId;
  return site.resource.identity?.principalId;
}

const TEST = "test/entra-runtime/tenants.test.ts";
models({
  class: "tenancy",
  behaviour:
    "the Entra runtime serves a token endpoint, discovery document and keys per tenant of the state, and answers " +
    "a tenant it does not hold with AADSTS90002",
  source: 'Learn "OpenID Connect on the Microsoft identity platform" (per-tenant metadata); AADSTS90002',
  test: `${TEST} › serves a token endpoint and discovery per tenant, and AADSTS90002 for one it does not hold`,
});
models({
  class: "tenancy",
  behaviour: "an application signs in at its own tenant's token endpoint only; elsewhere AADSTS700016",
  source: 'Learn "Microsoft Entra authentication and authorization error codes" (AADSTS700016)',
  test: `${TEST} › an app signs in at its own tenant's endpoint only: elsewhere AADSTS700016`,
});
models({
  class: "tenancy",
  behaviour: "a token carries its issuing tenant's tid and issuer; a site's EasyAuth refuses another tenant's token",
  source: 'Learn "Microsoft identity platform access tokens" (tid, iss); App Service authentication (openIdIssuer)',
  test: `${TEST} › a token of the other tenant carries its tid, and the first tenant's site refuses it`,
});
