// policy/rules/index.ts: the one ordered list of rules and how they run. Every rule passes on the
// repository's stacks, values not known yet are never violations, findings come sorted, the
// plan's plain functions are the same rules, and docs/policy.md lists them as the code states them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NOT_YET_KNOWN } from "../../../model/index.ts";
import { calleeAppRules } from "../../../policy/rules/calleeApp.ts";
import { calleeServicePrincipalRules } from "../../../policy/rules/calleeServicePrincipal.ts";
import { calleeSiteRules } from "../../../policy/rules/calleeSite.ts";
import { environmentRules } from "../../../policy/rules/environment.ts";
import { everySiteRules } from "../../../policy/rules/everySite.ts";
import { githubRules } from "../../../policy/rules/github.ts";
import { grantRules } from "../../../policy/rules/grants.ts";
import { identityRules } from "../../../policy/rules/identities.ts";
import { tenantRules } from "../../../policy/rules/tenant.ts";
import { evaluate, ruleFunctions, rules, runRule } from "../../../policy/rules/index.ts";
import { indexStack } from "../../../policy/stack.ts";
import { Mutable, setIn } from "../stacks.ts";
import { asPlan, ctxOf, environmentOf, loadStacks } from "./cases.ts";

const stacks = loadStacks("dev", "prod", "mixed");

test("the rules are every section's rules, each once, sections in the order of the files' list", () => {
  // Each section's test file checks that each of its rules has a breaking case.
  expect(rules).toEqual([
    ...calleeServicePrincipalRules,
    ...calleeAppRules,
    ...calleeSiteRules,
    ...everySiteRules,
    ...environmentRules,
    ...grantRules,
    ...identityRules,
    ...tenantRules,
    ...githubRules,
  ]);
  expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
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
  test("the prod plan has no findings", () => {
    const plan = asPlan(stacks.prod);
    expect(JSON.stringify(plan)).toContain("#clientId}");
    expect(evaluate(plan, ctxOf("prod"))).toEqual([]);
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
  // This page is where operators look a rule up when a preview names it.
  // Each row is the rule's own id, severity and description, which the pack also shows.
  const doc = readFileSync(join(import.meta.dirname, "..", "..", "..", "docs", "policy.md"), "utf8");
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
