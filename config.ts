// The stack configuration: one zod schema is the single source of truth for its types,
// its defaults and its error messages. Nothing is declared before it has been validated.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { containerAppName } from "./model/azureNames.ts";
import {
  type AppRole,
  DEV_SCOPE,
  type DeveloperAccess,
  ENVIRONMENTS,
  HOSTS,
  resolveEnvironment,
  WELL_KNOWN_CLIENTS,
  type Environment,
} from "./model/index.ts";

export const PROJECT = "s2s-auth";

export { ENVIRONMENTS, type Environment };

/** The role a callee gets when its config declares none. */
export const DEFAULT_APP_ROLE = "Invoke";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A user principal name as Entra ID accepts one (Microsoft Learn, "Password policies and account
// restrictions in Microsoft Entra ID", Username policies): A-Z, a-z, 0-9 and ' . - _ ! # ^ ~, one
// "@" between name and domain, no "." right before it, at most 64 characters before it and 48
// after (113 in all); and, as before, a dotted domain.
const UPN = /^[A-Za-z0-9'._!#^~-]{1,64}(?<!\.)@(?=[A-Za-z0-9'._!#^~-]{1,48}$)[^@]+\.[^@.]+$/;
// Text that would change meaning where config strings end up: `::` separates URN parts,
// `${…}` is the plan's placeholder syntax, control characters break a terminal line or a
// Markdown table, and bidirectional controls (U+202A-U+202E, U+2066-U+2069, plus the marks
// U+200E, U+200F, U+061C) make a PR comment show other text than it holds ("Trojan Source",
// CVE-2021-42574).
const UNSAFE_TEXT = /::|\$\{|\}|[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
const SAFE_TEXT_MESSAGE = "must not contain '::', '${', '}', control characters or bidirectional text controls";

// Site names become <name>-<suffix>.azurewebsites.net: lowercase letters, digits and inner
// hyphens; 40 characters leaves room for the suffix Pulumi's auto-naming adds (limit 60).
const SITE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])$/;
// App role values end up in the `roles` claim: no spaces, no leading dot (Graph rejects both).
const ROLE_VALUE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,119}$/;

/**
 * App Service plan SKU names for the stack's one dedicated Linux plan, by tier, as Microsoft
 * Learn lists them ("Azure App Service plan overview", "App Service pricing") and as
 * `az appservice plan create --sku` accepts them. Left out on purpose: Shared (D1, Windows
 * only), the legacy Premium v1 (P1-P3), Isolated (needs an App Service Environment, which this
 * program does not declare) and the Functions-only plans (Y1, EP1-EP3, FC1, WS1-WS3): function
 * apps here run on the dedicated plan (docs/configuration.md, "Hosts").
 */
export const APP_SERVICE_PLAN_SKUS: Readonly<Record<string, string>> = Object.freeze({
  F1: "Free",
  B1: "Basic",
  B2: "Basic",
  B3: "Basic",
  S1: "Standard",
  S2: "Standard",
  S3: "Standard",
  P1v2: "PremiumV2",
  P2v2: "PremiumV2",
  P3v2: "PremiumV2",
  P0v3: "PremiumV3",
  P1v3: "PremiumV3",
  P2v3: "PremiumV3",
  P3v3: "PremiumV3",
  P1mv3: "PremiumMV3",
  P2mv3: "PremiumMV3",
  P3mv3: "PremiumMV3",
  P4mv3: "PremiumMV3",
  P5mv3: "PremiumMV3",
  P0v4: "PremiumV4",
  P1v4: "PremiumV4",
  P2v4: "PremiumV4",
  P3v4: "PremiumV4",
});

const siteName = z
  .string()
  .regex(SITE_NAME, "must be 2-40 lowercase letters, digits or inner hyphens (it becomes an App Service host name)")
  .refine((s) => !s.includes("--"), "must not contain '--'");
const roleValue = z
  .string()
  .regex(ROLE_VALUE, "must be 1-120 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
// Free text that is shown in Entra ID, in the plan and in PR comments.
const safeText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !UNSAFE_TEXT.test(s), SAFE_TEXT_MESSAGE);
const guid = z.string().regex(GUID, "must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");

const appRoleSchema = z.strictObject({
  // Graph keeps app role and scope values unique per application, ignoring case; a role
  // named like the dev scope would clash with it on dev callees.
  value: roleValue.refine(
    (v) => v.toLowerCase() !== DEV_SCOPE.toLowerCase(),
    `"${DEV_SCOPE}" is the developer scope's value; choose another role value`,
  ),
  displayName: safeText(100).optional(),
  description: safeText(1000).optional(),
  /**
   * The role's id on an app registration the stack adopts (`pulumi import`): its assignments name it.
   * Left out, the id is derived from the callee's and the role's names.
   */
  id: guid.optional(),
});

const calleeSchema = z.strictObject({
  name: siteName,
  host: z.enum(HOSTS).default("appService"),
  appRoles: z.array(appRoleSchema).min(1, "must list at least one role (or be left out for the default)").optional(),
  /**
   * An app registration that already exists (made by hand, or by another team), named by its client
   * id: the callee uses it and its service principal instead of creating its own; its roles are the
   * ones `appRoles` names, read from the app.
   */
  existingApplication: z.strictObject({ clientId: guid }).optional(),
});

const callSchema = z.strictObject({
  callee: siteName,
  /** One of the callee's roles; may be left out when the callee has only one. */
  role: roleValue.optional(),
});

const callerSchema = z.strictObject({
  name: siteName,
  /**
   * `external`: an identity that already exists (VM, container instance, AKS workload,
   * user-assigned); only granted.
   */
  host: z.enum([...HOSTS, "external"]).default("appService"),
  /** Object id of an external caller's service principal; only with `host: external`. */
  principalId: guid.optional(),
  calls: z.array(callSchema).min(1, "must list at least one callee"),
});

const clientRef = z
  .string()
  .refine(
    (s) => Object.hasOwn(WELL_KNOWN_CLIENTS, s) || GUID.test(s),
    `must be a client id GUID or one of: ${Object.keys(WELL_KNOWN_CLIENTS).join(", ")}`,
  );
const userRef = z
  .string()
  .refine((s) => !UNSAFE_TEXT.test(s), SAFE_TEXT_MESSAGE)
  .refine(
    (s) => GUID.test(s) || UPN.test(s),
    "must be a user principal name (name@domain: letters, digits and ' . - _ ! # ^ ~, at most 64 characters " +
      "before the @ and 48 after) or an object id GUID",
  );

// GitHub's rules for account names (1-39 letters, digits and single inner hyphens, as its
// sign-up form enforces) and repository names (1-100 letters, digits, '.', '_', '-'; "." and
// ".." are reserved). A leading '-' would read as an option to git and gh.
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const GITHUB_REPO_NAME = /^[A-Za-z0-9._][A-Za-z0-9._-]{0,99}$/;
function isGithubRepository(s: string): boolean {
  const [owner, name, ...rest] = s.split("/");
  return (
    rest.length === 0 &&
    GITHUB_OWNER.test(owner ?? "") &&
    GITHUB_REPO_NAME.test(name ?? "") &&
    !name!.includes("..") &&
    name !== "."
  );
}
/**
 * A ref as `git check-ref-format` accepts it (git-check-ref-format(1)), within the characters
 * this program lets through: no `..`, `//`, `@{`, no component starting with '.' or ending
 * with `.lock`, no trailing '/' or '.'.
 */
export function isGitRef(ref: string): boolean {
  if (!/^refs\/(?:heads|tags)\/[A-Za-z0-9._/@+-]{1,255}$/.test(ref)) return false;
  if (ref.includes("..") || ref.includes("@{") || ref.endsWith(".")) return false;
  return ref.split("/").every((c) => c.length > 0 && !c.startsWith(".") && !c.endsWith(".lock"));
}
// The parts after `repo:<owner>/<repo>:` of a GitHub Actions OIDC subject that this program
// federates: a deployment environment, pull requests, or a branch or tag ref. GitHub
// environment names have no leading or trailing space.
const ENVIRONMENT_SUBJECT = /^environment:[A-Za-z0-9._-](?:[A-Za-z0-9._ -]{0,253}[A-Za-z0-9._-])?$/;
function isCiSubject(s: string): boolean {
  return (
    s === "pull_request" || ENVIRONMENT_SUBJECT.test(s) || (s.startsWith("ref:") && isGitRef(s.slice("ref:".length)))
  );
}
/** Entra ID accepts at most 20 federated identity credentials on one application. */
export const MAX_CI_SUBJECTS = 20;

const ciAccessSchema = z.strictObject({
  /** `owner/name` of the GitHub repository whose workflows may sign in. */
  repository: z.string().refine(isGithubRepository, 'must be a GitHub repository "owner/name"'),
  /** OIDC subjects after `repo:<repository>:`, e.g. `environment:dev`, `pull_request`. */
  subjects: z
    .array(
      z
        .string()
        .refine(
          isCiSubject,
          'must be "pull_request", "environment:<name>", "ref:refs/heads/<branch>" or "ref:refs/tags/<tag>"',
        ),
    )
    .min(1, "must list at least one subject")
    .max(
      MAX_CI_SUBJECTS,
      `at most ${MAX_CI_SUBJECTS} subjects (Entra ID's limit of federated credentials per application)`,
    ),
  calls: z.array(callSchema).min(1, "must list at least one callee"),
});

const devAccessSchema = z.strictObject({
  authorizedClients: z.array(clientRef).optional(),
  users: z.array(userRef).optional(),
  groups: z.array(guid).optional(),
});

// The keys, each checked on its own; the rules that span several keys follow.
const stackConfigFields = z.strictObject({
  environment: z.enum(ENVIRONMENTS),
  appServicePlanSku: z
    .string()
    .refine(
      (s) => skuName(s) !== undefined,
      `must be an App Service plan SKU name: ${Object.keys(APP_SERVICE_PLAN_SKUS).join(", ")}`,
    )
    .default("B1"),
  callees: z.array(calleeSchema).min(1, "must declare at least one callee"),
  callers: z.array(callerSchema).default([]),
  devAccess: devAccessSchema.optional(),
  ciAccess: ciAccessSchema.optional(),
  /**
   * Object ids (users or service principals) that own every app registration and service
   * principal the stack creates, besides the identity that creates them. Applied at creation
   * only (components/appRegistration.ts).
   */
  owners: z.array(guid).default([]),
});

type RawStackConfig = z.output<typeof stackConfigFields>;

/** A problem that a rule spanning several keys finds: where (a key path below `s2s-auth:`) and what. */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

/** Every repeat of a value (not its first occurrence), with its index; `undefined` is no value. */
function repeats(values: readonly (string | undefined)[]): { index: number; value: string }[] {
  const seen = new Set<string>();
  const found: { index: number; value: string }[] = [];
  values.forEach((value, index) => {
    if (value === undefined) return;
    if (seen.has(value)) found.push({ index, value });
    else seen.add(value);
  });
  return found;
}

/**
 * Callee names are unique: each names a site and an app registration.
 *
 * Internal. Exported for testing.
 */
export function uniqueCalleeNames({ callees }: Pick<RawStackConfig, "callees">): ConfigIssue[] {
  return repeats(callees.map((c) => c.name)).map(({ index, value }) => ({
    path: ["callees", index, "name"],
    message: `duplicate callee name "${value}"`,
  }));
}

/**
 * No two callees name one existing app registration: each callee's EasyAuth and grants are its app's.
 * Client ids compare ignoring case.
 *
 * Internal. Exported for testing.
 */
export function uniqueExistingApplications({ callees }: Pick<RawStackConfig, "callees">): ConfigIssue[] {
  return repeats(callees.map((c) => c.existingApplication?.clientId.toLowerCase())).map(({ index, value }) => ({
    path: ["callees", index, "existingApplication", "clientId"],
    message: `app registration ${value} is already used by another callee`,
  }));
}

/**
 * A callee on an existing app registration names its roles by value only: their display names and
 * descriptions are the app's, which the stack reads and never changes.
 *
 * Internal. Exported for testing.
 */
export function existingApplicationRoles({ callees }: Pick<RawStackConfig, "callees">): ConfigIssue[] {
  return callees.flatMap((c, i) =>
    c.existingApplication === undefined
      ? []
      : (c.appRoles ?? []).flatMap((role, j) =>
          (["displayName", "description", "id"] as const)
            .filter((key) => role[key] !== undefined)
            .map((key) => ({
              path: ["callees", i, "appRoles", j, key],
              message: "with existingApplication, a role is named by its value only: the app's own is kept",
            })),
        ),
  );
}

/**
 * Caller names are unique.
 *
 * Internal. Exported for testing.
 */
export function uniqueCallerNames({ callers }: Pick<RawStackConfig, "callers">): ConfigIssue[] {
  return repeats(callers.map((c) => c.name)).map(({ index, value }) => ({
    path: ["callers", index, "name"],
    message: `duplicate caller name "${value}"`,
  }));
}

/**
 * No two external callers name one identity: it would be one principal granted under two names.
 * Object ids compare ignoring case.
 *
 * Internal. Exported for testing.
 */
export function uniqueExternalPrincipals({ callers }: Pick<RawStackConfig, "callers">): ConfigIssue[] {
  return repeats(callers.map((c) => c.principalId?.toLowerCase())).map(({ index, value }) => ({
    path: ["callers", index, "principalId"],
    message: `principal ${value} is already declared by another external caller`,
  }));
}

/**
 * An external caller names its identity's service principal (`principalId`); a hosted caller
 * does not, since the program creates its identity.
 *
 * Internal. Exported for testing.
 */
export function externalPrincipalIds({ callers }: Pick<RawStackConfig, "callers">): ConfigIssue[] {
  return callers.flatMap((c, i): ConfigIssue[] => {
    if (c.host === "external" && c.principalId === undefined) {
      return [
        {
          path: ["callers", i, "principalId"],
          message: "required with host external: the object id of the identity's service principal",
        },
      ];
    }
    if (c.host !== "external" && c.principalId !== undefined) {
      return [
        {
          path: ["callers", i, "principalId"],
          message: "only for host external: a hosted caller's identity is created by the program",
        },
      ];
    }
    return [];
  });
}

/**
 * A name in both lists is one service that is called and calls others, so it has one host.
 *
 * Internal. Exported for testing.
 */
export function oneHostPerService({ callees, callers }: Pick<RawStackConfig, "callees" | "callers">): ConfigIssue[] {
  const calleeHost = new Map(callees.map((c) => [c.name, c.host]));
  return callers.flatMap((c, i) => {
    const asCallee = calleeHost.get(c.name);
    return asCallee !== undefined && asCallee !== c.host
      ? [
          {
            path: ["callers", i, "host"],
            message: `"${c.name}" is also a callee hosted on ${asCallee}; one service has one host`,
          },
        ]
      : [];
  });
}

/**
 * Distinct service names derive distinct container app names unless two long ones share a hash
 * prefix (model/azureNames.ts); that is refused rather than let one app overwrite the other.
 *
 * Internal. Exported for testing.
 */
export function distinctContainerAppNames({
  callees,
  callers,
}: Pick<RawStackConfig, "callees" | "callers">): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const containerApps = new Map<string, string>();
  const check = (name: string, host: string, path: (string | number)[]) => {
    if (host !== "containerApp") return;
    const derived = containerAppName(name);
    const other = containerApps.get(derived);
    if (other !== undefined && other !== name)
      issues.push({ path, message: `"${name}" and "${other}" would both be container app "${derived}"; rename one` });
    containerApps.set(derived, name);
  };
  callees.forEach((c, i) => check(c.name, c.host, ["callees", i, "name"]));
  callers.forEach((c, i) => check(c.name, c.host, ["callers", i, "name"]));
  return issues;
}

/**
 * No call path returns to where it started: a callee's site needs the addresses of the callees it
 * calls, so they are declared first. Reports the first cycle found, at the caller it starts from.
 *
 * Internal. Exported for testing.
 */
export function noCallCycle({ callees, callers }: Pick<RawStackConfig, "callees" | "callers">): ConfigIssue[] {
  const cycle = findCallCycle(callers, new Set(callees.map((c) => c.name)));
  return cycle
    ? [
        {
          path: ["callers", cycle.index, "calls"],
          message: `call cycle ${cycle.path.join(" → ")}: a callee's site needs its callees' addresses first`,
        },
      ]
    : [];
}

/**
 * A callee's role values are unique, and so are the ids config gives them (ignoring case).
 *
 * Internal. Exported for testing.
 */
export function uniqueRoleValues({ callees }: Pick<RawStackConfig, "callees">): ConfigIssue[] {
  return callees.flatMap((c, i) => [
    ...repeats((c.appRoles ?? []).map((r) => r.value)).map(({ index, value }) => ({
      path: ["callees", i, "appRoles", index, "value"],
      message: `duplicate role "${value}"`,
    })),
    ...repeats((c.appRoles ?? []).map((r) => r.id?.toLowerCase())).map(({ index, value }) => ({
      path: ["callees", i, "appRoles", index, "id"],
      message: `duplicate role id ${value}`,
    })),
  ]);
}

type Call = { callee: string; role?: string | undefined };

/**
 * One list of calls (a caller's, or the integration-test principal's), at `at`: each callee once,
 * each a declared callee, and its role one of that callee's roles, required when it has several.
 */
function callIssues(
  calls: readonly Call[],
  at: (string | number)[],
  callees: RawStackConfig["callees"],
): ConfigIssue[] {
  const calleeNames = [...new Set(callees.map((c) => c.name))];
  const rolesByCallee = new Map(
    callees.map((c) => {
      const roles = (c.appRoles ?? []).map((r) => r.value);
      return [c.name, roles.length > 0 ? roles : [DEFAULT_APP_ROLE]];
    }),
  );
  const twice = repeats(calls.map((c) => c.callee)).map(({ index, value }) => ({
    path: [...at, index, "callee"],
    message: `"${value}" is listed twice`,
  }));
  return [
    ...twice,
    ...calls.flatMap((call, j): ConfigIssue[] => {
      const roles = rolesByCallee.get(call.callee);
      if (!roles) {
        return [
          {
            path: [...at, j, "callee"],
            message: `unknown callee "${call.callee}" (declared: ${calleeNames.join(", ")})`,
          },
        ];
      }
      if (call.role === undefined && roles.length > 1) {
        return [
          { path: [...at, j, "role"], message: `required: "${call.callee}" has several roles (${roles.join(", ")})` },
        ];
      }
      if (call.role !== undefined && !roles.includes(call.role)) {
        return [
          {
            path: [...at, j, "role"],
            message: `unknown role "${call.role}" of "${call.callee}" (roles: ${roles.join(", ")})`,
          },
        ];
      }
      return [];
    }),
  ];
}

/**
 * Each caller calls each callee once, only declared callees, with one of the callee's roles (which
 * it must name when the callee has several).
 *
 * Internal. Exported for testing.
 */
export function callerCalls({ callees, callers }: Pick<RawStackConfig, "callees" | "callers">): ConfigIssue[] {
  return callers.flatMap((caller, i) => callIssues(caller.calls, ["callers", i, "calls"], callees));
}

/**
 * Developer access only in dev stacks.
 *
 * Internal. Exported for testing.
 */
export function devAccessOnlyInDev({
  environment,
  devAccess,
}: Pick<RawStackConfig, "environment" | "devAccess">): ConfigIssue[] {
  return devAccess !== undefined && environment !== "dev"
    ? [
        {
          path: ["devAccess"],
          message: `developer access is allowed only when environment is "dev" (this stack is "${environment}")`,
        },
      ]
    : [];
}

/**
 * No integration-test principal in prod: prod is reached only by its callers' managed identities.
 *
 * Internal. Exported for testing.
 */
export function ciAccessNotInProd({
  environment,
  ciAccess,
}: Pick<RawStackConfig, "environment" | "ciAccess">): ConfigIssue[] {
  return ciAccess !== undefined && environment === "prod"
    ? [
        {
          path: ["ciAccess"],
          message:
            "an integration-test principal is not allowed in prod (only dev and test stacks may declare one; " +
            "prod is reached only by its callers' managed identities)",
        },
      ]
    : [];
}

/**
 * The integration-test principal's subjects are unique (each is one federated credential).
 *
 * Internal. Exported for testing.
 */
export function uniqueCiSubjects({ ciAccess }: Pick<RawStackConfig, "ciAccess">): ConfigIssue[] {
  return repeats(ciAccess?.subjects ?? []).map(({ index, value }) => ({
    path: ["ciAccess", "subjects", index],
    message: `duplicate subject "${value}"`,
  }));
}

/**
 * The integration-test principal's calls follow the callers' rules ({@link callerCalls}).
 *
 * Internal. Exported for testing.
 */
export function ciCalls({ callees, ciAccess }: Pick<RawStackConfig, "callees" | "ciAccess">): ConfigIssue[] {
  return ciAccess ? callIssues(ciAccess.calls, ["ciAccess", "calls"], callees) : [];
}

/**
 * Owners are unique, ignoring case.
 *
 * Internal. Exported for testing.
 */
export function uniqueOwners({ owners }: Pick<RawStackConfig, "owners">): ConfigIssue[] {
  return repeats(owners.map((o) => o.toLowerCase())).map(({ index, value }) => ({
    path: ["owners", index],
    message: `duplicate owner ${value}`,
  }));
}

/**
 * Developer access lists each client, user and group once: clients by client id (a well-known
 * name and its GUID are one client), users and groups ignoring case.
 *
 * Internal. Exported for testing.
 */
export function uniqueDeveloperPrincipals({ devAccess }: Pick<RawStackConfig, "devAccess">): ConfigIssue[] {
  const listed = (key: "authorizedClients" | "users" | "groups", ids: string[], what: string) =>
    repeats(ids).map(({ index, value }) => ({
      path: ["devAccess", key, index],
      message: `duplicate ${what} ${value}`,
    }));
  return [
    ...listed("authorizedClients", (devAccess?.authorizedClients ?? []).map(resolveClientId), "client"),
    ...listed(
      "users",
      (devAccess?.users ?? []).map((u) => u.toLowerCase()),
      "user",
    ),
    ...listed(
      "groups",
      (devAccess?.groups ?? []).map((g) => g.toLowerCase()),
      "group",
    ),
  ];
}

/**
 * The rules that span several keys, in the order their problems are reported: an error names the
 * first problem found (and counts the others).
 */
const CROSS_KEY_RULES: readonly ((cfg: RawStackConfig) => ConfigIssue[])[] = [
  uniqueCalleeNames,
  uniqueExistingApplications,
  existingApplicationRoles,
  uniqueCallerNames,
  uniqueExternalPrincipals,
  externalPrincipalIds,
  oneHostPerService,
  distinctContainerAppNames,
  noCallCycle,
  uniqueRoleValues,
  callerCalls,
  devAccessOnlyInDev,
  ciAccessNotInProd,
  uniqueCiSubjects,
  ciCalls,
  uniqueOwners,
  uniqueDeveloperPrincipals,
];

/** What `Pulumi.<stack>.yaml` may hold under the `s2s-auth:` namespace. */
export const stackConfigSchema = stackConfigFields.superRefine((cfg, ctx) => {
  for (const rule of CROSS_KEY_RULES) {
    for (const { path, message } of rule(cfg)) ctx.addIssue({ code: "custom", path, message });
  }
});

/** A call path that returns to where it started, through services that are also callees. */
function findCallCycle(
  callers: { name: string; calls: { callee: string }[] }[],
  calleeNames: Set<string>,
): { index: number; path: string[] } | undefined {
  const edges = new Map(
    callers.map((c) => [c.name, c.calls.map((call) => call.callee).filter((n) => calleeNames.has(n))]),
  );
  const cleared = new Set<string>(); // explored: no cycle through it
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (cleared.has(node)) return undefined;
    for (const next of edges.get(node) ?? []) {
      const found = visit(next, [...path, node]);
      if (found) return found;
    }
    cleared.add(node);
    return undefined;
  };
  for (const [index, caller] of callers.entries()) {
    if (!calleeNames.has(caller.name)) continue;
    const path = visit(caller.name, []);
    if (path) return { index, path };
  }
  return undefined;
}

/** The SKU's canonical spelling (ARM compares SKU names ignoring case), or undefined. */
function skuName(sku: string): string | undefined {
  return Object.keys(APP_SERVICE_PLAN_SKUS).find((k) => k.toLowerCase() === sku.toLowerCase());
}

function resolveClientId(ref: string): string {
  return (Object.hasOwn(WELL_KNOWN_CLIENTS, ref) ? WELL_KNOWN_CLIENTS[ref]! : ref).toLowerCase();
}

/**
 * The config types are the schema's output (zod's `z.output`), with the fields that
 * {@link normalize} fills in or reshapes (`Filled`) in place of the schema's.
 */
type Normalized<T, Filled> = Omit<T, keyof Filled> & Filled;

/** A callee: its site and the app roles its callers are granted. */
export type CalleeConfig = Normalized<
  z.output<typeof calleeSchema>,
  {
    /**
     * Never empty: a callee without roles in config gets {@link DEFAULT_APP_ROLE}; a role without
     * a display name or description gets its value and "Call <callee> as <role>.".
     */
    appRoles: AppRole[];
    /** Set when the callee uses an app registration that exists; its client id lowercase. */
    existingApplication: { clientId: string } | undefined;
  }
>;

/** A call to a callee, by a caller or the integration-test principal. */
export type CallConfig = Normalized<
  z.output<typeof callSchema>,
  {
    /** Always set: defaults to the callee's only role. */
    role: string;
  }
>;

/** A calling service, hosted by the program or an existing (external) identity. */
export type CallerConfig = Normalized<
  z.output<typeof callerSchema>,
  {
    /** Set only for external callers; lowercase. */
    principalId: string | undefined;
    calls: CallConfig[];
  }
>;

/**
 * The integration-test principal: an app registration that a GitHub Actions workflow of
 * `repository` signs in as through OIDC federation (no secret), granted roles on callees.
 */
export type CiAccessConfig = Normalized<z.output<typeof ciAccessSchema>, { calls: CallConfig[] }>;

/** The validated, normalized configuration of one stack. */
export type StackConfig = Normalized<
  RawStackConfig,
  {
    stack: string;
    /** From `azure-native:location`. */
    location: string;
    /** The SKU's canonical spelling (config may write it in any case). */
    appServicePlanSku: string;
    callees: CalleeConfig[];
    callers: CallerConfig[];
    /** Present only in dev stacks that declare `devAccess`; well-known client names resolved, users split by form. */
    devAccess: DeveloperAccess | undefined;
    /** Present only in dev and test stacks that declare `ciAccess`. */
    ciAccess: CiAccessConfig | undefined;
    /** Lowercase, sorted. */
    owners: string[];
  }
>;

/** A config value Pulumi passes as a string; structured values arrive as JSON text. */
export function decode(value: string): unknown {
  const trimmed = value.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

/** Renders a zod issue path the way it is written in Pulumi config: `s2s-auth:callers[0].calls[1].callee`. */
export function formatKeyPath(path: ReadonlyArray<PropertyKey>): string {
  let key = PROJECT;
  path.forEach((part, i) => {
    if (typeof part === "number") key += `[${part}]`;
    else key += i === 0 ? `:${String(part)}` : `.${String(part)}`;
  });
  return key;
}

/** Escapes line breaks and other control characters a key or value may carry, so an error stays one line. */
function oneLine(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A config error: Pulumi prints a RunError as one line, without a stack trace. */
export class ConfigError extends pulumi.RunError {
  readonly key: string;
  constructor(stack: string, key: string, problem: string) {
    super(oneLine(`Invalid configuration for stack "${stack}": ${key}: ${problem}`));
    this.key = key;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown key(s): ${issue.keys.join(", ")}`;
  if ((issue.code === "invalid_type" || issue.code === "invalid_value") && issue.input === undefined) return "required";
  if (issue.code === "invalid_type") return `must be ${article(issue.expected)}, not ${describe(issue.input)}`;
  if (issue.code === "invalid_value" && "values" in issue) {
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return issue.message;
}

/**
 * Validates raw config (keys without the `s2s-auth:` prefix, values already decoded) and
 * normalizes it. Throws {@link ConfigError} naming the first offending key.
 */
export function parseStackConfig(
  stack: string,
  raw: Record<string, unknown>,
  location: string | undefined,
): StackConfig {
  // On top, before anything else: such a key once set the prototype of the raw config. Deeper
  // down every object is strict, so validation reports one as an unknown key of its parent.
  const reserved = Object.keys(raw).find((k) => RESERVED_KEYS.has(k));
  if (reserved !== undefined) {
    throw new ConfigError(
      stack,
      formatKeyPath([reserved]),
      "unknown key (reserved name: __proto__, constructor and prototype are never config keys)",
    );
  }
  const result = stackConfigSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    let path = issue.path;
    let message = issueMessage(issue);
    // An unknown top-level key is reported at that key, like every other problem.
    if (issue.code === "unrecognized_keys" && path.length === 0 && issue.keys.length > 0) {
      path = [issue.keys[0]!];
      message = "unknown key";
    }
    const more = result.error.issues.length - 1;
    throw new ConfigError(
      stack,
      formatKeyPath(path),
      more > 0 ? `${message} (and ${more} more problem${more > 1 ? "s" : ""})` : message,
    );
  }
  if (!location) {
    throw new ConfigError(
      stack,
      "azure-native:location",
      "required (e.g. `pulumi config set azure-native:location westeurope`)",
    );
  }
  // Region names ("westeurope", or ARM's display form "West Europe"): letters, digits, spaces.
  if (!/^[A-Za-z0-9][A-Za-z0-9 ]{0,63}$/.test(location)) {
    throw new ConfigError(stack, "azure-native:location", "must be an Azure region name such as westeurope");
  }
  return normalize(stack, result.data, location);
}

// Keys that, assigned to a plain object, change its prototype or shadow what code reads from
// it: `s2s-auth:__proto__: {environment: prod}` once made the program run as prod.
const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

function normalize(stack: string, cfg: RawStackConfig, location: string): StackConfig {
  const callees: CalleeConfig[] = cfg.callees.map((c) => ({
    name: c.name,
    host: c.host,
    existingApplication: c.existingApplication && { clientId: c.existingApplication.clientId.toLowerCase() },
    appRoles: (c.appRoles ?? [{ value: DEFAULT_APP_ROLE }]).map((r) => ({
      value: r.value,
      displayName: r.displayName ?? r.value,
      description: r.description ?? `Call ${c.name} as ${r.value}.`,
      ...(r.id === undefined ? {} : { id: r.id.toLowerCase() }),
    })),
  }));
  const rolesOf = new Map(callees.map((c) => [c.name, c.appRoles]));
  const withRoles = (calls: { callee: string; role?: string | undefined }[]): CallConfig[] =>
    calls.map((call) => ({ callee: call.callee, role: call.role ?? rolesOf.get(call.callee)![0]!.value }));
  const callers: CallerConfig[] = cfg.callers.map((c) => ({
    name: c.name,
    host: c.host,
    principalId: c.principalId?.toLowerCase(),
    calls: withRoles(c.calls),
  }));
  const ci = cfg.ciAccess;
  const dev = cfg.devAccess;
  const users = dev?.users ?? [];
  return {
    stack,
    // The schema accepted it already; the one resolver keeps plan, pack and program in step.
    environment: resolveEnvironment(cfg.environment, stack),
    location,
    appServicePlanSku: skuName(cfg.appServicePlanSku)!,
    callees,
    callers,
    devAccess: dev && {
      authorizedClients: (dev.authorizedClients ?? []).map(resolveClientId),
      userPrincipalNames: users.filter((u) => !GUID.test(u)),
      userObjectIds: users.filter((u) => GUID.test(u)).map((u) => u.toLowerCase()),
      groupObjectIds: (dev.groups ?? []).map((g) => g.toLowerCase()),
    },
    ciAccess: ci && { repository: ci.repository, subjects: [...ci.subjects], calls: withRoles(ci.calls) },
    owners: cfg.owners.map((o) => o.toLowerCase()).sort(),
  };
}

/** Reads and validates this stack's configuration from the Pulumi runtime. */
export function loadConfig(): StackConfig {
  const prefix = `${PROJECT}:`;
  // No prototype: a key named __proto__ is then an ordinary key that validation refuses.
  const raw: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = decode(value);
  }
  return parseStackConfig(pulumi.getStack(), raw, new pulumi.Config("azure-native").get("location"));
}
