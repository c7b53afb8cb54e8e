// policy/rules/grants.ts: every app role assignment grants a role the callee's app declares. Each
// rule fires, alone and worded as the snapshot keeps it, on a copy of the repository's stacks with
// one property broken; the settings it must accept leave no finding.
import type { Finding } from "../../../model/index.ts";
import { evaluate } from "../../../policy/rules/index.ts";
import { grantRules } from "../../../policy/rules/grants.ts";
import { stableGuid } from "../../../components/stableId.ts";
import { baseConfig } from "../../fixtures/index.ts";
import { Mutable, plannedResources, setIn } from "../stacks.ts";
import {
  type Acceptable,
  asPlan,
  asRegistration,
  type Breakage,
  ctxOf,
  describeAcceptable,
  describeBreakages,
  loadStacks,
  separateRole,
  setInput,
} from "./cases.ts";

const stacks = loadStacks("dev", "prod", "mixed");

const breakages: Breakage[] = [
  {
    rule: "grant-role-exists",
    what: "an external caller granted another callee's role",
    stack: "mixed",
    mutate: setInput("batch-vm_to_ledger-assignment", ["appRoleId"], stableGuid("orders", "app-role", "Invoke")),
  },
  {
    rule: "grant-role-exists",
    what: "a grant of an undeclared role",
    stack: "prod",
    mutate: setInput(
      "the-caller_to_the-callee-assignment",
      ["appRoleId"],
      stableGuid("the-callee", "app-role", "Admin"),
    ),
  },
  {
    rule: "grant-role-exists",
    what: "a developer grant of an undeclared role",
    stack: "dev",
    mutate: setInput(
      "the-callee-dev-access-user-developer@contoso.example-assignment",
      ["appRoleId"],
      "00000000-0000-0000-0000-000000000000",
    ),
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

describeBreakages(stacks, grantRules, breakages);

const acceptable: Acceptable[] = [
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

describeAcceptable(stacks, acceptable);

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

describe("offline plan placeholders", () => {
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
});
