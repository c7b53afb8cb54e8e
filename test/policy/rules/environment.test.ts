// policy/rules/environment.ts: developer access in dev only, and prod resources protected. Each
// rule fires, alone and worded as the snapshot keeps it, on a copy of the repository's stacks with
// one property broken.
import { evaluate } from "../../../policy/rules/index.ts";
import { environmentRules } from "../../../policy/rules/environment.ts";
import { type Breakage, ctxOf, describeBreakages, loadStacks, separateRole, setInput } from "./cases.ts";

const stacks = loadStacks("dev", "prod");

const breakages: Breakage[] = [
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
    mutate: setInput("the-callee-app", ["api", "knownClientApplications"], ["04b07795-8ddb-461a-bbee-02f9e1bf7b46"]),
  },
  {
    rule: "env-no-delegated-scopes",
    what: "a user_impersonation scope in prod",
    stack: "prod",
    mutate: setInput(
      "the-callee-app",
      ["api", "oauth2PermissionScopes"],
      [{ id: "00000000-0000-0000-0000-000000000001", value: "user_impersonation", type: "User", enabled: true }],
    ),
  },
  {
    rule: "env-no-user-role-assignments",
    what: "a role people can hold in prod",
    stack: "prod",
    mutate: setInput("the-callee-app", ["appRoles", 0, "allowedMemberTypes"], ["Application", "User"]),
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
];

describeBreakages(stacks, environmentRules, breakages);

test("the dev stack evaluated as test breaks exactly the developer-access rules", () => {
  const policies = new Set(evaluate(stacks.dev, ctxOf("test")).map((f) => f.policy));
  expect([...policies].sort()).toEqual([
    "env-no-delegated-scopes",
    "env-no-preauthorized-clients",
    "env-no-user-role-assignments",
  ]);
});
