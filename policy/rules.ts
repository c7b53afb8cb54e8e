// The security invariants of s2s-auth as pure functions over planned resources. The same rules
// run in the policy pack (policy/index.ts, at `pulumi preview`/`up`), in `npm run plan` and in
// the tests. A rule never reports a value that merely cannot be known yet (NOT_YET_KNOWN); it does
// report a literal setting (a boolean, an enum) that is missing or wrong.
import {
  compareFindings,
  NOT_YET_KNOWN,
  type Finding,
  type PlannedResource,
  type RuleContext,
  type Severity,
} from "../model/index.ts";
import { identityRules } from "./identityRules.ts";
import {
  APP_TYPES,
  AUTH_TYPES,
  compare,
  CREDENTIAL_TYPES,
  get,
  HOST_TYPES,
  indexStack,
  isBookkeeping,
  list,
  placeholderRef,
  T,
  type Callee,
  type StackView,
} from "./stack.ts";

export type { Callee, StackView } from "./stack.ts";

/** A broken invariant, before the rule's id and severity are attached. */
export interface Violation {
  urn: string;
  message: string;
}

export interface Rule {
  /** Stable id, used as the policy name in the pack and in plan findings. */
  id: string;
  severity: Severity;
  /** What the rule guarantees, one sentence. */
  description: string;
  check(stack: StackView, ctx: RuleContext): Violation[];
}

const at = (r: PlannedResource, message: string): Violation => ({ urn: r.urn, message });
const show = (v: unknown) => (v === undefined ? "not set" : JSON.stringify(v));

/** Checks one resource at a time: every resource of the type(s). */
function each(
  types: readonly string[],
  check: (r: PlannedResource, stack: StackView) => string | string[] | undefined,
) {
  return (stack: StackView): Violation[] =>
    stack.resources
      .filter((r) => types.includes(r.type))
      .flatMap((r) => {
        const out = check(r, stack);
        return (out === undefined ? [] : Array.isArray(out) ? out : [out]).map((m) => at(r, m));
      });
}

/** A literal input that must equal `expected`; a missing value is a violation too. */
function literal(r: PlannedResource, path: string[], expected: unknown, fix: string): string | undefined {
  const actual = get(r.inputs, ...path);
  if (actual === NOT_YET_KNOWN) return undefined;
  return actual === expected
    ? undefined
    : `${path.join(".")} is ${show(actual)}, must be ${JSON.stringify(expected)}. Fix: ${fix}`;
}

const TLS_OK = new Set(["1.2", "1.3"]);

// ---------------------------------------------------------------------------------------------
// Callee service principal

const calleeSpAssignmentRequired: Rule = {
  id: "callee-sp-assignment-required",
  severity: "error",
  description:
    "Every callee has a service principal that requires an app role assignment, so Entra ID issues tokens only to granted callers.",
  check(stack) {
    const wrong = stack.apiServicePrincipals().flatMap((sp) => {
      const m = literal(
        sp,
        ["appRoleAssignmentRequired"],
        true,
        "set `appRoleAssignmentRequired: true` on the ServicePrincipal; otherwise any identity in the tenant can get a token for the callee.",
      );
      return m === undefined ? [] : [at(sp, m)];
    });
    const missing = stack
      .callees()
      .filter((c) => c.servicePrincipals.length === 0)
      .map((c) =>
        at(
          c.component,
          "the callee has no service principal, so nothing requires an app role assignment. Fix: create a ServicePrincipal for the callee's app with `appRoleAssignmentRequired: true`.",
        ),
      );
    return [...wrong, ...missing];
  },
};

const calleeSpHidden: Rule = {
  id: "callee-sp-hidden",
  severity: "error",
  description: "Callee (API) service principals are hidden from users (not listed in My Apps).",
  check: (stack) =>
    stack
      .apiServicePrincipals()
      .filter(
        (sp) =>
          !(list(sp.inputs["featureTags"]) ?? []).some((t) => get(t, "hide") === true) &&
          !(list(sp.inputs["tags"]) ?? []).includes("HideApp"),
      )
      .map((sp) =>
        at(
          sp,
          "the service principal is visible to users. Fix: set `featureTags: [{ hide: true, enterprise: true }]` on the ServicePrincipal.",
        ),
      ),
};

// ---------------------------------------------------------------------------------------------
// Callee app registration

const appImplicitGrantOff: Rule = {
  id: "app-implicit-grant-off",
  severity: "error",
  description: "App registrations state implicit grant off for both access tokens and ID tokens.",
  // An Application nests the two switches under web.implicitGrant; an ApplicationRegistration
  // (the granular resource, e.g. for pulumi-azuread#1036) has them flat.
  check: each(APP_TYPES, (app) => {
    const application = app.type === T.application;
    const fix = application
      ? "set `web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } }` on the Application; tokens must only come from the token endpoint."
      : "set `implicitAccessTokenIssuanceEnabled: false, implicitIdTokenIssuanceEnabled: false` on the ApplicationRegistration; tokens must only come from the token endpoint.";
    const paths = application
      ? [
          ["web", "implicitGrant", "accessTokenIssuanceEnabled"],
          ["web", "implicitGrant", "idTokenIssuanceEnabled"],
        ]
      : [["implicitAccessTokenIssuanceEnabled"], ["implicitIdTokenIssuanceEnabled"]];
    return paths.flatMap((path) => literal(app, path, false, fix) ?? []);
  }),
};

const appIdentifierUri: Rule = {
  id: "app-identifier-uri",
  severity: "error",
  description: "Every callee app has an identifier URI, and every identifier URI is an `api://` URI.",
  check(stack) {
    const out: Violation[] = [];
    const fix = "give the callee's app an ApplicationIdentifierUri `api://<clientId>` (the form every tenant accepts).";
    for (const c of stack.callees()) {
      const onApp = list(get(c.app?.inputs, "identifierUris")) ?? [];
      if (c.identifierUris.length === 0 && onApp.length === 0) {
        out.push(
          at(c.component, `the callee has no identifier URI, so callers cannot ask for a token for it. Fix: ${fix}`),
        );
      }
    }
    for (const uri of stack.ofType(T.identifierUri)) {
      const value = uri.inputs["identifierUri"];
      if (typeof value === "string" && !value.startsWith("api://")) {
        out.push(at(uri, `identifierUri is ${show(value)}, must start with "api://". Fix: ${fix}`));
      }
    }
    for (const app of stack.ofType(T.application)) {
      for (const value of list(app.inputs["identifierUris"]) ?? []) {
        if (typeof value === "string" && !value.startsWith("api://")) {
          out.push(at(app, `identifierUris has ${show(value)}, must start with "api://". Fix: ${fix}`));
        }
      }
    }
    return out;
  },
};

const noAppCredentials: Rule = {
  id: "no-app-credentials",
  severity: "error",
  description:
    "No password or certificate on any app registration or service principal: identities are managed, nothing is a secret.",
  check(stack) {
    const fix =
      "remove it; callers authenticate with their managed identity and the callee only validates tokens, so no secret or certificate is needed.";
    const standalone = stack.resources
      .filter((r) => CREDENTIAL_TYPES.includes(r.type))
      .map((r) => at(r, `a credential (${r.type.split(":").pop()}) is declared. Fix: ${fix}`));
    const inline = stack
      .ofType(T.application)
      .filter((app) => app.inputs["password"] !== undefined && app.inputs["password"] !== null)
      .map((app) => at(app, `the Application declares a \`password\` block. Fix: ${fix}`));
    return [...standalone, ...inline];
  },
};

const appRolesAllowApplications: Rule = {
  id: "app-roles-allow-applications",
  severity: "error",
  description: "Every app role can be assigned to applications (managed identities), the callers of this design.",
  check(stack) {
    const fix =
      'include "Application" in the role\'s `allowedMemberTypes`; a managed identity can only be granted such a role.';
    const bad = (types: unknown) => {
      const values = list(types);
      return values !== undefined && !values.includes("Application");
    };
    const inline = stack
      .ofType(T.application)
      .flatMap((app) =>
        (list(app.inputs["appRoles"]) ?? [])
          .filter((role) => bad(get(role, "allowedMemberTypes")))
          .map((role) =>
            at(
              app,
              `app role ${show(get(role, "value"))} has allowedMemberTypes ${show(get(role, "allowedMemberTypes"))}. Fix: ${fix}`,
            ),
          ),
      );
    const separate = stack
      .ofType(T.applicationAppRole)
      .filter((r) => bad(r.inputs["allowedMemberTypes"]))
      .map((r) => at(r, `allowedMemberTypes is ${show(r.inputs["allowedMemberTypes"])}. Fix: ${fix}`));
    return [...inline, ...separate];
  },
};

// ---------------------------------------------------------------------------------------------
// Callee site: App Service Authentication (EasyAuth v2)

/** Checks each callee's auth settings; `reportMissing` makes a callee site without any a violation. */
function calleeAuth(
  stack: StackView,
  reportMissing: boolean,
  check: (auth: PlannedResource, callee: Callee) => string[],
): Violation[] {
  const out: Violation[] = [];
  for (const c of stack.callees()) {
    if (reportMissing && c.sites.length > 0 && c.authSettings.length === 0) {
      out.push(
        at(
          c.sites[0]!,
          "the callee's app has no built-in authentication settings, so it answers anyone who reaches it. Fix: add its host's authentication (WebAppAuthSettingsV2 or ContainerAppsAuthConfig; see components/hosts/).",
        ),
      );
    }
    for (const auth of c.authSettings) out.push(...check(auth, c).map((m) => at(auth, m)));
  }
  return out;
}

const calleeSiteAuthRequired: Rule = {
  id: "callee-site-auth-required",
  severity: "error",
  description:
    "Every callee app has its host's built-in authentication (EasyAuth v2 on web and function apps, authConfigs on container apps) on, requiring authentication and answering unauthenticated requests with 401.",
  check: (stack) =>
    calleeAuth(stack, true, (auth) => {
      // Container Apps auth has no requireAuthentication: Return401 alone turns anonymous calls away.
      const appService = auth.type === T.authSettingsV2;
      const fix = appService
        ? 'set `platform: { enabled: true }, globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "Return401" }`.'
        : 'set `platform: { enabled: true }, globalValidation: { unauthenticatedClientAction: "Return401" }`.';
      return [
        literal(auth, ["platform", "enabled"], true, fix),
        appService ? literal(auth, ["globalValidation", "requireAuthentication"], true, fix) : undefined,
        literal(auth, ["globalValidation", "unauthenticatedClientAction"], "Return401", fix),
      ].filter((m) => m !== undefined);
    }),
};

const calleeSiteEntraProvider: Rule = {
  id: "callee-site-entra-provider",
  severity: "error",
  description:
    "The callee's Entra ID provider is on, registered with the callee's own client id, and accepts the callee's identifier URI as audience.",
  check: (stack) =>
    calleeAuth(stack, false, (auth, callee) => {
      const out: string[] = [];
      const aad = ["identityProviders", "azureActiveDirectory"];
      if (get(auth.inputs, ...aad, "enabled") === false || get(auth.inputs, ...aad) === undefined) {
        out.push(
          `identityProviders.azureActiveDirectory is ${get(auth.inputs, ...aad) === undefined ? "not set" : "disabled"}. Fix: enable the Entra ID provider with the callee's client id.`,
        );
        return out;
      }
      // The service principal's clientId and the registration's clientId both come from the
      // callee app's clientId: when one is known, so is the other.
      const clientId = get(auth.inputs, ...aad, "registration", "clientId");
      for (const sp of callee.servicePrincipals) {
        const expected = sp.inputs["clientId"];
        const verdict = compare(clientId, expected);
        if (expected !== undefined && (verdict === "different" || (verdict === "unknown" && clientId === undefined))) {
          out.push(
            `registration.clientId is ${show(clientId)}, must be the callee app's client id ${show(expected)}. Fix: register the provider with the callee's own client id.`,
          );
        }
      }
      const declared = get(auth.inputs, ...aad, "validation", "allowedAudiences");
      const audiences = list(declared);
      for (const uri of callee.identifierUris) {
        const expected = uri.inputs["identifierUri"];
        const unknown =
          declared === NOT_YET_KNOWN || expected === NOT_YET_KNOWN || (audiences ?? []).includes(NOT_YET_KNOWN);
        if (expected === undefined || unknown) continue;
        if (!audiences?.includes(expected)) {
          out.push(
            `validation.allowedAudiences is ${show(audiences)}, must include the identifier URI ${show(expected)}. Fix: list the identifier URI (and the client id) in allowedAudiences.`,
          );
        }
      }
      return out;
    }),
};

const calleeSiteNoClientSecret: Rule = {
  id: "callee-site-no-client-secret",
  severity: "error",
  description:
    "The callee's Entra ID provider has no client secret or certificate setting: it only validates bearer tokens.",
  check: each(AUTH_TYPES, (auth) => {
    const registration = get(auth.inputs, "identityProviders", "azureActiveDirectory", "registration");
    const keys = [
      "clientSecretSettingName",
      "clientSecretCertificateThumbprint",
      "clientSecretCertificateIssuer",
      "clientSecretCertificateSubjectAlternativeName",
    ].filter((k) => get(registration, k) !== undefined && get(registration, k) !== null);
    return keys.length === 0
      ? undefined
      : `registration.${keys.join(", registration.")} is set. Fix: remove it; the site validates tokens and never signs anyone in, so it needs no secret.`;
  }),
};

// ---------------------------------------------------------------------------------------------
// Every site. Web and function apps (App Service) have all of these settings; a container app
// has HTTPS, CORS and its identity at the app level (TLS is the platform's, and it has no FTP,
// SCM or remote debugging), so only those rules look at it.

const siteRule = (
  id: string,
  description: string,
  check: (site: PlannedResource, stack: StackView) => string | string[] | undefined,
  types: readonly string[] = [T.webApp],
): Rule => ({
  id,
  severity: "error",
  description,
  check: each(types, check),
});

const siteHttpsOnly = siteRule(
  "site-https-only",
  "Every web and function app redirects HTTP to HTTPS; every container app's ingress refuses plain HTTP.",
  (site) => {
    if (site.type === T.webApp) return literal(site, ["httpsOnly"], true, "set `httpsOnly: true` on the WebApp.");
    const ingress = get(site.inputs, "configuration", "ingress");
    // No ingress, no endpoint to reach.
    return ingress === undefined
      ? undefined
      : literal(
          site,
          ["configuration", "ingress", "allowInsecure"],
          false,
          "set `configuration.ingress.allowInsecure: false` on the ContainerApp.",
        );
  },
  HOST_TYPES,
);

const siteMinTls = siteRule("site-min-tls", "Every site (and its SCM site) accepts TLS 1.2 or later only.", (site) => {
  const fix = 'set `siteConfig.minTlsVersion: "1.2"` (and `scmMinTlsVersion: "1.2"`) on the WebApp.';
  const out: string[] = [];
  const min = get(site.inputs, "siteConfig", "minTlsVersion");
  if (min !== NOT_YET_KNOWN && !TLS_OK.has(String(min)))
    out.push(`siteConfig.minTlsVersion is ${show(min)}, must be "1.2" or later. Fix: ${fix}`);
  const scm = get(site.inputs, "siteConfig", "scmMinTlsVersion");
  if (scm !== undefined && scm !== NOT_YET_KNOWN && !TLS_OK.has(String(scm)))
    out.push(`siteConfig.scmMinTlsVersion is ${show(scm)}, must be "1.2" or later. Fix: ${fix}`);
  return out;
});

const siteFtpsDisabled = siteRule("site-ftps-disabled", "Every site has FTP and FTPS deployment disabled.", (site) =>
  literal(site, ["siteConfig", "ftpsState"], "Disabled", 'set `siteConfig.ftpsState: "Disabled"` on the WebApp.'),
);

const siteRemoteDebuggingOff = siteRule("site-remote-debugging-off", "Every site has remote debugging off.", (site) =>
  literal(
    site,
    ["siteConfig", "remoteDebuggingEnabled"],
    false,
    "set `siteConfig.remoteDebuggingEnabled: false` on the WebApp.",
  ),
);

const siteBasicAuthOff = siteRule(
  "site-basic-auth-publishing-off",
  "Every site refuses basic-auth (username and password) publishing over FTP and SCM.",
  (site, stack) => {
    // hardenedWebApp (components/hosts/appService.ts) declares both policies beside the site, named after it.
    const policyFor = (type: string, suffix: string) =>
      stack.ofType(type).find((p) => {
        const ref = placeholderRef(p.inputs["name"]);
        if (ref !== undefined) return ref.urn === site.urn;
        const siteName = site.inputs["name"];
        if (siteName !== undefined && p.inputs["name"] !== undefined) return p.inputs["name"] === siteName;
        return p.parent === site.parent && p.name === `${site.name}-${suffix}`;
      });
    return [
      [T.ftpAllowed, "ftp", "WebAppFtpAllowed"],
      [T.scmAllowed, "scm", "WebAppScmAllowed"],
    ].flatMap(([type, suffix, kind]) => {
      const p = policyFor(type!, suffix!);
      const fix = `declare a ${kind} with \`allow: false\` for the site (hardenedWebApp in components/hosts/appService.ts does).`;
      if (p === undefined)
        return [
          `no ${kind} covers this site, so ${suffix === "ftp" ? "FTP" : "SCM"} accepts a username and password. Fix: ${fix}`,
        ];
      return p.inputs["allow"] === false
        ? []
        : [`${kind} ${p.name} has allow ${show(p.inputs["allow"])}, must be false. Fix: ${fix}`];
    });
  },
);

const siteNoWildcardCors = siteRule(
  "site-no-wildcard-cors",
  "No web, function or container app allows every CORS origin.",
  (site) => {
    const path =
      site.type === T.webApp
        ? ["siteConfig", "cors", "allowedOrigins"]
        : ["configuration", "ingress", "corsPolicy", "allowedOrigins"];
    const origins = list(get(site.inputs, ...path)) ?? [];
    return origins.includes("*")
      ? `${path.join(".")} contains "*". Fix: list the origins that may call the app, or none (service-to-service calls need no CORS).`
      : undefined;
  },
  HOST_TYPES,
);

const siteSystemIdentity = siteRule(
  "site-system-identity",
  "Every web, function and container app has a system-assigned managed identity.",
  (site) => {
    const type = get(site.inputs, "identity", "type");
    return typeof type === "string" && type.split(",").some((t) => t.trim() === "SystemAssigned")
      ? undefined
      : `identity.type is ${show(type)}. Fix: set \`identity: { type: "SystemAssigned" }\` on the ${site.type.split(":").pop()}; it is the app's only credential.`;
  },
  HOST_TYPES,
);

// ---------------------------------------------------------------------------------------------
// Environment: developer access exists in dev only; prod resources are protected

const notDev = (ctx: RuleContext) => ctx.environment !== "dev";
const devOnly = (ctx: RuleContext) =>
  `in a ${ctx.environment} stack. Fix: developer access belongs in dev stacks only; remove \`devAccess\` from this stack's config.`;

const envNoPreauthorizedClients: Rule = {
  id: "env-no-preauthorized-clients",
  severity: "error",
  description: "In test and prod, no client application is pre-authorized on any app.",
  check(stack, ctx) {
    if (!notDev(ctx)) return [];
    const resources = stack
      .ofType(T.preAuthorized)
      .map((r) => at(r, `client ${show(r.inputs["authorizedClientId"])} is pre-authorized ${devOnly(ctx)}`));
    const known = stack
      .ofType(T.application)
      .filter((app) => (list(get(app.inputs, "api", "knownClientApplications")) ?? []).length > 0)
      .map((app) => at(app, `api.knownClientApplications is set ${devOnly(ctx)}`));
    return [...resources, ...known];
  },
};

const envNoDelegatedScopes: Rule = {
  id: "env-no-delegated-scopes",
  severity: "error",
  description: "In test and prod, no app exposes a delegated (user) scope: only application permissions exist.",
  check(stack, ctx) {
    if (!notDev(ctx)) return [];
    const inline = stack
      .ofType(T.application)
      .flatMap((app) =>
        (list(get(app.inputs, "api", "oauth2PermissionScopes")) ?? []).map((s) =>
          at(app, `delegated scope ${show(get(s, "value"))} is exposed ${devOnly(ctx)}`),
        ),
      );
    const separate = stack
      .ofType(T.permissionScope)
      .map((r) => at(r, `delegated scope ${show(r.inputs["value"])} is exposed ${devOnly(ctx)}`));
    return [...inline, ...separate];
  },
};

const envNoUserAssignments: Rule = {
  id: "env-no-user-role-assignments",
  severity: "error",
  description:
    "In test and prod, no user or group holds an app role, and no app role can be assigned to users or groups.",
  check(stack, ctx) {
    if (!notDev(ctx)) return [];
    const assignments = stack
      .ofType(T.appRoleAssignment)
      .filter((a) => stack.ancestor(a, T.devAccess) !== undefined)
      .map((a) => at(a, `a user or group is assigned an app role ${devOnly(ctx)}`));
    const userRoles = (types: unknown) => (list(types) ?? []).includes("User");
    const inline = stack
      .ofType(T.application)
      .flatMap((app) =>
        (list(app.inputs["appRoles"]) ?? [])
          .filter((role) => userRoles(get(role, "allowedMemberTypes")))
          .map((role) =>
            at(app, `app role ${show(get(role, "value"))} can be assigned to users and groups ${devOnly(ctx)}`),
          ),
      );
    const separate = stack
      .ofType(T.applicationAppRole)
      .filter((r) => userRoles(r.inputs["allowedMemberTypes"]))
      .map((r) => at(r, `app role ${show(r.inputs["value"])} can be assigned to users and groups ${devOnly(ctx)}`));
    return [...assignments, ...inline, ...separate];
  },
};

const prodProtected: Rule = {
  id: "prod-resources-protected",
  severity: "error",
  description: "In prod, every resource is protected from deletion.",
  check: (stack, ctx) =>
    ctx.environment !== "prod"
      ? []
      : stack.resources
          .filter((r) => !isBookkeeping(r) && !r.protect)
          .map((r) =>
            at(
              r,
              "the resource is not protected in a prod stack. Fix: declare it with `protect: true` (or under a parent that has it; index.ts sets it for prod).",
            ),
          ),
};

// ---------------------------------------------------------------------------------------------
// Grants

const grantRoleExists: Rule = {
  id: "grant-role-exists",
  severity: "error",
  description: "Every app role assignment grants a role that the target service principal's app declares.",
  check(stack) {
    const out: Violation[] = [];
    for (const a of stack.ofType(T.appRoleAssignment)) {
      const roleId = a.inputs["appRoleId"];
      if (typeof roleId !== "string") continue;
      // The target: the service principal named by resourceObjectId, else the callee the grant
      // was declared under.
      const ref = placeholderRef(a.inputs["resourceObjectId"]);
      const target = stack.byUrn(ref?.output === "objectId" ? ref.urn : undefined);
      const callee = target ? stack.calleeOf(target) : stack.calleeOf(a);
      if (callee?.app === undefined) continue;
      const app = callee.app;
      // An ApplicationRegistration declares its roles only as ApplicationAppRole resources.
      const inline = app.type === T.applicationRegistration ? [] : list(app.inputs["appRoles"]);
      if (inline === undefined) continue;
      const separate = stack
        .ofType(T.applicationAppRole)
        .filter((r) => placeholderRef(r.inputs["applicationId"])?.urn === app.urn || r.parent === callee.component.urn)
        .map((r) => ({ value: r.inputs["value"], id: r.inputs["roleId"] }));
      const declared = [...inline.map((r) => ({ value: get(r, "value"), id: get(r, "id") })), ...separate];
      if (declared.some((r) => r.id === undefined)) continue;
      if (!declared.some((r) => r.id === roleId)) {
        const roles = declared.map((r) => `${String(r.value)}=${String(r.id)}`).join(", ") || "none";
        out.push(
          at(
            a,
            `appRoleId ${roleId} is not a role of ${app.name} (roles: ${roles}). Fix: grant one of the callee's declared roles, or declare the role on its app.`,
          ),
        );
      }
    }
    return out;
  },
};

/** Every rule, in a stable order. */
export const rules: readonly Rule[] = [
  calleeSpAssignmentRequired,
  calleeSpHidden,
  appImplicitGrantOff,
  appIdentifierUri,
  noAppCredentials,
  appRolesAllowApplications,
  calleeSiteAuthRequired,
  calleeSiteEntraProvider,
  calleeSiteNoClientSecret,
  siteHttpsOnly,
  siteMinTls,
  siteFtpsDisabled,
  siteRemoteDebuggingOff,
  siteBasicAuthOff,
  siteNoWildcardCors,
  siteSystemIdentity,
  envNoPreauthorizedClients,
  envNoDelegatedScopes,
  envNoUserAssignments,
  prodProtected,
  grantRoleExists,
  // Who may sign in as an identity that can write (policy/identityRules.ts).
  ...identityRules,
];

/** Runs one rule and attaches its id and severity. */
export function runRule(rule: Rule, stack: StackView, ctx: RuleContext): Finding[] {
  return rule
    .check(stack, ctx)
    .map((v) => ({ severity: rule.severity, policy: rule.id, urn: v.urn, message: v.message }));
}

/**
 * Each rule as a plain function of the resources, for consumers that take
 * `(resources, ctx) => Finding[]` (the offline plan's rule list).
 */
export const ruleFunctions: readonly ((resources: PlannedResource[], ctx: RuleContext) => Finding[])[] = rules.map(
  (rule) => (resources, ctx) => runRule(rule, indexStack(resources), ctx),
);

/** Runs every rule over the stack's resources; findings sorted by severity (errors first), rule, URN, message. */
export function evaluate(resources: PlannedResource[], ctx: RuleContext): Finding[] {
  const stack = indexStack(resources);
  return rules.flatMap((rule) => runRule(rule, stack, ctx)).sort(compareFindings);
}
