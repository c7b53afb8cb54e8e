// A broken invariant as the rules, the policy pack and the plan report it, and the one order
// findings are listed in wherever they are shown.
import { compareCodeUnits } from "./compare.ts";

export type Severity = "error" | "warning";

/** A broken invariant. */
export interface Finding {
  severity: Severity;
  /** The rule id, e.g. `callee-sp-assignment-required`. */
  policy: string;
  urn: string;
  message: string;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1 };

/** Errors first, then by rule, URN and message in code-unit order: the same bytes on every machine. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareCodeUnits(a.policy, b.policy) ||
    compareCodeUnits(a.urn, b.urn) ||
    compareCodeUnits(a.message, b.message)
  );
}
