// `pulumi preview --json` of a new stack against `npm run plan --json` of the same stack: the
// offline plan claims to show what the engine would do, and this is where that claim is checked.
// Both documents have the same shape (docs/plan-format.md): steps with a URN and a new state.

/** The engine's wire value for "known only after deployment" (sdk/go/common/resource/plugin/rpc.go). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface StepState {
  type: string;
  parent?: string;
  protect?: boolean;
  inputs?: Record<string, unknown>;
}
export interface PlanLikeDocument {
  steps: { urn: string; newState?: StepState }[];
}

export type DifferenceKind =
  /** A resource one side has and the other lacks: always a bug. */
  | "missing-in-preview"
  | "missing-in-plan"
  /** Type, parent or protect differ: always a bug. */
  | "resource"
  /** An input both sides set, with different values: a bug unless one side does not know it yet. */
  | "input"
  /**
   * An input only the preview has: the provider's Check added it (azure-native's auto-names,
   * pulumi-azure-native provider/pkg/provider/autonaming). Reported, not a failure.
   */
  | "provider-added";

export interface Difference {
  kind: DifferenceKind;
  urn: string;
  path?: string;
  plan?: unknown;
  preview?: unknown;
}

/** A value one side cannot know before deployment: the engine's unknown, or a plan placeholder. */
function isDeferred(value: unknown): boolean {
  return value === UNKNOWN || (typeof value === "string" && value.includes("${"));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Code-unit order, so the report reads the same under every locale. */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareValues(urn: string, path: string, plan: unknown, preview: unknown, out: Difference[]): void {
  if (isDeferred(plan) || isDeferred(preview)) return;
  if (isObject(plan) && isObject(preview)) {
    for (const key of [...new Set([...Object.keys(plan), ...Object.keys(preview)])].sort(byCodeUnit)) {
      const at = path ? `${path}.${key}` : key;
      if (!(key in preview)) out.push({ kind: "input", urn, path: at, plan: plan[key] });
      else if (!(key in plan)) out.push({ kind: "provider-added", urn, path: at, preview: preview[key] });
      else compareValues(urn, at, plan[key], preview[key], out);
    }
    return;
  }
  if (Array.isArray(plan) && Array.isArray(preview) && plan.length === preview.length) {
    plan.forEach((item, i) => compareValues(urn, `${path}[${i}]`, item, preview[i], out));
    return;
  }
  if (JSON.stringify(plan) !== JSON.stringify(preview)) out.push({ kind: "input", urn, path, plan, preview });
}

/** Every difference between the two documents, in URN order. */
export function comparePreviewToPlan(preview: PlanLikeDocument, plan: PlanLikeDocument): Difference[] {
  const states = (doc: PlanLikeDocument) =>
    new Map(doc.steps.filter((s) => s.newState).map((s) => [s.urn, s.newState!]));
  const fromPreview = states(preview);
  const fromPlan = states(plan);
  const out: Difference[] = [];
  for (const urn of [...new Set([...fromPreview.keys(), ...fromPlan.keys()])].sort(byCodeUnit)) {
    const p = fromPlan.get(urn);
    const v = fromPreview.get(urn);
    if (!v) {
      out.push({ kind: "missing-in-preview", urn });
      continue;
    }
    if (!p) {
      out.push({ kind: "missing-in-plan", urn });
      continue;
    }
    // The engine's JSON leaves out `protect: false` (omitempty), so an absent protect is false.
    const normal = (s: StepState) => ({ type: s.type, parent: s.parent ?? null, protect: s.protect ?? false });
    const [a, b] = [normal(p), normal(v)];
    for (const field of ["type", "parent", "protect"] as const) {
      if (a[field] !== b[field]) out.push({ kind: "resource", urn, path: field, plan: a[field], preview: b[field] });
    }
    compareValues(urn, "inputs", p.inputs ?? {}, v.inputs ?? {}, out);
  }
  return out;
}

/** Differences that fail the comparison: everything but the provider's own additions. */
export function failures(differences: Difference[]): Difference[] {
  return differences.filter((d) => d.kind !== "provider-added");
}
