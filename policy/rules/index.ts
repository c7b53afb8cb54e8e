// The security invariants of s2s-auth as pure functions over planned resources, one file per
// section: the callee's service principal, its app registration, its site's authentication, every
// site, the environment, grants, the identities that can write, the tenant as a trust boundary and
// the GitHub environments the identities trust. The same rules run in the
// policy pack (policy/index.ts, at `pulumi preview`/`up`), in `npm run plan` and in the tests. A
// rule never reports a value that merely cannot be known yet (NOT_YET_KNOWN); it does report a
// literal setting (a boolean, an enum) that is missing or wrong.
import { compareFindings, type Finding, type PlannedResource, type RuleContext } from "../../model/index.ts";
import { indexStack, type StackView } from "../stack.ts";
import { calleeAppRules } from "./calleeApp.ts";
import { calleeServicePrincipalRules } from "./calleeServicePrincipal.ts";
import { calleeSiteRules } from "./calleeSite.ts";
import { environmentRules } from "./environment.ts";
import { everySiteRules } from "./everySite.ts";
import { githubRules } from "./github.ts";
import { grantRules } from "./grants.ts";
import { identityRules } from "./identities.ts";
import { tenantRules } from "./tenant.ts";
import type { Rule } from "./rule.ts";

export type { Rule, Violation } from "./rule.ts";

/** Every rule, in a stable order: the sections in the order above. */
export const rules: readonly Rule[] = [
  ...calleeServicePrincipalRules,
  ...calleeAppRules,
  ...calleeSiteRules,
  ...everySiteRules,
  ...environmentRules,
  ...grantRules,
  ...identityRules,
  ...tenantRules,
  ...githubRules,
];

/** Runs one rule and attaches its id and severity. */
export function runRule(rule: Rule, stack: StackView, ctx: RuleContext): Finding[] {
  return rule
    .check(stack, ctx)
    .map((violation) => ({ severity: rule.severity, policy: rule.id, urn: violation.urn, message: violation.message }));
}

/**
 * Each rule as a plain function of the resources, for consumers that take
 * `(resources, ctx) => Finding[]` (the offline plan's rule list).
 */
export const ruleFunctions: readonly ((resources: PlannedResource[], ctx: RuleContext) => Finding[])[] = rules.map(
  (rule) => (resources, ctx) => runRule(rule, indexStack(resources), ctx),
);

/** Runs every rule over the stack's resources; findings in the one order of model/finding.ts. */
export function evaluate(resources: PlannedResource[], ctx: RuleContext): Finding[] {
  const stack = indexStack(resources);
  return rules.flatMap((rule) => runRule(rule, stack, ctx)).sort(compareFindings);
}
