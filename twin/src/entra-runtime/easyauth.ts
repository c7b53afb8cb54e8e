// App Service / Functions / Container Apps built-in authentication ("EasyAuth") for bearer tokens,
// as the site's auth settings in the twin state define it. Pure decision; the server does the I/O.
//
// Sources (Microsoft Learn):
// [as-aad]   "Configure your App Service or Azure Functions app to use Microsoft Entra sign-in",
//            learn.microsoft.com/azure/app-service/configure-authentication-provider-aad
//            (issuer URL, allowed token audiences, "Use a built-in authorization policy":
//            allowedApplications is checked against `appid`/`azp`, allowedPrincipals.identities
//            against `oid`, a failed check is a 403)
// [as-flow]  "Authentication and authorization in Azure App Service and Azure Functions",
//            learn.microsoft.com/azure/app-service/overview-authentication-authorization
//            (requireAuthentication + unauthenticatedClientAction, AllowAnonymous)
// [as-ids]   "Work with user identities in Azure App Service authentication",
//            learn.microsoft.com/azure/app-service/configure-authentication-user-identities (X-MS-CLIENT-PRINCIPAL*)
// [aca]      "Enable authentication and authorization in Azure Container Apps with Microsoft Entra ID",
//            learn.microsoft.com/azure/container-apps/authentication-entra, and "Authentication and
//            authorization in Azure Container Apps", learn.microsoft.com/azure/container-apps/authentication
// A rule with none of these is marked GUESS.
import { V1_ISSUER, V2_ISSUER } from "./entra.ts";
import { siteHost, type Site } from "./state.ts";

export interface AadSettings {
  enabled?: boolean;
  registration?: { clientId?: string; openIdIssuer?: string };
  validation?: {
    allowedAudiences?: string[];
    defaultAuthorizationPolicy?: { allowedApplications?: string[]; allowedPrincipals?: { identities?: string[] } };
  };
  login?: { disableWWWAuthenticate?: boolean };
}

export interface AuthSettings {
  platform?: { enabled?: boolean };
  globalValidation?: { requireAuthentication?: boolean; unauthenticatedClientAction?: string };
  identityProviders?: { azureActiveDirectory?: AadSettings };
}

export type Verdict =
  | { status: "pass"; claims?: Record<string, unknown> }
  | { status: 401 | 403; reason: string; wwwAuthenticate?: string }
  | { status: 302; location: string };

export interface Presented {
  /** The bearer token's payload when its signature verified against the tenant's keys; undefined otherwise. */
  verified: Record<string, unknown> | undefined;
  /** Whether an `Authorization: Bearer` header was sent at all. */
  present: boolean;
}

/** The tenant a `registration.openIdIssuer` names, when it is one of Entra's own issuer forms. */
export function issuerTenant(openIdIssuer: string): string | undefined {
  const m =
    /^https:\/\/(login\.microsoftonline\.com|sts\.windows\.net|login\.windows\.net)\/([^/]+)(\/v2\.0)?\/?$/i.exec(
      openIdIssuer,
    );
  return m?.[2]?.toLowerCase();
}

const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];

function unauthenticated(
  site: Site,
  settings: AuthSettings,
  aad: AadSettings | undefined,
  twinTenant: string,
  path: string,
): Verdict {
  const action = settings.globalValidation?.unauthenticatedClientAction ?? "RedirectToLoginPage";
  // [as-flow] App Service: with requireAuthentication false, unauthenticated requests reach the app.
  // Container Apps' globalValidation has no requireAuthentication (ARM template reference for
  // Microsoft.App/containerApps/authConfigs: excludedPaths, redirectToProvider,
  // unauthenticatedClientAction): the action alone decides.
  const required =
    site.kind === "containerApp"
      ? action !== "AllowAnonymous"
      : settings.globalValidation?.requireAuthentication === true && action !== "AllowAnonymous";
  if (!required) return { status: "pass" };
  if (action === "Return401") {
    const www =
      aad && aad.login?.disableWWWAuthenticate !== true && aad.registration?.clientId
        ? // The header's exact wording is a GUESS; [as-aad] documents login.disableWWWAuthenticate turning it off.
          `Bearer realm="${siteHost(site) ?? site.name}" ` +
          `authorization_uri="https://login.microsoftonline.com/${twinTenant}/oauth2/v2.0/authorize" ` +
          `resource_id="${aad.registration.clientId}"`
        : undefined;
    return { status: 401, reason: "no token", ...(www ? { wwwAuthenticate: www } : {}) };
  }
  if (action === "Return403") return { status: 403, reason: "no token" };
  // RedirectToLoginPage sends the client to the provider's login route.
  return { status: 302, location: `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(path)}` };
}

/** What EasyAuth answers a request with, given the site's auth settings (undefined when the site has none). */
export function judge(
  site: Site,
  settings: AuthSettings | undefined,
  presented: Presented,
  twinTenant: string,
  now: number,
  path = "/",
): Verdict {
  // [as-flow] platform.enabled false (or no settings): the module is off and every request reaches the app.
  if (!settings || settings.platform?.enabled !== true) return { status: "pass" };
  const aadRaw = settings.identityProviders?.azureActiveDirectory;
  // An Entra provider with a registration is on unless `enabled: false` (ARM: "false if the provider should not be
  // enabled despite the set registration").
  const aad = aadRaw && aadRaw.enabled !== false && aadRaw.registration?.clientId ? aadRaw : undefined;
  if (!presented.present || !aad) return unauthenticated(site, settings, aad, twinTenant, path);

  const invalid = (reason: string): Verdict => ({ status: 401, reason });
  // An invalid token is refused with 401 even when anonymous requests are allowed: GUESS.
  const claims = presented.verified;
  if (!claims) return invalid("the token's signature does not verify against the issuer's keys");

  // [as-aad]/[aca] the issuer URL names the tenant whose metadata gives the signing keys and the
  // issuer value. Accepting that tenant's tokens in both the v1 (https://sts.windows.net/<tid>/)
  // and v2 (https://login.microsoftonline.com/<tid>/v2.0) forms whichever form openIdIssuer uses is
  // what deployments rely on (NewOrbit/Service2ServiceAuth.Demo: v1 managed identity tokens behind
  // `https://sts.windows.net/<tid>/v2.0`); the documentation does not spell it out: partly a GUESS.
  const tenant = issuerTenant(aad.registration?.openIdIssuer ?? "");
  if (tenant === undefined || tenant !== twinTenant.toLowerCase()) {
    return invalid(
      `openIdIssuer ${aad.registration?.openIdIssuer ?? "(none)"} is not this tenant's issuer, so no token validates`,
    );
  }
  const iss = typeof claims["iss"] === "string" ? claims["iss"] : "";
  if (iss !== V1_ISSUER(twinTenant) && iss !== V2_ISSUER(twinTenant))
    return invalid(`issuer ${iss} does not match ${aad.registration?.openIdIssuer}`);

  const exp = typeof claims["exp"] === "number" ? claims["exp"] : 0;
  const nbf = typeof claims["nbf"] === "number" ? claims["nbf"] : 0;
  // A 5-minute clock skew allowance, as token validation libraries use by default: GUESS for EasyAuth.
  if (exp + 300 < now || nbf - 300 > now) return invalid("the token is expired or not yet valid");

  // [as-aad]/[aca] allowed token audiences; "the configured Application (client) ID is always
  // implicitly considered to be an allowed audience".
  const audiences = new Set(
    [...(aad.validation?.allowedAudiences ?? []), aad.registration?.clientId ?? ""].filter((a) => a.length > 0),
  );
  const aud = asList(claims["aud"]);
  if (!aud.some((a) => audiences.has(a))) return invalid(`audience ${aud.join(",")} is not allowed`);

  // [as-aad] "Use a built-in authorization policy": allowedApplications is "an allowlist of string
  // application client IDs ... evaluates the appid or azp claim"; allowedPrincipals.identities holds
  // object ids checked against oid; a logical AND; "Requests that fail these built-in checks get an
  // HTTP 403 Forbidden response."
  const policy = aad.validation?.defaultAuthorizationPolicy;
  const enforcePolicy = site.kind === "appService" || CONTAINER_APPS_ENFORCE_DEFAULT_AUTHORIZATION_POLICY;
  if (policy && enforcePolicy) {
    const client =
      typeof claims["appid"] === "string" ? claims["appid"] : typeof claims["azp"] === "string" ? claims["azp"] : "";
    const apps = policy.allowedApplications ?? [];
    if (apps.length > 0 && !apps.some((a) => a.toLowerCase() === client.toLowerCase())) {
      return { status: 403, reason: `client ${client || "(none)"} is not in allowedApplications` };
    }
    const ids = policy.allowedPrincipals?.identities ?? [];
    const oid = typeof claims["oid"] === "string" ? claims["oid"] : "";
    if (ids.length > 0 && !ids.some((i) => i.toLowerCase() === oid.toLowerCase())) {
      return { status: 403, reason: `principal ${oid || "(none)"} is not in allowedPrincipals.identities` };
    }
  }
  return { status: "pass", claims };
}

/**
 * Container Apps: [aca] documents the Entra provider's client id, issuer URL and allowed token
 * audiences ("The configured Application (client) ID is always implicitly considered to be an
 * allowed audience"), and for daemon clients says "This process allows any client application in
 * your Microsoft Entra tenant to request an access token and authenticate to the target app", with
 * any further check left to the app's code. It documents no built-in allowedApplications or
 * allowedPrincipals check, although the ARM schema (learn.microsoft.com/azure/templates/
 * microsoft.app/containerapps/authconfigs) carries `defaultAuthorizationPolicy`. The twin enforces
 * only what is documented: a Container App does not 403 a client missing from allowedApplications.
 */
export const CONTAINER_APPS_ENFORCE_DEFAULT_AUTHORIZATION_POLICY = false;

/**
 * [as-ids] the headers App Service injects for an authenticated caller. [as-aad] says the
 * principal's claims "go through a claims mapping" (e.g. `tid` becomes
 * http://schemas.microsoft.com/identity/claims/tenantid); the twin keeps the token's own claim
 * names, a simplification that only the echo app sees.
 */
export function principalHeaders(claims: Record<string, unknown>): Record<string, string> {
  const list: { typ: string; val: string }[] = [];
  for (const [typ, v] of Object.entries(claims)) {
    for (const val of Array.isArray(v) ? v : [v]) list.push({ typ, val: String(val) });
  }
  const principal = { auth_typ: "aad", claims: list, name_typ: "name", role_typ: "roles" };
  const name =
    [claims["preferred_username"], claims["upn"], claims["name"], claims["appid"], claims["azp"]].find(
      (x): x is string => typeof x === "string",
    ) ?? "";
  return {
    "x-ms-client-principal": Buffer.from(JSON.stringify(principal)).toString("base64"),
    "x-ms-client-principal-id": typeof claims["oid"] === "string" ? claims["oid"] : "",
    "x-ms-client-principal-name": name,
    "x-ms-client-principal-idp": "aad",
  };
}
