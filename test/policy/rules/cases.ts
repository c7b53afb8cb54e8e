// What the rule tests share: the repository's stacks (the program's and bootstrap's) as the rules
// see them, the table of
// breakages (one property broken, exactly the expected rules fire there, the wording kept in a
// snapshot) and of settings the rules must accept, and the edits that build such cases.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { stableGuid } from "../../../components/stableId.ts";
import type { PlannedResource, RuleContext } from "../../../model/index.ts";
import { evaluate, rules, type Rule } from "../../../policy/rules/index.ts";
import { recordBootstrap } from "../../fixtures/bootstrap.ts";
import { Mutable, plannedResources, setIn, stackConfig } from "../stacks.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");

/**
 * The repository's dev and prod stacks, the mixed-hosts example (a test stack), and bootstrap's
 * dev tenant, prod tenant and one-tenant example (judged as prod, as the pack and plan do).
 */
export type StackName = "dev" | "prod" | "mixed" | "dev-tenant" | "prod-tenant" | "one-tenant";
export type Stacks = Record<StackName, PlannedResource[]>;
export const environmentOf: Record<StackName, RuleContext["environment"]> = {
  dev: "dev",
  prod: "prod",
  mixed: "test",
  "dev-tenant": "prod",
  "prod-tenant": "prod",
  "one-tenant": "prod",
};
export const ctxOf = (environment: RuleContext["environment"]): RuleContext => ({ environment });

// The shipped dev stack federates to no repository; the rules about the CI principal need one.
const CI_ACCESS = {
  repository: "my-org/s2s-auth",
  subjects: ["environment:dev", "pull_request"],
  calls: [{ callee: "the-callee" }],
};

async function loadStack(name: StackName): Promise<PlannedResource[]> {
  if (name === "dev") return plannedResources("dev", { ...stackConfig("dev"), "s2s-auth:ciAccess": CI_ACCESS });
  if (name === "prod") return plannedResources("prod");
  if (name === "dev-tenant" || name === "prod-tenant" || name === "one-tenant")
    return (await recordBootstrap(name)).resources;
  const mixed = parse(readFileSync(join(ROOT, "examples", "Pulumi.mixed.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  return plannedResources("test", mixed.config);
}

/**
 * The named stacks, run under mocks in a beforeAll (each run costs about a second, so a file
 * loads only the stacks its cases use); the others stay empty.
 */
export function loadStacks(...names: StackName[]): Stacks {
  const stacks: Stacks = { dev: [], prod: [], mixed: [], "dev-tenant": [], "prod-tenant": [], "one-tenant": [] };
  beforeAll(async () => {
    for (const name of names) stacks[name] = await loadStack(name);
  });
  return stacks;
}

export interface Breakage {
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

/** A change a rule must accept: the stack still has no findings. */
export interface Acceptable {
  what: string;
  stack: StackName;
  mutate(m: Mutable): void;
}

/** The same breakage on the callee's site (in prod) and on the caller's (in dev). */
export const siteBreaks = (rule: string, what: string, path: (string | number)[], value: unknown): Breakage[] =>
  (["the-callee-site", "the-caller-site"] as const).map((site) => ({
    rule,
    what: `${what} on ${site}`,
    stack: site === "the-callee-site" ? "prod" : "dev",
    mutate: (m) => (setIn(m.named(site).inputs, path, value), site),
  }));

/** Sets one input of the named resource, which is where the finding must point. */
export const setInput = (name: string, path: (string | number)[], value: unknown) => (m: Mutable) => (
  setIn(m.named(name).inputs, path, value),
  name
);

/**
 * Registers the callee with the granular resources instead: an ApplicationRegistration, with its
 * one role declared as an ApplicationAppRole (the shape that avoids pulumi-azuread#1036).
 */
export function asRegistration(
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
export function separateRole(
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

/**
 * The stack as the offline plan records it: an output it cannot know is `${<urn>#<output>}`, and
 * rules relate resources through those references.
 */
export function asPlan(resources: PlannedResource[]): PlannedResource[] {
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

/**
 * The breakage table of one section of rules: each case fires exactly the expected rules at the
 * broken resource (wording in the snapshot), every rule of the section has a case, and fix advice
 * names only files that exist (`namesFiles`: some of the section's advice names one).
 */
export function describeBreakages(
  stacks: Stacks,
  section: readonly Rule[],
  breakages: Breakage[],
  namesFiles = false,
): void {
  describe("each rule fails on a stack that breaks it", () => {
    test.each(breakages.map((b) => [b.rule, b.what, b] as const))("%s: %s", (rule, _what, b) => {
      const m = new Mutable(stacks[b.stack]);
      const culprit = m.named(b.mutate(m));
      const findings = evaluate(m.resources, ctxOf(b.environment ?? environmentOf[b.stack]));
      // The rule under test fires at the broken resource, and nothing else does unless expected.
      expect(findings.filter((f) => f.policy === rule).map((f) => f.urn)).toContain(culprit.urn);
      expect([...new Set(findings.map((f) => f.policy))].sort()).toEqual([rule, ...(b.also ?? [])].sort());
      for (const f of findings) {
        expect(f.severity).toBe(rules.find((r) => r.id === f.policy)!.severity);
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
      const files = [
        ...new Set(messages.flatMap((msg) => msg.match(/\b(?:components|policy)\/[\w/.-]+\.ts\b/g) ?? [])),
      ];
      if (namesFiles) expect(files.length).toBeGreaterThan(0);
      expect(files.filter((f) => !existsSync(join(ROOT, f)))).toEqual([]);
    });

    test("every rule has at least one breaking case", () => {
      const covered = new Set(breakages.map((b) => b.rule));
      expect(section.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
    });
  });
}

/** Changes the rules must accept: after each, the stack has no findings. */
export function describeAcceptable(stacks: Stacks, acceptable: Acceptable[]): void {
  describe("settings the rules accept", () => {
    test.each(acceptable.map((a) => [a.what, a] as const))("%s", (_what, a) => {
      const m = new Mutable(stacks[a.stack]);
      a.mutate(m);
      expect(evaluate(m.resources, ctxOf(environmentOf[a.stack]))).toEqual([]);
    });
  });
}
