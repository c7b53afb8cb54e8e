// policy/rules/calleeApp.ts: the callee's app registration (implicit grant off, an `api://`
// identifier URI, no credentials, roles that applications can hold). Each rule fires, alone and
// worded as the snapshot keeps it, on a copy of the repository's stacks with one property broken;
// the settings it must accept leave no finding.
import { calleeAppRules } from "../../../policy/rules/calleeApp.ts";
import { setIn } from "../stacks.ts";
import {
  type Acceptable,
  asRegistration,
  type Breakage,
  describeAcceptable,
  describeBreakages,
  loadStacks,
  separateRole,
  setInput,
} from "./cases.ts";

const stacks = loadStacks("dev", "prod");

const breakages: Breakage[] = [
  {
    rule: "app-implicit-grant-off",
    what: "access tokens on",
    stack: "prod",
    mutate: setInput("the-callee-app", ["web", "implicitGrant", "accessTokenIssuanceEnabled"], true),
  },
  {
    rule: "app-implicit-grant-off",
    what: "ID tokens on",
    stack: "dev",
    mutate: setInput("the-callee-app", ["web", "implicitGrant", "idTokenIssuanceEnabled"], true),
  },
  {
    rule: "app-implicit-grant-off",
    what: "ID tokens left to the default",
    stack: "prod",
    mutate: setInput("the-callee-app", ["web", "implicitGrant", "idTokenIssuanceEnabled"], undefined),
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
    mutate: setInput("the-callee-uri", ["identifierUri"], "https://contoso.example/api"),
  },
  {
    rule: "app-identifier-uri",
    what: "an https URI on the app",
    stack: "prod",
    mutate: setInput("the-callee-app", ["identifierUris"], ["https://contoso.example/api"]),
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
    mutate: setInput("the-callee-app", ["password"], { displayName: "ci" }),
  },
  {
    rule: "app-roles-allow-applications",
    what: "a user-only role",
    stack: "dev",
    mutate: setInput("the-callee-app", ["appRoles", 0, "allowedMemberTypes"], ["User"]),
  },
  {
    rule: "app-roles-allow-applications",
    what: "a user-only role declared as its own resource",
    stack: "dev",
    mutate: (m) => separateRole(m, "the-callee-role-reader", ["User"]),
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
];

describeBreakages(stacks, calleeAppRules, breakages);

const acceptable: Acceptable[] = [
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
    what: "a callee without its app registration in the stack",
    stack: "prod",
    mutate: (m) => m.remove("the-callee-app"),
  },
];

describeAcceptable(stacks, acceptable);
