// Every rule passes on the repository's dev and prod stacks and fails on a copy of them with one
// property broken. The stacks come from running the real index.ts under mocks.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NOT_YET_KNOWN, type Finding, type PlannedResource, type RuleContext } from "../../policy/model.ts";
import { evaluate, ruleFunctions, rules, runRule } from "../../policy/rules/index.ts";
import { indexStack } from "../../policy/stack.ts";
import { stableGuid } from "../../components/stableId.ts";
import { parse } from "yaml";
import { baseConfig } from "../harness.ts";
import { Mutable, plannedResources, setIn, stackConfig } from "./stacks.ts";
import { AZURE_ROLES, GRAPH_PERMISSIONS } from "../../bootstrap/roles.ts";

/** The repository's dev and prod stacks, and the mixed-hosts example (a test stack). */
type StackName = "dev" | "prod" | "mixed";
const stacks: Record<StackName, PlannedResource[]> = { dev: [], prod: [], mixed: [] };
const environmentOf: Record<StackName, RuleContext["environment"]> = { dev: "dev", prod: "prod", mixed: "test" };
const ctxOf = (environment: RuleContext["environment"]): RuleContext => ({ environment });

// The shipped dev stack federates to no repository; the rules about the CI principal need one.
const CI_ACCESS = {
  repository: "my-org/s2s-auth",
  subjects: ["environment:dev", "pull_request"],
  calls: [{ callee: "the-callee" }],
};

beforeAll(async () => {
  stacks.dev = await plannedResources("dev", { ...stackConfig("dev"), "s2s-auth:ciAccess": CI_ACCESS });
  stacks.prod = await plannedResources("prod");
  const mixed = parse(readFileSync(join(__dirname, "..", "..", "examples", "Pulumi.mixed.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  stacks.mixed = await plannedResources("test", mixed.config);
});

describe("the default stacks", () => {
  test("dev declares developer access and prod protects everything (what the environment rules look at)", () => {
    expect(stacks.dev.some((r) => r.type === "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized")).toBe(
      true,
    );
    expect(stacks.prod.every((r) => r.protect)).toBe(true);
  });

  test("the mixed example has every host, an external caller and a callee that calls on", () => {
    const types = new Set(stacks.mixed.map((r) => r.type));
    for (const t of [
      "azure-native:app:ContainerApp",
      "azure-native:app:ContainerAppsAuthConfig",
      "azure-native:web:WebAppAuthSettingsV2",
      "s2s-auth:app:ExternalCaller",
    ]) {
      expect(types).toContain(t);
    }
    expect(
      stacks.mixed.some((r) => r.type === "azure-native:web:WebApp" && r.inputs["kind"] === "functionapp,linux"),
    ).toBe(true);
  });

  test("a caller's own service principal (the CI principal) is not an API's and need not require assignment", () => {
    const ci = stacks.dev.find((r) => r.name === "ci-principal-sp")!;
    expect(ci.inputs["appRoleAssignmentRequired"]).toBeUndefined();
    expect(
      indexStack(stacks.dev)
        .apiServicePrincipals()
        .map((sp) => sp.name),
    ).toEqual(["the-callee-sp"]);
  });

  test.each(["dev", "prod", "mixed"] as const)("%s has no findings", (stack) => {
    expect(evaluate(stacks[stack], ctxOf(environmentOf[stack]))).toEqual([]);
  });

  test.each(rules.flatMap((rule) => (["dev", "prod", "mixed"] as const).map((stack) => [rule.id, stack] as const)))(
    "%s passes on %s",
    (id, stack) => {
      const rule = rules.find((r) => r.id === id)!;
      expect(runRule(rule, indexStack(stacks[stack]), ctxOf(environmentOf[stack]))).toEqual([]);
    },
  );
});

interface Breakage {
  rule: string;
  what: string;
  stack: StackName;
  /** The environment the broken copy is evaluated in; defaults to the stack's. */
  environment?: RuleContext["environment"];
  /** Other rules that legitimately fire on the same breakage. */
  also?: string[];
  /** Breaks one thing; returns the name of the resource the finding must point at. */
  mutate(m: Mutable): string;
}

const siteBreaks = (rule: string, what: string, path: (string | number)[], value: unknown): Breakage[] =>
  (["the-callee-site", "the-caller-site"] as const).map((site) => ({
    rule,
    what: `${what} on ${site}`,
    stack: site === "the-callee-site" ? "prod" : "dev",
    mutate: (m) => (setIn(m.named(site).inputs, path, value), site),
  }));

const set = (name: string, path: (string | number)[], value: unknown) => (m: Mutable) => (
  setIn(m.named(name).inputs, path, value),
  name
);

const breakages: Breakage[] = [
  {
    rule: "identity-writer-not-pr-trusted",
    what: "the CI principal, which pull requests may sign in as, given a Graph write permission",
    stack: "dev",
    mutate: (m) => {
      m.declare("ci-principal-app", "ci-principal-graph", "azuread:index/appRoleAssignment:AppRoleAssignment", {
        principalObjectId: "00000000-0000-0000-0000-0000000000ab",
        resourceObjectId: "00000000-0000-0000-0000-0000000000ac",
        appRoleId: GRAPH_PERMISSIONS.appRoleAssignmentReadWriteAll.id,
      });
      return "ci-principal-fic-pull_request";
    },
  },
  {
    rule: "identity-prod-writer-prod-only",
    what: "the CI principal given Contributor and trusted by environment:prod besides pull requests",
    stack: "dev",
    also: ["identity-writer-not-pr-trusted"],
    mutate: (m) => {
      m.declare("ci-principal-app", "ci-principal-contributor", "azure-native:authorization:RoleAssignment", {
        principalId: "00000000-0000-0000-0000-0000000000ab",
        roleDefinitionId: `/subscriptions/00000000-0000-0000-0000-0000000000cc/providers/Microsoft.Authorization/roleDefinitions/${AZURE_ROLES.contributor.id}`,
        scope: "/subscriptions/00000000-0000-0000-0000-0000000000cc",
      });
      setIn(m.named("ci-principal-fic-environment:dev").inputs, ["subject"], "repo:my-org/s2s-auth:environment:prod");
      return "ci-principal-fic-pull_request";
    },
  },
  {
    rule: "callee-sp-assignment-required",
    what: "appRoleAssignmentRequired false",
    stack: "prod",
    mutate: set("the-callee-sp", ["appRoleAssignmentRequired"], false),
  },
  {
    rule: "callee-sp-assignment-required",
    what: "appRoleAssignmentRequired missing",
    stack: "dev",
    mutate: set("the-callee-sp", ["appRoleAssignmentRequired"], undefined),
  },
  {
    rule: "callee-sp-assignment-required",
    what: "no service principal",
    stack: "prod",
    mutate: (m) => (m.remove("the-callee-sp"), "the-callee"),
  },
  {
    rule: "callee-sp-assignment-required",
    what: "an API outside the components (its app declares roles) without assignment required",
    stack: "prod",
    mutate: (m) => {
      const parent = m.named("s2s-auth").urn;
      m.copy("the-callee-app", "other-api-app", (r) => (r.parent = parent));
      return m.copy("the-callee-sp", "other-api-sp", (r) => {
        r.parent = parent;
        r.inputs["appRoleAssignmentRequired"] = false;
      }).name;
    },
  },
  {
    rule: "callee-sp-hidden",
    what: "hide false",
    stack: "prod",
    mutate: set("the-callee-sp", ["featureTags", 0, "hide"], false),
  },
  {
    rule: "callee-sp-hidden",
    what: "no feature tags",
    stack: "dev",
    mutate: set("the-callee-sp", ["featureTags"], undefined),
  },

  {
    rule: "app-implicit-grant-off",
    what: "access tokens on",
    stack: "prod",
    mutate: set("the-callee-app", ["web", "implicitGrant", "accessTokenIssuanceEnabled"], true),
  },
  {
    rule: "app-implicit-grant-off",
    what: "ID tokens on",
    stack: "dev",
    mutate: set("the-callee-app", ["web", "implicitGrant", "idTokenIssuanceEnabled"], true),
  },
  {
    rule: "app-implicit-grant-off",
    what: "ID tokens left to the default",
    stack: "prod",
    mutate: set("the-callee-app", ["web", "implicitGrant", "idTokenIssuanceEnabled"], undefined),
  },
  {
    rule: "app-identifier-uri",
    what: "no identifier URI",
    stack: "prod",
    mutate: (m) => (m.remove("the-callee-uri"), "the-callee"),
  },
  {
    rule: "app-identifier-uri",
    what: "an https identifier URI",
    stack: "dev",
    // EasyAuth still expects the api:// audience, which no longer names the callee.
    also: ["callee-site-entra-provider"],
    mutate: set("the-callee-uri", ["identifierUri"], "https://contoso.example/api"),
  },
  {
    rule: "app-identifier-uri",
    what: "an https URI on the app",
    stack: "prod",
    mutate: set("the-callee-app", ["identifierUris"], ["https://contoso.example/api"]),
  },
  {
    rule: "no-app-credentials",
    what: "an application password",
    stack: "prod",
    mutate: (m) =>
      m.declare("the-callee-uri", "the-callee-secret", "azuread:index/applicationPassword:ApplicationPassword", {
        applicationId: "the-callee-app-id",
      }),
  },
  {
    rule: "no-app-credentials",
    what: "a service principal certificate",
    stack: "dev",
    mutate: (m) =>
      m.declare(
        "the-callee-sp",
        "the-callee-sp-cert",
        "azuread:index/servicePrincipalCertificate:ServicePrincipalCertificate",
        { servicePrincipalId: "the-callee-sp-id", value: "MIIC..." },
      ),
  },
  {
    rule: "no-app-credentials",
    what: "a password block on the app",
    stack: "prod",
    mutate: set("the-callee-app", ["password"], { displayName: "ci" }),
  },
  {
    rule: "app-roles-allow-applications",
    what: "a user-only role",
    stack: "dev",
    mutate: set("the-callee-app", ["appRoles", 0, "allowedMemberTypes"], ["User"]),
  },

  {
    rule: "callee-site-auth-required",
    what: "EasyAuth off",
    stack: "prod",
    mutate: set("the-callee-auth", ["platform", "enabled"], false),
  },
  {
    rule: "callee-site-auth-required",
    what: "authentication optional",
    stack: "dev",
    mutate: set("the-callee-auth", ["globalValidation", "requireAuthentication"], false),
  },
  {
    rule: "callee-site-auth-required",
    what: "unauthenticated allowed through",
    stack: "prod",
    mutate: set("the-callee-auth", ["globalValidation", "unauthenticatedClientAction"], "AllowAnonymous"),
  },
  {
    rule: "callee-site-auth-required",
    what: "redirect to login instead of 401",
    stack: "dev",
    mutate: set("the-callee-auth", ["globalValidation", "unauthenticatedClientAction"], "RedirectToLoginPage"),
  },
  {
    rule: "callee-site-auth-required",
    what: "no auth settings at all",
    stack: "prod",
    mutate: (m) => (m.remove("the-callee-auth"), "the-callee-site"),
  },
  {
    rule: "callee-site-entra-provider",
    what: "Entra provider disabled",
    stack: "prod",
    mutate: set("the-callee-auth", ["identityProviders", "azureActiveDirectory", "enabled"], false),
  },
  {
    rule: "callee-site-entra-provider",
    what: "another app's client id",
    stack: "dev",
    mutate: set(
      "the-callee-auth",
      ["identityProviders", "azureActiveDirectory", "registration", "clientId"],
      "someone-elses-client-id",
    ),
  },
  {
    rule: "callee-site-entra-provider",
    what: "no client id while the app's is known",
    stack: "prod",
    mutate: set(
      "the-callee-auth",
      ["identityProviders", "azureActiveDirectory", "registration", "clientId"],
      undefined,
    ),
  },
  {
    rule: "callee-site-entra-provider",
    what: "audiences without the identifier URI",
    stack: "prod",
    mutate: set(
      "the-callee-auth",
      ["identityProviders", "azureActiveDirectory", "validation", "allowedAudiences"],
      ["the-callee-app-client-id"],
    ),
  },
  {
    rule: "callee-site-no-client-secret",
    what: "a client secret setting",
    stack: "prod",
    mutate: set(
      "the-callee-auth",
      ["identityProviders", "azureActiveDirectory", "registration", "clientSecretSettingName"],
      "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET",
    ),
  },

  ...siteBreaks("site-https-only", "httpsOnly false", ["httpsOnly"], false),
  ...siteBreaks("site-https-only", "httpsOnly missing", ["httpsOnly"], undefined),
  ...siteBreaks("site-min-tls", "TLS 1.0", ["siteConfig", "minTlsVersion"], "1.0"),
  ...siteBreaks("site-min-tls", "SCM TLS 1.1", ["siteConfig", "scmMinTlsVersion"], "1.1"),
  ...siteBreaks("site-ftps-disabled", "FTPS allowed", ["siteConfig", "ftpsState"], "FtpsOnly"),
  ...siteBreaks("site-remote-debugging-off", "remote debugging on", ["siteConfig", "remoteDebuggingEnabled"], true),
  ...siteBreaks(
    "site-no-wildcard-cors",
    "CORS *",
    ["siteConfig", "cors", "allowedOrigins"],
    ["https://ok.example", "*"],
  ),
  ...siteBreaks("site-system-identity", "no identity", ["identity"], undefined),
  ...siteBreaks("site-system-identity", "user-assigned identity only", ["identity", "type"], "UserAssigned"),
  // Hosts other than App Service web apps (examples/Pulumi.mixed.yaml).
  {
    rule: "site-ftps-disabled",
    what: "FTPS allowed on a function app",
    stack: "mixed",
    mutate: set("ingest-site", ["siteConfig", "ftpsState"], "AllAllowed"),
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "SCM basic auth on a function app",
    stack: "mixed",
    mutate: (m) => (setIn(m.named("ingest-site-scm").inputs, ["allow"], true), "ingest-site"),
  },
  {
    rule: "site-https-only",
    what: "plain HTTP on a container app",
    stack: "mixed",
    mutate: set("orders-container", ["configuration", "ingress", "allowInsecure"], true),
  },
  {
    rule: "site-https-only",
    what: "allowInsecure left to the default",
    stack: "mixed",
    mutate: set("orders-container", ["configuration", "ingress", "allowInsecure"], undefined),
  },
  {
    rule: "site-no-wildcard-cors",
    what: "CORS * on a container app",
    stack: "mixed",
    mutate: set("orders-container", ["configuration", "ingress", "corsPolicy"], { allowedOrigins: ["*"] }),
  },
  {
    rule: "site-system-identity",
    what: "no identity on a container app",
    stack: "mixed",
    mutate: set("orders-container", ["identity"], undefined),
  },
  {
    rule: "callee-site-auth-required",
    what: "Container Apps auth off",
    stack: "mixed",
    mutate: set("orders-auth", ["platform", "enabled"], false),
  },
  {
    rule: "callee-site-auth-required",
    what: "Container Apps auth lets anonymous calls through",
    stack: "mixed",
    mutate: set("orders-auth", ["globalValidation", "unauthenticatedClientAction"], "AllowAnonymous"),
  },
  {
    rule: "callee-site-auth-required",
    what: "a container app callee without auth",
    stack: "mixed",
    mutate: (m) => (m.remove("orders-auth"), "orders-container"),
  },
  {
    rule: "callee-site-entra-provider",
    what: "Container Apps auth with another client id",
    stack: "mixed",
    mutate: set(
      "orders-auth",
      ["identityProviders", "azureActiveDirectory", "registration", "clientId"],
      "ledger-app-client-id",
    ),
  },
  {
    rule: "callee-site-no-client-secret",
    what: "a client secret on Container Apps auth",
    stack: "mixed",
    mutate: set(
      "orders-auth",
      ["identityProviders", "azureActiveDirectory", "registration", "clientSecretSettingName"],
      "microsoft-provider-authentication-secret",
    ),
  },
  {
    rule: "grant-role-exists",
    what: "an external caller granted another callee's role",
    stack: "mixed",
    mutate: set("batch-vm_to_ledger-assignment", ["appRoleId"], stableGuid("orders", "app-role", "Invoke")),
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "FTP basic auth allowed",
    stack: "prod",
    mutate: (m) => (setIn(m.named("the-callee-site-ftp").inputs, ["allow"], true), "the-callee-site"),
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "SCM basic auth allowed",
    stack: "dev",
    mutate: (m) => (setIn(m.named("the-caller-site-scm").inputs, ["allow"], true), "the-caller-site"),
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "no FTP policy",
    stack: "prod",
    mutate: (m) => (m.remove("the-caller-site-ftp"), "the-caller-site"),
  },

  {
    rule: "env-no-preauthorized-clients",
    what: "the dev stack evaluated as test",
    stack: "dev",
    environment: "test",
    also: ["env-no-delegated-scopes", "env-no-user-role-assignments"],
    mutate: () => "the-callee-dev-access-client-azure-cli",
  },
  {
    rule: "env-no-preauthorized-clients",
    what: "a pre-authorized client in prod",
    stack: "prod",
    mutate: (m) =>
      m.declare(
        "the-callee-uri",
        "the-callee-client-azure-cli",
        "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized",
        {
          applicationId: "the-callee-app-id",
          authorizedClientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
          permissionIds: [],
        },
      ),
  },
  {
    rule: "env-no-preauthorized-clients",
    what: "known client applications in prod",
    stack: "prod",
    mutate: set("the-callee-app", ["api", "knownClientApplications"], ["04b07795-8ddb-461a-bbee-02f9e1bf7b46"]),
  },
  {
    rule: "env-no-delegated-scopes",
    what: "a user_impersonation scope in prod",
    stack: "prod",
    mutate: set(
      "the-callee-app",
      ["api", "oauth2PermissionScopes"],
      [{ id: "00000000-0000-0000-0000-000000000001", value: "user_impersonation", type: "User", enabled: true }],
    ),
  },
  {
    rule: "env-no-user-role-assignments",
    what: "a role people can hold in prod",
    stack: "prod",
    mutate: set("the-callee-app", ["appRoles", 0, "allowedMemberTypes"], ["Application", "User"]),
  },
  {
    rule: "prod-resources-protected",
    what: "an unprotected site in prod",
    stack: "prod",
    mutate: (m) => ((m.named("the-callee-site").protect = false), "the-callee-site"),
  },
  {
    rule: "prod-resources-protected",
    what: "an unprotected component in prod",
    stack: "prod",
    mutate: (m) => ((m.named("the-caller").protect = false), "the-caller"),
  },
  {
    rule: "grant-role-exists",
    what: "a grant of an undeclared role",
    stack: "prod",
    mutate: set("the-caller_to_the-callee-assignment", ["appRoleId"], stableGuid("the-callee", "app-role", "Admin")),
  },
  {
    rule: "grant-role-exists",
    what: "a developer grant of an undeclared role",
    stack: "dev",
    mutate: set(
      "the-callee-dev-access-user-developer@contoso.example-assignment",
      ["appRoleId"],
      "00000000-0000-0000-0000-000000000000",
    ),
  },

  // Shapes the program does not declare today but a hand edit or another program could.
  {
    rule: "callee-site-entra-provider",
    what: "no Entra provider at all",
    stack: "prod",
    mutate: set("the-callee-auth", ["identityProviders", "azureActiveDirectory"], undefined),
  },
  {
    rule: "callee-site-entra-provider",
    what: "no audiences while the identifier URI is known",
    stack: "dev",
    mutate: set(
      "the-callee-auth",
      ["identityProviders", "azureActiveDirectory", "validation", "allowedAudiences"],
      undefined,
    ),
  },
  {
    rule: "app-roles-allow-applications",
    what: "a user-only role declared as its own resource",
    stack: "dev",
    mutate: (m) => separateRole(m, "the-callee-role-reader", ["User"]),
  },
  {
    rule: "env-no-user-role-assignments",
    what: "a role people can hold, declared as its own resource, in prod",
    stack: "prod",
    mutate: (m) => separateRole(m, "the-callee-role-reader", ["Application", "User"]),
  },
  {
    rule: "env-no-delegated-scopes",
    what: "a delegated scope declared as its own resource in prod",
    stack: "prod",
    mutate: (m) =>
      m.declare(
        "the-callee-uri",
        "the-callee-scope",
        "azuread:index/applicationPermissionScope:ApplicationPermissionScope",
        {
          applicationId: "the-callee-app-id",
          scopeId: "00000000-0000-0000-0000-000000000002",
          type: "User",
          value: "user_impersonation",
        },
      ),
  },
  {
    rule: "env-no-user-role-assignments",
    what: "a developer's assignment when dev is evaluated as test",
    stack: "dev",
    environment: "test",
    also: ["env-no-delegated-scopes", "env-no-preauthorized-clients"],
    mutate: () => "the-callee-dev-access-user-developer@contoso.example-assignment",
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "no SCM policy",
    stack: "dev",
    mutate: (m) => (m.remove("the-callee-site-scm"), "the-callee-site"),
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "the FTP policy moved away from the site (name not known yet)",
    stack: "prod",
    mutate: (m) => {
      const ftp = m.named("the-caller-site-ftp");
      delete ftp.inputs["name"];
      ftp.parent = m.named("s2s-auth").urn;
      return "the-caller-site";
    },
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "only another site's FTP policy beside the site (name not known yet)",
    stack: "prod",
    mutate: (m) => {
      const ftp = m.named("the-caller-site-ftp");
      delete ftp.inputs["name"];
      ftp.name = "the-caller-other-site-ftp";
      return "the-caller-site";
    },
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "a named site whose FTP policy names another site",
    stack: "prod",
    mutate: (m) => {
      m.named("the-caller-site").inputs["name"] = "caller-web";
      m.named("the-caller-site-ftp").inputs["name"] = "other-web";
      m.named("the-caller-site-scm").inputs["name"] = "caller-web";
      return "the-caller-site";
    },
  },
  {
    rule: "app-implicit-grant-off",
    what: "ID tokens on an ApplicationRegistration",
    stack: "prod",
    mutate: (m) =>
      asRegistration(m, { implicitAccessTokenIssuanceEnabled: false, implicitIdTokenIssuanceEnabled: true }),
  },
  {
    rule: "app-implicit-grant-off",
    what: "access tokens left to the default on an ApplicationRegistration",
    stack: "prod",
    mutate: (m) => asRegistration(m, { implicitIdTokenIssuanceEnabled: false }),
  },
  {
    rule: "grant-role-exists",
    what: "a grant of a role an ApplicationRegistration does not declare",
    stack: "prod",
    mutate: (m) => {
      asRegistration(m);
      setIn(
        m.named("the-caller_to_the-callee-assignment").inputs,
        ["appRoleId"],
        stableGuid("the-callee", "app-role", "Admin"),
      );
      return "the-caller_to_the-callee-assignment";
    },
  },
  {
    rule: "grant-role-exists",
    what: "a grant of a role declared as its own resource for another app",
    stack: "prod",
    mutate: (m) => {
      const roleId = stableGuid("the-callee", "app-role", "Reader");
      const role = m.named(separateRole(m, "the-callee-role-reader", ["Application"], roleId));
      role.parent = undefined;
      role.inputs["applicationId"] = "another-app-id";
      setIn(m.named("the-caller_to_the-callee-assignment").inputs, ["appRoleId"], roleId);
      return "the-caller_to_the-callee-assignment";
    },
  },
  {
    rule: "grant-role-exists",
    what: "a grant when the app declares no roles",
    stack: "prod",
    mutate: (m) => (setIn(m.named("the-callee-app").inputs, ["appRoles"], []), "the-caller_to_the-callee-assignment"),
  },
];

/**
 * Registers the callee with the granular resources instead: an ApplicationRegistration, with its
 * one role declared as an ApplicationAppRole (the shape that avoids pulumi-azuread#1036).
 */
function asRegistration(
  m: Mutable,
  implicitGrant: Record<string, unknown> = {
    implicitAccessTokenIssuanceEnabled: false,
    implicitIdTokenIssuanceEnabled: false,
  },
): string {
  const app = m.named("the-callee-app");
  const roles = app.inputs["appRoles"] as { id: string; value: string }[];
  app.type = "azuread:index/applicationRegistration:ApplicationRegistration";
  app.urn = app.urn.replace("azuread:index/application:Application", app.type);
  app.inputs = { displayName: "the-callee", ...implicitGrant };
  separateRole(m, "the-callee-role-invoke", ["Application"], roles[0]!.id, roles[0]!.value);
  return app.name;
}

/** Adds an app role declared as its own resource (ApplicationAppRole) under the callee. */
function separateRole(
  m: Mutable,
  name: string,
  allowedMemberTypes: string[],
  roleId = stableGuid("the-callee", "app-role", "Reader"),
  value = "Reader",
): string {
  return m.declare("the-callee-uri", name, "azuread:index/applicationAppRole:ApplicationAppRole", {
    applicationId: "the-callee-app-id",
    roleId,
    allowedMemberTypes,
    value,
    displayName: value,
    description: `${value} the API`,
  });
}

describe("each rule fails on a stack that breaks it", () => {
  test.each(breakages.map((b) => [b.rule, b.what, b] as const))("%s: %s", (rule, _what, b) => {
    const m = new Mutable(stacks[b.stack]);
    const culprit = m.named(b.mutate(m));
    const findings = evaluate(m.resources, ctxOf(b.environment ?? environmentOf[b.stack]));
    // The rule under test fires at the broken resource, and nothing else does unless expected.
    expect(findings.filter((f) => f.policy === rule).map((f) => f.urn)).toContain(culprit.urn);
    expect([...new Set(findings.map((f) => f.policy))].sort()).toEqual([rule, ...(b.also ?? [])].sort());
    for (const f of findings) {
      expect(f.severity).toBe("error");
      expect(f.message).toMatch(/Fix: /);
    }
    // What a reviewer reads in a failed preview: the snapshot is the wording of every finding.
    expect(findings.map((f) => `${f.policy} at ${f.urn.split("::").pop()}: ${f.message}`)).toMatchSnapshot();
  });

  test("fix advice names only files that exist", () => {
    const messages = breakages.flatMap((b) => {
      const m = new Mutable(stacks[b.stack]);
      b.mutate(m);
      return evaluate(m.resources, ctxOf(b.environment ?? environmentOf[b.stack])).map((f) => f.message);
    });
    const files = [...new Set(messages.flatMap((msg) => msg.match(/\b(?:components|policy)\/[\w/.-]+\.ts\b/g) ?? []))];
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !existsSync(join(__dirname, "..", "..", f)))).toEqual([]);
  });

  test("every rule has at least one breaking case", () => {
    const covered = new Set(breakages.map((b) => b.rule));
    expect(rules.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test("the dev stack evaluated as test breaks exactly the developer-access rules", () => {
    const policies = new Set(evaluate(stacks.dev, ctxOf("test")).map((f) => f.policy));
    expect([...policies].sort()).toEqual([
      "env-no-delegated-scopes",
      "env-no-preauthorized-clients",
      "env-no-user-role-assignments",
    ]);
  });
});

/** A change a rule must accept: the stack still has no findings. */
interface Acceptable {
  what: string;
  stack: StackName;
  mutate(m: Mutable): void;
}

const acceptable: Acceptable[] = [
  {
    what: "a service principal hidden by the HideApp tag alone",
    stack: "prod",
    mutate: (m) => {
      setIn(m.named("the-callee-sp").inputs, ["featureTags"], undefined);
      setIn(m.named("the-callee-sp").inputs, ["tags"], ["HideApp"]);
    },
  },
  {
    what: "an api:// identifier URI listed on the app as well",
    stack: "prod",
    mutate: (m) => setIn(m.named("the-callee-app").inputs, ["identifierUris"], ["api://the-callee-app-client-id"]),
  },
  {
    what: "the identifier URI only on the app, not as its own resource",
    stack: "prod",
    mutate: (m) => {
      m.remove("the-callee-uri");
      setIn(m.named("the-callee-app").inputs, ["identifierUris"], ["api://the-callee-app-client-id"]);
    },
  },
  {
    what: "a callee registered as an ApplicationRegistration, its role declared on its own",
    stack: "prod",
    mutate: (m) => void asRegistration(m),
  },
  {
    what: "a password block stated as null",
    stack: "prod",
    mutate: (m) => setIn(m.named("the-callee-app").inputs, ["password"], null),
  },
  {
    what: "an app role whose member types are not known yet",
    stack: "prod",
    mutate: (m) => setIn(m.named("the-callee-app").inputs, ["appRoles", 0, "allowedMemberTypes"], undefined),
  },
  {
    what: "a client secret setting stated as null",
    stack: "prod",
    mutate: (m) =>
      setIn(
        m.named("the-callee-auth").inputs,
        ["identityProviders", "azureActiveDirectory", "registration", "clientSecretSettingName"],
        null,
      ),
  },
  {
    what: "a container app without ingress (nothing to reach)",
    stack: "mixed",
    mutate: (m) => setIn(m.named("orders-container").inputs, ["configuration", "ingress"], undefined),
  },
  {
    what: "a site that leaves the SCM TLS version to the site's",
    stack: "prod",
    mutate: (m) => setIn(m.named("the-callee-site").inputs, ["siteConfig", "scmMinTlsVersion"], undefined),
  },
  {
    what: "TLS 1.3",
    stack: "prod",
    mutate: (m) => setIn(m.named("the-callee-site").inputs, ["siteConfig", "minTlsVersion"], "1.3"),
  },
  {
    what: "system- and user-assigned identities together",
    stack: "prod",
    mutate: (m) => setIn(m.named("the-caller-site").inputs, ["identity", "type"], "UserAssigned, SystemAssigned"),
  },
  {
    what: "a named site whose basic-auth policies name it",
    stack: "prod",
    mutate: (m) => {
      setIn(m.named("the-caller-site").inputs, ["name"], "caller-web");
      for (const p of ["the-caller-site-ftp", "the-caller-site-scm"]) {
        const policy = m.named(p);
        policy.inputs["name"] = "caller-web";
        policy.parent = undefined;
      }
    },
  },
  {
    what: "a callee without a site (its host declared elsewhere)",
    stack: "prod",
    mutate: (m) =>
      ["the-callee-site", "the-callee-site-ftp", "the-callee-site-scm", "the-callee-auth"].forEach((n) => m.remove(n)),
  },
  {
    what: "a callee without its app registration in the stack",
    stack: "prod",
    mutate: (m) => m.remove("the-callee-app"),
  },
  {
    what: "a grant whose target cannot be told",
    stack: "prod",
    mutate: (m) =>
      Object.assign(m.named("the-caller_to_the-callee-assignment"), {
        parent: undefined,
        inputs: { appRoleId: "00000000-0000-0000-0000-000000000000", resourceObjectId: "not-a-reference" },
      }),
  },
  {
    what: "a grant while the app's roles are not known yet",
    stack: "prod",
    mutate: (m) => {
      setIn(m.named("the-callee-app").inputs, ["appRoles"], undefined);
      setIn(
        m.named("the-caller_to_the-callee-assignment").inputs,
        ["appRoleId"],
        "00000000-0000-0000-0000-000000000000",
      );
    },
  },
  {
    what: "a grant while one role's id is not known yet",
    stack: "prod",
    mutate: (m) => {
      setIn(m.named("the-callee-app").inputs, ["appRoles", 0, "id"], undefined);
      setIn(
        m.named("the-caller_to_the-callee-assignment").inputs,
        ["appRoleId"],
        "00000000-0000-0000-0000-000000000000",
      );
    },
  },
  {
    what: "a grant of a role declared as its own resource under the callee",
    stack: "prod",
    mutate: (m) => {
      const roleId = stableGuid("the-callee", "app-role", "Reader");
      separateRole(m, "the-callee-role-reader", ["Application"], roleId);
      setIn(m.named("the-caller_to_the-callee-assignment").inputs, ["appRoleId"], roleId);
    },
  },
  {
    what: "a grant of a role declared as its own resource outside the callee, naming the app by placeholder",
    stack: "prod",
    mutate: (m) => {
      const roleId = stableGuid("the-callee", "app-role", "Reader");
      const role = m.named(separateRole(m, "the-callee-role-reader", ["Application"], roleId));
      role.parent = undefined;
      role.inputs["applicationId"] = `\${${m.named("the-callee-app").urn}#id}`;
      setIn(m.named("the-caller_to_the-callee-assignment").inputs, ["appRoleId"], roleId);
    },
  },
  {
    what: "a grant while a role declared as its own resource has no id yet",
    stack: "prod",
    mutate: (m) => {
      separateRole(m, "the-callee-role-reader", ["Application"]);
      setIn(m.named("the-callee-role-reader").inputs, ["roleId"], undefined);
      setIn(
        m.named("the-caller_to_the-callee-assignment").inputs,
        ["appRoleId"],
        "00000000-0000-0000-0000-000000000000",
      );
    },
  },
];

describe("settings the rules accept", () => {
  test.each(acceptable.map((a) => [a.what, a] as const))("%s", (_what, a) => {
    const m = new Mutable(stacks[a.stack]);
    a.mutate(m);
    expect(evaluate(m.resources, ctxOf(environmentOf[a.stack]))).toEqual([]);
  });
});

describe("grants", () => {
  const twoRoles = {
    ...baseConfig("prod"),
    "s2s-auth:callees": [{ name: "the-callee", appRoles: [{ value: "Invoke" }, { value: "Read" }] }],
    "s2s-auth:callers": [{ name: "the-caller", calls: [{ callee: "the-callee", role: "Read" }] }],
  };

  test("a caller granted a role its callee declares passes", async () => {
    expect(evaluate(await plannedResources("prod", twoRoles), ctxOf("prod"))).toEqual([]);
  });

  test("a caller granted a role the app does not declare fails grant-role-exists", async () => {
    const m = new Mutable(await plannedResources("prod", twoRoles));
    const app = m.named("the-callee-app");
    const roles = app.inputs["appRoles"] as { value: string }[];
    app.inputs["appRoles"] = roles.filter((r) => r.value !== "Read");
    const findings: Finding[] = evaluate(m.resources, ctxOf("prod"));
    expect(findings).toEqual([
      expect.objectContaining({
        policy: "grant-role-exists",
        urn: m.named("the-caller_to_the-callee-assignment").urn,
        message: expect.stringMatching(/roles: Invoke=/),
      }),
    ]);
  });
});

describe("values not known yet are never violations", () => {
  // What a first `pulumi preview` sees: outputs of resources not created yet are unknown.
  const computed: [string, (string | number)[]][] = [
    ["the-callee-sp", ["clientId"]],
    ["the-callee-uri", ["identifierUri"]],
    ["the-callee-uri", ["applicationId"]],
    ["the-callee-auth", ["identityProviders", "azureActiveDirectory", "registration", "clientId"]],
    ["the-callee-auth", ["identityProviders", "azureActiveDirectory", "validation", "allowedAudiences"]],
    ["the-callee-auth", ["name"]],
    ["the-callee-site-ftp", ["name"]],
    ["the-caller-site-scm", ["name"]],
    ["the-caller_to_the-callee-assignment", ["resourceObjectId"]],
    ["the-caller_to_the-callee-assignment", ["principalObjectId"]],
    ["the-caller_to_the-callee-assignment", ["appRoleId"]],
    // azure-native's SDK builds siteConfig with `apply`: one unknown app setting hides it all.
    ["the-caller-site", ["siteConfig"]],
  ];

  test.each(["dev", "prod"] as const)("%s with every computed input unknown has no findings", (stack) => {
    const m = new Mutable(stacks[stack]);
    for (const [name, path] of computed) setIn(m.named(name).inputs, path, NOT_YET_KNOWN);
    expect(evaluate(m.resources, ctxOf(stack))).toEqual([]);
  });

  test("an audience list with an unknown element is not judged", () => {
    const m = new Mutable(stacks.prod);
    setIn(
      m.named("the-callee-auth").inputs,
      ["identityProviders", "azureActiveDirectory", "validation", "allowedAudiences"],
      [NOT_YET_KNOWN, "x"],
    );
    expect(evaluate(m.resources, ctxOf("prod"))).toEqual([]);
  });
});

describe("offline plan placeholders", () => {
  // The plan records an output it cannot know as `${<urn>#<output>}`; rules relate resources
  // through those references.
  function asPlan(resources: PlannedResource[]): PlannedResource[] {
    const m = new Mutable(resources);
    const urn = (name: string) => m.named(name).urn;
    const replacements: [string, string][] = [
      ["the-callee-app-client-id", `\${${urn("the-callee-app")}#clientId}`],
      ["the-callee-app-id", `\${${urn("the-callee-app")}#id}`],
      ["the-callee-sp-object-id", `\${${urn("the-callee-sp")}#objectId}`],
      ["the-callee-site", `\${${urn("the-callee-site")}#name}`],
      ["the-caller-site", `\${${urn("the-caller-site")}#name}`],
    ];
    const swap = (v: unknown): unknown => {
      if (typeof v === "string")
        return replacements.reduce((s, [from, to]) => (s === from ? to : s.replace(`api://${from}`, `api://${to}`)), v);
      if (Array.isArray(v)) return v.map(swap);
      if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
      return v;
    };
    for (const r of m.resources) r.inputs = swap(r.inputs) as Record<string, unknown>;
    return m.resources;
  }

  test("the prod plan has no findings", () => {
    const plan = asPlan(stacks.prod);
    expect(JSON.stringify(plan)).toContain("#clientId}");
    expect(evaluate(plan, ctxOf("prod"))).toEqual([]);
  });

  test("a grant is related to its target service principal through the placeholder", () => {
    const m = new Mutable(asPlan(stacks.prod));
    // Move the grant out of the callee's component: only the reference remains.
    const grant = m.named("the-caller_to_the-callee-assignment");
    grant.parent = undefined;
    grant.inputs["appRoleId"] = "00000000-0000-0000-0000-000000000000";
    expect(evaluate(m.resources, ctxOf("prod")).map((f) => [f.policy, f.urn])).toEqual([
      ["grant-role-exists", grant.urn],
    ]);
  });

  test("basic-auth policies are related to their site through the placeholder", () => {
    const m = new Mutable(asPlan(stacks.prod));
    // Renamed and moved: only the `name` reference ties the policy to the callee's site.
    const ftp = m.named("the-callee-site-ftp");
    ftp.name = "renamed";
    ftp.parent = undefined;
    expect(evaluate(m.resources, ctxOf("prod"))).toEqual([]);
    ftp.inputs["allow"] = true;
    expect(evaluate(m.resources, ctxOf("prod")).map((f) => [f.policy, f.urn])).toEqual([
      ["site-basic-auth-publishing-off", m.named("the-callee-site").urn],
    ]);
  });
});

test("findings are sorted deterministically", () => {
  const m = new Mutable(stacks.dev);
  for (const site of ["the-caller-site", "the-callee-site"]) {
    setIn(m.named(site).inputs, ["httpsOnly"], false);
    setIn(m.named(site).inputs, ["siteConfig", "ftpsState"], "AllAllowed");
  }
  const findings = evaluate(m.resources, ctxOf("test"));
  const keys = findings.map((f) => `${f.severity}|${f.policy}|${f.urn}|${f.message}`);
  expect(keys).toEqual([...keys].sort());
  expect(evaluate([...m.resources].reverse(), ctxOf("test"))).toEqual(findings);
});

test("docs/policy.md lists every rule as the code states it", () => {
  // The README section is where operators look a rule up when a preview names it.
  // Each row is the rule's own id, severity and description, which the pack also shows.
  const doc = readFileSync(join(__dirname, "..", "..", "docs", "policy.md"), "utf8");
  const rows = doc.split("\n").filter((line) => line.startsWith("| `"));
  expect(rows).toEqual(rules.map((r) => `| \`${r.id}\` | ${r.severity} | ${r.description} |`));
  for (const r of rules) expect(r.description).toMatch(/^[A-Z].{20,}\.$/);
});

test("ruleFunctions are the rules as plain functions, one per rule", () => {
  const m = new Mutable(stacks.prod);
  setIn(m.named("the-callee-sp").inputs, ["appRoleAssignmentRequired"], false);
  expect(ruleFunctions).toHaveLength(rules.length);
  const findings = ruleFunctions.flatMap((f) => f(m.resources, ctxOf("prod")));
  expect(findings).toEqual(evaluate(m.resources, ctxOf("prod")));
  expect(findings.map((f) => f.policy)).toEqual(["callee-sp-assignment-required"]);
});
