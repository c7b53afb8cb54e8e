// policy/rules/calleeServicePrincipal.ts: the callee's service principal (assignment required,
// hidden from users). Each rule fires, alone and worded as the snapshot keeps it, on a copy of the
// repository's stacks with one property broken; the settings it must accept leave no finding.
import { calleeServicePrincipalRules } from "../../../policy/rules/calleeServicePrincipal.ts";
import { indexStack } from "../../../policy/stack.ts";
import { setIn } from "../stacks.ts";
import {
  type Acceptable,
  type Breakage,
  describeAcceptable,
  describeBreakages,
  loadStacks,
  setInput,
} from "./cases.ts";

const stacks = loadStacks("dev", "prod");

const breakages: Breakage[] = [
  {
    rule: "callee-sp-assignment-required",
    what: "appRoleAssignmentRequired false",
    stack: "prod",
    mutate: setInput("the-callee-sp", ["appRoleAssignmentRequired"], false),
  },
  {
    rule: "callee-sp-assignment-required",
    what: "appRoleAssignmentRequired missing",
    stack: "dev",
    mutate: setInput("the-callee-sp", ["appRoleAssignmentRequired"], undefined),
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
    mutate: setInput("the-callee-sp", ["featureTags", 0, "hide"], false),
  },
  {
    rule: "callee-sp-hidden",
    what: "no feature tags",
    stack: "dev",
    mutate: setInput("the-callee-sp", ["featureTags"], undefined),
  },
];

describeBreakages(stacks, calleeServicePrincipalRules, breakages);

const acceptable: Acceptable[] = [
  {
    what: "a service principal hidden by the HideApp tag alone",
    stack: "prod",
    mutate: (m) => {
      setIn(m.named("the-callee-sp").inputs, ["featureTags"], undefined);
      setIn(m.named("the-callee-sp").inputs, ["tags"], ["HideApp"]);
    },
  },
];

describeAcceptable(stacks, acceptable);

test("a caller's own service principal (the CI principal) is not an API's and need not require assignment", () => {
  const ci = stacks.dev.find((r) => r.name === "ci-principal-sp")!;
  expect(ci.inputs["appRoleAssignmentRequired"]).toBeUndefined();
  expect(
    indexStack(stacks.dev)
      .apiServicePrincipals()
      .map((sp) => sp.name),
  ).toEqual(["the-callee-sp"]);
});
