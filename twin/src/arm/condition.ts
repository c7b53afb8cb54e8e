/**
 * Azure role assignment conditions (ABAC, condition version 2.0), parsed and evaluated as ARM evaluates
 * them for the control-plane actions the stacks perform: the grammar and operators of Learn "Azure role
 * assignment condition format and syntax", the attributes of Learn "Authorization actions and attributes"
 * (Microsoft.Authorization/roleAssignments: RoleDefinitionId, PrincipalId, PrincipalType, from @Request on
 * write and @Resource on delete), over every form Learn "Examples to delegate Azure role assignment
 * management with conditions" uses.
 */
import { models } from "../fidelity.ts";

/** What a request carries for a condition: the action, and attribute values by `@Source[namespace:Name]`. */
export interface ConditionContext {
  action: string;
  attributes: Readonly<Record<string, readonly string[]>>;
}

type Node =
  | { kind: "and" | "or"; left: Node; right: Node }
  | { kind: "not"; inner: Node }
  | { kind: "action"; patterns: string[]; operator: "ActionMatches" | "SubOperationMatches" }
  | { kind: "compare"; attribute: string; quantifier: string | undefined; operator: string; values: string[] };

/** A condition ARM cannot parse: it refuses such a role assignment when it is written, so none is held. */
export class ConditionSyntaxError extends Error {}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern =
    /\s*(\(|\)|!|\{[^}]*\}|'(?:[^']|'')*'|@\w+\[[^\]]*\]|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|[A-Za-z]\w*(?::[A-Za-z]\w*)?)/y;
  let position = 0;
  while (text.slice(position).trim() !== "") {
    pattern.lastIndex = position;
    const m = pattern.exec(text);
    if (m === null) throw new ConditionSyntaxError(`cannot read the condition at '${text.slice(position)}'`);
    tokens.push(m[1]!);
    position = pattern.lastIndex;
  }
  return tokens;
}

function listOf(token: string): string[] {
  const inner = token.startsWith("{") ? token.slice(1, -1) : token;
  return inner
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "")
    .map((v) => (v.startsWith("'") && v.endsWith("'") ? v.slice(1, -1).replace(/''/g, "'") : v));
}

/** Parses a condition (Learn "condition format and syntax": AND, OR, NOT/!, parentheses, expressions). */
export function parseCondition(text: string): Node {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const t = tokens[at++];
    if (t === undefined) throw new ConditionSyntaxError(`unexpected end of condition: ${text}`);
    return t;
  };
  const or = (): Node => {
    let left = and();
    while (peek()?.toUpperCase() === "OR") {
      at++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const and = (): Node => {
    let left = unary();
    while (peek()?.toUpperCase() === "AND") {
      at++;
      left = { kind: "and", left, right: unary() };
    }
    return left;
  };
  const unary = (): Node => {
    const t = next();
    if (t === "!" || t.toUpperCase() === "NOT") return { kind: "not", inner: unary() };
    if (t === "(") {
      const inner = or();
      if (next() !== ")") throw new ConditionSyntaxError(`missing ')' in ${text}`);
      return inner;
    }
    if (t === "ActionMatches" || t === "SubOperationMatches")
      return { kind: "action", operator: t, patterns: listOf(next()) };
    if (t.startsWith("@")) {
      const op = next();
      const [quantifier, operator] = op.includes(":") ? op.split(":") : [undefined, op];
      return { kind: "compare", attribute: t, quantifier, operator: operator!, values: listOf(next()) };
    }
    throw new ConditionSyntaxError(`unexpected '${t}' in ${text}`);
  };
  const node = or();
  if (at !== tokens.length) throw new ConditionSyntaxError(`unexpected '${tokens[at]}' in ${text}`);
  return node;
}

function wildcard(pattern: string, value: string): boolean {
  const escaped = pattern
    .split("*")
    .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${escaped}$`, "i").test(value);
}

/** The GUID a value names: role definition ids are compared by their last segment. */
function guid(value: string): string {
  return (value.split("/").at(-1) ?? value).toLowerCase();
}

/** Learn "condition format and syntax", Function operators, GUID and string comparison operators. */
const OPERATORS: Readonly<Record<string, (attribute: string, value: string) => boolean>> = {
  GuidEquals: (a, v) => guid(a) === guid(v),
  GuidNotEquals: (a, v) => guid(a) !== guid(v),
  StringEquals: (a, v) => a === v,
  StringNotEquals: (a, v) => a !== v,
  StringEqualsIgnoreCase: (a, v) => a.toLowerCase() === v.toLowerCase(),
  StringNotEqualsIgnoreCase: (a, v) => a.toLowerCase() !== v.toLowerCase(),
  StringLike: (a, v) => wildcard(v, a),
  StringNotLike: (a, v) => !wildcard(v, a),
  StringStartsWith: (a, v) => a.startsWith(v),
  StringNotStartsWith: (a, v) => !a.startsWith(v),
  StringStartsWithIgnoreCase: (a, v) => a.toLowerCase().startsWith(v.toLowerCase()),
};

function compare(node: Extract<Node, { kind: "compare" }>, context: ConditionContext): boolean {
  const op = OPERATORS[node.operator];
  if (op === undefined) throw new ConditionSyntaxError(`unknown operator ${node.operator}`);
  const attrs = context.attributes[node.attribute] ?? [];
  const anyValue = (a: string) => node.values.some((v) => op(a, v));
  const allValues = (a: string) => node.values.every((v) => op(a, v));
  // Learn "condition format and syntax", Cross product comparison operators. Without a quantifier a
  // single-valued attribute is compared with each value (as ForAnyOfAnyValues). An attribute the request
  // does not carry has no values: the ForAnyOf forms are then false, the ForAllOf forms vacuously true.
  switch (node.quantifier) {
    case "ForAllOfAnyValues":
      return attrs.every(anyValue);
    case "ForAnyOfAllValues":
      return attrs.some(allValues);
    case "ForAllOfAllValues":
      return attrs.every(allValues);
    default:
      return attrs.some(anyValue);
  }
}

function evaluate(node: Node, context: ConditionContext): boolean {
  switch (node.kind) {
    case "and":
      return evaluate(node.left, context) && evaluate(node.right, context);
    case "or":
      return evaluate(node.left, context) || evaluate(node.right, context);
    case "not":
      return !evaluate(node.inner, context);
    case "action":
      // Sub-operations belong to data actions, which the twin never authorises.
      return node.operator === "ActionMatches" && node.patterns.some((p) => wildcard(p, context.action));
    case "compare":
      return compare(node, context);
  }
}

/** Whether a role assignment's condition lets this request through (no condition: it does). */
export function conditionAllows(condition: string | undefined, context: ConditionContext): boolean {
  if (condition === undefined || condition.trim() === "") return true;
  return evaluate(parseCondition(condition), context);
}

/** The role assignment attributes a request (`@Request`) or an existing assignment (`@Resource`) carries. */
export function roleAssignmentAttributes(
  source: "@Request" | "@Resource",
  properties: { roleDefinitionId?: unknown; principalId?: unknown; principalType?: unknown },
): Record<string, string[]> {
  const attrs: Record<string, string[]> = {};
  for (const [name, value] of [
    ["RoleDefinitionId", properties.roleDefinitionId],
    ["PrincipalId", properties.principalId],
    ["PrincipalType", properties.principalType],
  ] as const) {
    if (typeof value === "string" && value !== "")
      attrs[`${source}[Microsoft.Authorization/roleAssignments:${name}]`] = [value];
  }
  return attrs;
}

const EXAMPLES = 'Learn "Examples to delegate Azure role assignment management with conditions"';
const TEST = "test/arm/condition.test.ts";
models({
  class: "arm-authorization",
  behaviour:
    "ABAC conditions are parsed and evaluated (AND, OR, NOT, ActionMatches, the four cross-product quantifiers, " +
    "GUID and string operators) for every action a conditioned role assignment grants",
  source: 'Learn "Azure role assignment condition format and syntax"',
  test: `${TEST} › evaluates the examples' forms: constrain roles, roles and principal types, principals`,
});
models({
  class: "arm-authorization",
  behaviour:
    "Constrain roles and principal types: @Request PrincipalType must be listed, and a request without " +
    "principalType carries none, so it is refused",
  source: `${EXAMPLES}, Example: Constrain roles and principal types`,
  test: `${TEST} › refuses an assignment whose request names no principal type when the condition constrains it`,
});
models({
  class: "arm-authorization",
  behaviour:
    "Allow most roles but not others: ForAnyOfAllValues:GuidNotEquals refuses the listed roles (Owner, UAA, " +
    "RBAC Admin)",
  source: `${EXAMPLES}, Example: Allow most roles, but don't allow others to assign roles`,
  test: `${TEST} › ForAnyOfAllValues:GuidNotEquals refuses the excluded roles and allows the rest`,
});
models({
  class: "arm-authorization",
  behaviour: "a delete is judged on the @Resource attributes of the assignment being deleted",
  source: 'Learn "Authorization actions and attributes", Delete a role assignment: Resource attributes',
  test: `${TEST} › judges a delete on the existing assignment's attributes`,
});
