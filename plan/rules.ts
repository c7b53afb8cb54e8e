// The single import point of the policy rules the plan reports as findings.
// Wired to policy/rules.ts by the lead at merge (that file did not exist on main yet):
//   export { rules } from "../policy/rules.ts";
import type { PlanRule } from "./document.ts";

export const rules: readonly PlanRule[] = [];
