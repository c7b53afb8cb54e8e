// The engine's resource names, `urn:pulumi:<stack>::<project>::<type chain>::<name>`: made by
// the recorder, read by the plan, the rules' tests and drift. The name may contain `::` only
// in theory (config refuses it), so it is everything after the last `::`.

const PREFIX = "urn:pulumi:";

/**
 * The engine's URN: the type segment is the chain of every ancestor's type, not only the
 * parent's, which is all the SDK's mock monitor uses. A top-level resource has no prefix.
 */
export function urnOf(project: string, stack: string, parentUrn: string, type: string, name: string): string {
  const qualifiedType = parentUrn ? `${urnTypeChain(parentUrn)}$${type}` : type;
  return `${PREFIX}${stack}::${project}::${qualifiedType}::${name}`;
}

/** The root stack resource every preview starts with: `<project>-<stack>`. */
export function rootStackUrn(project: string, stack: string): string {
  return urnOf(project, stack, "", "pulumi:pulumi:Stack", `${project}-${stack}`);
}

/** The logical name: what follows the last `::`. */
export function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The type segment: every ancestor's type and the resource's own, joined by `$`. */
export function urnTypeChain(urn: string): string {
  return urn.split("::")[2] ?? "";
}

/** The resource's own type: the last link of the type chain. */
export function urnType(urn: string): string {
  return urnTypeChain(urn).split("$").pop() ?? "";
}

/** Stack and project of a URN; undefined when it is not one. */
export function urnStackAndProject(urn: string): { stack: string; project: string } | undefined {
  const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  return match ? { stack: match[1]!, project: match[2]! } : undefined;
}
