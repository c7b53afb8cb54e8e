// Who gets an access token, with which claims, or which AADSTS error: Entra ID's rules applied to
// the twin's state. Pure: no I/O, no signing (the server signs what this returns).
//
// Sources (Microsoft Learn):
// [claims]   "Access token claims reference", learn.microsoft.com/entra/identity-platform/access-token-claims-reference
// [errors]   "Microsoft Entra authentication and authorization error codes",
// learn.microsoft.com/entra/identity-platform/reference-error-codes
// [roles]    "Add app roles to your application and receive them in the token",
// learn.microsoft.com/entra/identity-platform/howto-add-app-roles-in-apps
// [assign]   "Manage users and groups assignment to an application",
// learn.microsoft.com/entra/identity/enterprise-apps/assign-user-or-group-access-portal
// [preauth]  "Microsoft identity platform and OAuth 2.0 ... permissions and consent" (pre-authorized applications),
// learn.microsoft.com/entra/identity-platform/permissions-consent-overview
// [fic]      "Workload identity federation" / "Configure an app to trust an external identity provider",
// learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust
// [ccflow]   "OAuth 2.0 client credentials flow",
// learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
// [manifest] "Microsoft Entra app manifest", learn.microsoft.com/entra/identity-platform/reference-app-manifest
//            (accessTokenAcceptedVersion / api.requestedAccessTokenVersion: 1, 2 or null; null means 1)
// A rule with none of these is marked GUESS.
import { createHash, randomUUID } from "node:crypto";
import {
  type AppRole,
  FIRST_PARTY_PUBLIC_CLIENTS,
  type GraphApplication,
  type GraphServicePrincipal,
  type PermissionScope,
  type TwinState,
} from "../state.ts";
import { AADSTS, type AadstsError } from "./errors.ts";
import {
  applicationByAppId,
  compareCodeUnits,
  servicePrincipalByAppId,
  servicePrincipalById,
  values,
} from "./state.ts";

export const V1_ISSUER = (tid: string): string => `https://sts.windows.net/${tid}/`;
export const V2_ISSUER = (tid: string): string => `https://login.microsoftonline.com/${tid}/v2.0`;

export type Claims = Record<string, string | number | string[]>;

export type Decision =
  { ok: true; claims: Claims; version: 1 | 2; expiresIn: number } | { ok: false; err: AadstsError };

export type TokenRequest =
  /** A managed identity (by its service principal's object id) asking its endpoint for `resource`. */
  | { kind: "managedIdentity"; principalId: string; resource: string }
  /** An app authenticated by a federated credential (the assertion's signature already checked). */
  | {
      kind: "federated";
      clientId: string;
      assertion: { iss: string; sub: string; aud: string[]; exp: number; nbf?: number };
      scope: string;
    }
  /** A signed-in user through a public client (e.g. the Azure CLI). */
  | { kind: "user"; clientId: string; userPrincipalName: string; scope: string };

/** A refusal, with an error of the catalog (errors.ts). */
export const refuse = (err: AadstsError): Decision => ({ ok: false, err });

/** The scope parsed, or AADSTS70011. */
const scopeOf = (scope: string): { resource: string; names: string[] } | Decision =>
  parseScope(scope) ?? refuse(AADSTS.invalidScope(scope));

interface Resource {
  sp: GraphServicePrincipal;
  app: GraphApplication | undefined;
  /** What the client asked for, as it asked (v1 tokens carry it as `aud`). */
  requested: string;
}

const trimSlash = (s: string): string => s.replace(/\/+$/, "");

/**
 * Finds the resource by an identifier URI of its application or by its client id. [errors] AADSTS500011
 * when no service principal for it exists in the tenant. Case-insensitive comparison: GUESS.
 */
function findResource(state: TwinState, requested: string): Resource | AadstsError {
  const want = trimSlash(requested).toLowerCase();
  for (const app of values(state.graph.applications)) {
    const names = [app.appId, ...(app.identifierUris ?? [])].map((u) => trimSlash(u).toLowerCase());
    if (!names.includes(want)) continue;
    const sp = servicePrincipalByAppId(state, app.appId);
    if (sp) return { sp, app, requested };
  }
  const sp = values(state.graph.servicePrincipals).find((s) =>
    [s.appId, ...(s.alternativeNames ?? [])].some((n) => trimSlash(n).toLowerCase() === want),
  );
  if (sp) return { sp, app: applicationByAppId(state, sp.appId), requested };
  return AADSTS.resourceNotFound(requested, state.tenantId);
}

/** Splits a v2 scope string into the resource and the scope names; reserved OIDC scopes are dropped. */
export function parseScope(scope: string): { resource: string; names: string[] } | undefined {
  const reserved = new Set(["openid", "profile", "offline_access", "email"]);
  const parts = scope.split(/\s+/).filter((s) => s.length > 0 && !reserved.has(s));
  let resource: string | undefined;
  const names: string[] = [];
  for (const p of parts) {
    const cut = p.lastIndexOf("/");
    // A scope without a resource prefix targets Microsoft Graph; the twin serves no Graph tokens.
    if (cut <= 0) return undefined;
    const r = p.slice(0, cut);
    if (resource !== undefined && trimSlash(r).toLowerCase() !== trimSlash(resource).toLowerCase()) return undefined;
    resource = r;
    names.push(p.slice(cut + 1));
  }
  return resource === undefined ? undefined : { resource, names };
}

/** [manifest] the token version is the resource's `api.requestedAccessTokenVersion`; null or 1 means v1. */
const versionOf = (r: Resource): 1 | 2 => (r.app?.api?.requestedAccessTokenVersion === 2 ? 2 : 1);

const rolesOf = (r: Resource): AppRole[] =>
  r.sp.appRoles && r.sp.appRoles.length > 0 ? r.sp.appRoles : (r.app?.appRoles ?? []);
const scopesOf = (r: Resource): PermissionScope[] =>
  r.app?.api?.oauth2PermissionScopes ?? r.sp.oauth2PermissionScopes ?? [];

/**
 * Role values of the assignments held by any of `principalIds` on the resource; the default role (no value) gives none.
 */
function assignedRoles(state: TwinState, r: Resource, principalIds: string[]): { assigned: boolean; roles: string[] } {
  const ids = new Set(principalIds.map((p) => p.toLowerCase()));
  const held = values(state.graph.appRoleAssignments).filter(
    (a) => a.resourceId.toLowerCase() === r.sp.id.toLowerCase() && ids.has(a.principalId.toLowerCase()),
  );
  const defined = rolesOf(r);
  const roles = new Set<string>();
  for (const a of held) {
    const role = defined.find((d) => d.id === a.appRoleId && d.isEnabled !== false);
    if (role?.value) roles.add(role.value);
  }
  return { assigned: held.length > 0, roles: [...roles].sort(compareCodeUnits) };
}

function baseClaims(state: TwinState, r: Resource, version: 1 | 2, now: number, lifetime: number): Claims {
  return {
    // [claims] aud: "In v2.0 tokens, this value is always the client ID of the API. In v1.0 tokens,
    // it can be the client ID or the resource URI used in the request."
    aud: version === 1 ? r.requested : r.sp.appId,
    iss: version === 1 ? V1_ISSUER(state.tenantId) : V2_ISSUER(state.tenantId),
    iat: now,
    nbf: now,
    exp: now + lifetime,
    tid: state.tenantId,
    uti: randomUUID().replace(/-/g, "").slice(0, 22),
    ver: version === 1 ? "1.0" : "2.0",
  };
}

/** [claims] appid/appidacr in v1, azp/azpacr in v2; 0 = public client, 2 = certificate or assertion. */
function clientClaims(version: 1 | 2, clientId: string, acr: "0" | "2"): Claims {
  return version === 1 ? { appid: clientId, appidacr: acr } : { azp: clientId, azpacr: acr };
}

/**
 * App-only tokens: [roles] a resource that requires assignment refuses a client without one; with
 * "User assignment required? set to No, Azure AD won't check the app role assignments of a client
 * when it requests an access token", so the token is issued without `roles`.
 */
function appOnly(
  state: TwinState,
  client: GraphServicePrincipal,
  r: Resource,
  now: number,
  lifetime: number,
): Decision {
  const { assigned, roles } = assignedRoles(state, r, [client.id]);
  if (r.sp.appRoleAssignmentRequired === true && !assigned) {
    return refuse(
      AADSTS.applicationNotAssigned(
        client.appId,
        client.displayName ?? client.appId,
        r.requested,
        r.sp.displayName ?? r.sp.appId,
      ),
    );
  }
  return issued(state, r, { now, lifetime, clientId: client.appId, acr: "2", roles }, (version) => ({
    ...(version === 1 ? { idp: V1_ISSUER(state.tenantId) } : {}),
    oid: client.id,
    sub: client.id,
  }));
}

/**
 * A token for `r`: the claims every token carries, the client's, those of its kind (`own`), and the
 * app roles the caller holds, if any.
 */
function issued(
  state: TwinState,
  r: Resource,
  t: { now: number; lifetime: number; clientId: string; acr: "0" | "2"; roles: string[] },
  own: (version: 1 | 2) => Claims,
): Decision {
  const version = versionOf(r);
  return {
    ok: true,
    version,
    expiresIn: t.lifetime,
    claims: {
      ...baseClaims(state, r, version, t.now, t.lifetime),
      ...clientClaims(version, t.clientId, t.acr),
      ...own(version),
      ...(t.roles.length > 0 ? { roles: t.roles } : {}),
    },
  };
}

/**
 * Federated credential matching [fic]: issuer and subject compared exactly, the assertion's audience must be listed.
 */
function matchFederated(
  state: TwinState,
  app: GraphApplication,
  a: { iss: string; sub: string; aud: string[] },
): AadstsError | undefined {
  const fics = values(state.graph.federatedIdentityCredentials).filter(
    (f) => f.applicationObjectId.toLowerCase() === app.id.toLowerCase(),
  );
  const aud = a.aud.join(",");
  if (fics.length === 0) return AADSTS.noFederatedCredential(a.iss, a.sub, aud);
  // Which of 700211/700213/700212 wins when several fields differ: GUESS (issuer, then subject, then audience).
  const byIssuer = fics.filter((f) => f.issuer === a.iss);
  if (byIssuer.length === 0) return AADSTS.federatedIssuerMismatch(a.iss);
  const bySubject = byIssuer.filter((f) => f.subject === a.sub);
  if (bySubject.length === 0) return AADSTS.federatedSubjectMismatch(a.sub);
  if (!bySubject.some((f) => f.audiences.some((x) => a.aud.includes(x)))) return AADSTS.federatedAudienceMismatch(aud);
  return undefined;
}

/**
 * A pairwise subject for user tokens (unique per user and resource app). The derivation is a GUESS; only its shape
 * matters.
 */
const pairwiseSub = (oid: string, appId: string): string =>
  createHash("sha256").update(`${oid}|${appId}`).digest("base64url").slice(0, 43);

export function decide(state: TwinState, req: TokenRequest, now: number = Math.floor(Date.now() / 1000)): Decision {
  if (req.kind === "managedIdentity") {
    const client = servicePrincipalById(state, req.principalId);
    if (!client) {
      // The identity's service principal is not (yet) in Graph.
      return refuse(AADSTS.identityNotFound(req.principalId, state.tenantId));
    }
    const r = findResource(state, req.resource);
    if ("code" in r) return refuse(r);
    // Managed identity tokens live about 24 hours (Learn "Managed identity best practice recommendations": tokens are
    // cached ~24 h).
    return appOnly(state, client, r, now, 86_399);
  }

  if (req.kind === "federated") {
    const app = applicationByAppId(state, req.clientId);
    if (!app) return refuse(AADSTS.applicationNotFound(req.clientId, state.tenantId));
    // [errors] AADSTS700024: the assertion must be within its valid time range.
    if (req.assertion.exp <= now || (req.assertion.nbf !== undefined && req.assertion.nbf > now + 300)) {
      return refuse(AADSTS.assertionNotValidNow());
    }
    const mismatch = matchFederated(state, app, req.assertion);
    if (mismatch) return refuse(mismatch);
    const parsed = scopeOf(req.scope);
    if ("ok" in parsed) return parsed;
    // [ccflow]: client credentials take only `<resource>/.default`.
    if (parsed.names.length !== 1 || parsed.names[0] !== ".default") {
      return refuse(AADSTS.clientCredentialsNeedDefaultScope(req.scope));
    }
    const client = servicePrincipalByAppId(state, app.appId);
    if (!client) {
      // An application without a service principal in the tenant cannot get an app-only token.
      return refuse(AADSTS.clientServicePrincipalMissing(app.appId, state.tenantId));
    }
    const r = findResource(state, parsed.resource);
    if ("code" in r) return refuse(r);
    return appOnly(state, client, r, now, 3_599);
  }

  // A user through a public client.
  const clientName =
    FIRST_PARTY_PUBLIC_CLIENTS[req.clientId.toLowerCase()] ?? applicationByAppId(state, req.clientId)?.displayName;
  if (clientName === undefined) return refuse(AADSTS.applicationNotFound(req.clientId, state.tenantId));
  const upn = req.userPrincipalName.toLowerCase();
  const user = values(state.graph.users).find((u) => u.userPrincipalName.toLowerCase() === upn);
  if (!user) return refuse(AADSTS.userNotFound(req.userPrincipalName, state.tenantId));
  const parsed = scopeOf(req.scope);
  if ("ok" in parsed) return parsed;
  const r = findResource(state, parsed.resource);
  if ("code" in r) return refuse(r);

  // [assign]: assignment required lets in the user or a group the user is a DIRECT member of (nested groups don't
  // count).
  const groups = values(state.graph.groups).filter((g) =>
    (g.members ?? []).some((m) => m.toLowerCase() === user.id.toLowerCase()),
  );
  const { assigned, roles } = assignedRoles(state, r, [user.id, ...groups.map((g) => g.id)]);
  if (r.sp.appRoleAssignmentRequired === true && !assigned) {
    // Checked before consent: the order is a GUESS.
    return refuse(AADSTS.userNotAssigned(user.userPrincipalName, r.sp.appId, r.sp.displayName ?? r.sp.appId));
  }

  // [preauth]: a pre-authorized client needs no consent for the scopes listed for it; otherwise
  // an oAuth2PermissionGrant (admin or this user's consent) must cover the scope.
  const defined = scopesOf(r).filter((s) => s.isEnabled !== false);
  const granted = new Set<string>();
  const pre = (r.app?.api?.preAuthorizedApplications ?? []).find(
    (p) => p.appId.toLowerCase() === req.clientId.toLowerCase(),
  );
  for (const id of pre?.delegatedPermissionIds ?? []) {
    const s = defined.find((d) => d.id === id);
    if (s) granted.add(s.value);
  }
  const clientSp = servicePrincipalByAppId(state, req.clientId);
  if (clientSp) {
    for (const g of values(state.graph.oauth2PermissionGrants ?? {})) {
      if (
        g.clientId.toLowerCase() !== clientSp.id.toLowerCase() ||
        g.resourceId.toLowerCase() !== r.sp.id.toLowerCase()
      )
        continue;
      if (g.consentType === "Principal" && (g.principalId ?? "").toLowerCase() !== user.id.toLowerCase()) continue;
      for (const v of g.scope.split(/\s+/)) if (defined.some((d) => d.value === v)) granted.add(v);
    }
  }
  let scp: string[];
  if (parsed.names.includes(".default")) {
    scp = [...granted].sort(compareCodeUnits);
  } else {
    for (const n of parsed.names) {
      if (!defined.some((d) => d.value === n)) {
        return refuse(AADSTS.invalidScope(`${parsed.resource}/${n}`));
      }
    }
    scp = parsed.names.every((n) => granted.has(n)) ? [...parsed.names].sort(compareCodeUnits) : [];
  }
  if (scp.length === 0) {
    return refuse(AADSTS.consentRequired(req.clientId, clientName));
  }
  const grant = { now, lifetime: 3_599, clientId: req.clientId, acr: "0" as const, roles };
  return issued(state, r, grant, (version) => ({
    ...(version === 1
      ? { upn: user.userPrincipalName, unique_name: user.userPrincipalName, amr: ["pwd"] }
      : { preferred_username: user.userPrincipalName }),
    name: user.displayName ?? user.userPrincipalName,
    oid: user.id,
    sub: pairwiseSub(user.id, r.sp.appId),
    scp: scp.join(" "),
  }));
}
