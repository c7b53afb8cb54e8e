// tools/plan/document.ts: the plan document built from a recording, its findings and its bytes.
import {
  buildPlan,
  hasErrors,
  plannedResources,
  serializePlan,
  type PlanDocument,
  type PlanRule,
} from "../../../tools/plan/document.ts";
import { type PlannedResource, referencedUrns, rootStackUrn } from "../../../model/index.ts";
import { planStack } from "./stacks.ts";

// A rule of this test's own: the real rules live in policy/rules/.
const noPublicSites: PlanRule = (resources, context) =>
  resources
    .filter((r) => r.type === "azure-native:web:WebApp")
    .map((r) => ({
      severity: "error" as const,
      policy: "test-no-sites",
      urn: r.urn,
      message: `a site in ${context.environment}`,
    }));
const warnOnGroups: PlanRule = (resources) =>
  resources
    .filter((r) => r.type === "s2s-auth:api:ProtectedApi")
    .map((r) => ({ severity: "warning" as const, policy: "test-warn", urn: r.urn, message: "just a warning" }));

describe("the plan document of the real stacks", () => {
  let dev: PlanDocument;
  let prod: PlanDocument;
  beforeAll(async () => {
    dev = await planStack("dev");
    prod = await planStack("prod");
  });

  it("has the documented shape, steps like `pulumi preview --json`", () => {
    for (const plan of [dev, prod]) {
      expect(Object.keys(plan)).toEqual([
        "project",
        "stack",
        "environment",
        "steps",
        "outputs",
        "access",
        "diagnostics",
        "changeSummary",
      ]);
      expect(plan.steps[0]).toEqual({
        op: "create",
        urn: rootStackUrn("s2s-auth", plan.stack),
        newState: {
          urn: rootStackUrn("s2s-auth", plan.stack),
          type: "pulumi:pulumi:Stack",
          custom: false,
          protect: false,
          inputs: {},
        },
      });
      for (const step of plan.steps.slice(1)) {
        expect(Object.keys(step)).toEqual(["op", "urn", "newState"]);
        expect(Object.keys(step.newState)).toEqual(["urn", "type", "custom", "parent", "protect", "inputs"]);
        expect(step.newState.urn).toBe(step.urn);
        expect(plan.steps.some((s) => s.urn === step.newState.parent)).toBe(true);
      }
      expect(plan.changeSummary).toEqual({ create: plan.steps.length });
      expect(plan.diagnostics).toEqual([]);
    }
  });

  it("has every placeholder point at a URN in steps", () => {
    for (const plan of [dev, prod]) {
      const urns = new Set(plan.steps.map((s) => s.urn));
      const refs = referencedUrns([plan.steps.map((s) => s.newState.inputs), plan.outputs]);
      expect(refs.size).toBeGreaterThan(5);
      expect([...refs].filter((u) => !urns.has(u))).toEqual([]);
    }
  });

  it("protects every prod resource and no dev resource", () => {
    expect(prod.steps.slice(1).every((s) => s.newState.protect)).toBe(true);
    expect(dev.steps.some((s) => s.newState.protect)).toBe(false);
  });

  it("is byte-for-byte the same on a second run", async () => {
    expect(serializePlan(await planStack("dev", [], { fresh: true }))).toBe(serializePlan(dev));
  });

  it("reads back the planned resources it was built from", () => {
    const resources = plannedResources(dev);
    expect(resources).toHaveLength(dev.steps.length - 1);
    expect(resources.find((r) => r.name === "the-caller-site")).toMatchObject({
      type: "azure-native:web:WebApp",
      custom: true,
      protect: false,
    });
    expect(resources.find((r) => r.name === "s2s-auth")!.parent).toBeUndefined();
  });
});

describe("buildPlan findings", () => {
  const resources: PlannedResource[] = [
    {
      urn: "urn:pulumi:dev::p::s2s-auth:api:ProtectedApi::api",
      type: "s2s-auth:api:ProtectedApi",
      name: "api",
      custom: false,
      parent: undefined,
      protect: false,
      inputs: {},
    },
    {
      urn: "urn:pulumi:dev::p::s2s-auth:api:ProtectedApi$azure-native:web:WebApp::site",
      type: "azure-native:web:WebApp",
      name: "site",
      custom: true,
      parent: "urn:pulumi:dev::p::s2s-auth:api:ProtectedApi::api",
      protect: false,
      inputs: { serverFarmId: "${urn:pulumi:dev::p::azure-native:web:AppServicePlan::gone#id}" },
    },
  ];
  const recording = { project: "p", stack: "dev", resources, outputs: {} };

  it("reports the rules' findings, errors first, and passes the environment", () => {
    const plan = buildPlan(recording, { environment: "prod", rules: [warnOnGroups, noPublicSites] });
    expect(plan.diagnostics.map((d) => [d.severity, d.policy, d.message])).toEqual([
      [
        "error",
        "plan-reference-resolves",
        "an input refers to urn:pulumi:dev::p::azure-native:web:AppServicePlan::gone, which is not in the plan",
      ],
      ["error", "test-no-sites", "a site in prod"],
      ["warning", "test-warn", "just a warning"],
    ]);
    expect(hasErrors(plan)).toBe(true);
  });

  it("has no errors when the rules only warn and references resolve", () => {
    const clean = { ...recording, resources: [resources[0]!] };
    const plan = buildPlan(clean, { environment: "dev", rules: [warnOnGroups] });
    expect(plan.diagnostics).toHaveLength(1);
    expect(hasErrors(plan)).toBe(false);
  });

  it("gives rules copies, so a rule cannot change the plan", () => {
    const mutating: PlanRule = (rs) => {
      for (const r of rs) r.protect = true;
      return [];
    };
    const plan = buildPlan({ ...recording, resources: [resources[0]!] }, { environment: "dev", rules: [mutating] });
    expect(plan.steps[1]!.newState.protect).toBe(false);
  });
});
