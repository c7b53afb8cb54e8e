// The plan document: what `--json` writes and `diff` reads. Its `steps` follow
// `pulumi preview --json`, so tools written for one read the other.
import {
  compareFindings,
  type Finding,
  type PlannedResource,
  referencedUrns,
  RESOURCE_TYPE,
  rootStackUrn,
  type RuleContext,
  sortKeys,
  urnName,
} from "../../model/index.ts";
import { accessMatrix, type AccessEntry, NO_LABELS, type PrincipalLabels } from "./access.ts";

export interface ResourceState {
  urn: string;
  type: string;
  custom: boolean;
  /** The parent's URN; top-level resources have the root stack as parent, as in a preview. */
  parent?: string;
  protect: boolean;
  inputs: Record<string, unknown>;
}

export interface PlanStep {
  /** Always `create`: an offline plan has no previous state to compare with. */
  op: "create";
  urn: string;
  newState: ResourceState;
}

export interface PlanDocument {
  project: string;
  stack: string;
  environment: RuleContext["environment"];
  steps: PlanStep[];
  outputs: Record<string, unknown>;
  access: AccessEntry[];
  diagnostics: Finding[];
  changeSummary: { create: number };
}

/** A policy rule: a pure function over the planned resources. */
export type PlanRule = (resources: PlannedResource[], context: RuleContext) => Finding[];

export interface BuildOptions {
  environment: RuleContext["environment"];
  rules: readonly PlanRule[];
  labels?: PrincipalLabels;
  /** Findings about the stack's config rather than its resources (stackConfig.ts). */
  configFindings?: readonly Finding[];
}

/** The plan's own consistency check, reported like a rule's finding. */
export const DANGLING_REFERENCE = "plan-reference-resolves";

/** A finding for every placeholder that names a resource the program did not register. */
export function danglingReferences(
  resources: readonly PlannedResource[],
  outputs: Record<string, unknown>,
  rootUrn: string,
): Finding[] {
  const known = new Set(resources.map((r) => r.urn));
  const findings: Finding[] = [];
  const check = (urn: string, value: unknown, where: string) => {
    for (const target of referencedUrns(value)) {
      if (!known.has(target)) {
        findings.push({
          severity: "error",
          policy: DANGLING_REFERENCE,
          urn,
          message: `${where} refers to ${target}, which is not in the plan`,
        });
      }
    }
  };
  for (const r of resources) check(r.urn, r.inputs, "an input");
  check(rootUrn, outputs, "a stack output");
  return findings;
}

/** What a plan is built from: a recording (recorder.ts) or a hand-made one in tests. */
export interface PlanInput {
  project: string;
  stack: string;
  resources: readonly PlannedResource[];
  outputs: Record<string, unknown>;
}

/**
 * Turns a recording into the plan document: steps in registration order behind the root
 * stack, the access matrix, and the findings of `rules` (plus the plan's own reference check and
 * the config's findings).
 */
export function buildPlan(recording: PlanInput, options: BuildOptions): PlanDocument {
  const { project, stack, resources, outputs } = recording;
  const root = rootStackUrn(project, stack);
  const steps: PlanStep[] = [
    {
      op: "create",
      urn: root,
      newState: { urn: root, type: RESOURCE_TYPE.stack, custom: false, protect: false, inputs: {} },
    },
    ...resources.map((r): PlanStep => ({
      op: "create",
      urn: r.urn,
      newState: {
        urn: r.urn,
        type: r.type,
        custom: r.custom,
        parent: r.parent ?? root,
        protect: r.protect,
        inputs: sortKeys(r.inputs) as Record<string, unknown>,
      },
    })),
  ];
  const context: RuleContext = { environment: options.environment };
  const diagnostics = [
    ...options.rules.flatMap((rule) =>
      rule(
        resources.map((r) => structuredClone(r)),
        context,
      ),
    ),
    ...danglingReferences(resources, outputs, root),
    ...(options.configFindings ?? []),
  ].sort(compareFindings);
  return {
    project,
    stack,
    environment: options.environment,
    steps,
    outputs: sortKeys(outputs) as Record<string, unknown>,
    access: accessMatrix(resources, options.labels ?? NO_LABELS),
    diagnostics,
    changeSummary: { create: steps.length },
  };
}

/** The planned resources of a document (without the root stack), as rules and renderers read them. */
export function plannedResources(plan: PlanDocument): PlannedResource[] {
  const root = rootStackUrn(plan.project, plan.stack);
  return plan.steps
    .filter((s) => s.urn !== root)
    .map((s) => ({
      urn: s.urn,
      type: s.newState.type,
      name: urnName(s.urn),
      custom: s.newState.custom,
      parent: s.newState.parent === root ? undefined : s.newState.parent,
      protect: s.newState.protect,
      inputs: s.newState.inputs,
    }));
}

/** The document as written to disk: two runs of the same code give the same bytes. */
export function serializePlan(plan: PlanDocument): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

export function hasErrors(plan: PlanDocument): boolean {
  return plan.diagnostics.some((d) => d.severity === "error");
}
