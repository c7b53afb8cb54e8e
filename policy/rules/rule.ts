// What a rule is, and the few helpers every section of rules shares: where a violation points,
// how a value reads in a message, and the check of a literal setting.
import { NOT_YET_KNOWN, type PlannedResource, type RuleContext, type Severity } from "../../model/index.ts";
import { valueAt, type StackView } from "../stack.ts";

/** A broken invariant, before the rule's id and severity are attached. */
export interface Violation {
  urn: string;
  message: string;
}

export interface Rule {
  /** Stable id, used as the policy name in the pack and in plan findings. */
  id: string;
  severity: Severity;
  /** What the rule guarantees, one sentence. */
  description: string;
  check(stack: StackView, ctx: RuleContext): Violation[];
}

export function violationAt(resource: PlannedResource, message: string): Violation {
  return { urn: resource.urn, message };
}

/** A value as a message quotes it: JSON, or "not set". */
export function describeValue(value: unknown): string {
  return value === undefined ? "not set" : JSON.stringify(value);
}

/** A check of every resource of the type(s), one at a time; it returns the messages for that resource. */
export function checkEveryResourceOf(
  types: readonly string[],
  check: (resource: PlannedResource, stack: StackView) => string | string[] | undefined,
): Rule["check"] {
  return (stack) =>
    stack.resources
      .filter((resource) => types.includes(resource.type))
      .flatMap((resource) => {
        const messages = check(resource, stack);
        const list = messages === undefined ? [] : Array.isArray(messages) ? messages : [messages];
        return list.map((message) => violationAt(resource, message));
      });
}

/**
 * The message for a literal input (a boolean, an enum) that is not `expected`; a missing value is
 * wrong too. Undefined when the setting is right or not known yet.
 */
export function wrongSetting(
  resource: PlannedResource,
  path: string[],
  expected: unknown,
  fix: string,
): string | undefined {
  const actual = valueAt(resource.inputs, ...path);
  if (actual === NOT_YET_KNOWN) return undefined;
  return actual === expected
    ? undefined
    : `${path.join(".")} is ${describeValue(actual)}, must be ${JSON.stringify(expected)}. Fix: ${fix}`;
}
