// The placeholder grammar, made and parsed here only. Values that exist only after deployment
// are written as `${<source>#<path>}`: the source is the URN of the resource that produces them,
// or `invoke:<token>(<args>)` for a data source, and the path says which output. Keeping the
// source in the string lets a reader (and the access matrix, and the rules) trace every such
// value back to where it comes from.
import { sortedByCodeUnits } from "./compare.ts";

/** Where a deploy-time value comes from. */
export type Reference =
  | { kind: "resource"; urn: string; path: string; raw: string }
  | { kind: "invoke"; token: string; args: unknown; path: string; raw: string };

/** The placeholder for output `path` of `source` (a URN or `invoke:…`). */
export function placeholder(source: string, path: string): string {
  return `\${${source}#${path}}`;
}

/** The placeholder source of a data-source call: `invoke:<token>(<canonical JSON args>)`. */
export function invokeSource(token: string, args: unknown): string {
  return `invoke:${token}(${canonicalJson(args)})`;
}

/** JSON with object keys sorted at every level, so equal values always print the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** A copy of `value` whose objects have their keys in sorted order. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of sortedByCodeUnits(Object.keys(value))) {
      if (value[key] !== undefined) out[key] = sortKeys(value[key]);
    }
    return out;
  }
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Every placeholder in a string, outermost first. Braces are matched, so a placeholder may
 * contain others (an invoke whose arguments are themselves deploy-time values).
 */
export function parseReferences(text: string): Reference[] {
  const refs: Reference[] = [];
  let i = text.indexOf("${");
  while (i >= 0) {
    let depth = 0;
    let end = -1;
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}" && --depth === 0) {
        end = j;
        break;
      }
    }
    if (end < 0) break;
    const ref = parseReference(text.slice(i, end + 1));
    if (ref) refs.push(ref);
    i = text.indexOf("${", end + 1);
  }
  return refs;
}

/** Parses a string that is exactly one placeholder; undefined for anything else. */
export function parseReference(text: string): Reference | undefined {
  if (!text.startsWith("${") || !text.endsWith("}")) return undefined;
  const body = text.slice(2, -1);
  const hash = body.lastIndexOf("#");
  if (hash < 0) return undefined;
  const source = body.slice(0, hash);
  const path = body.slice(hash + 1);
  if (source.startsWith("urn:pulumi:")) return { kind: "resource", urn: source, path, raw: text };
  const call = /^invoke:([^(]+)\((.*)\)$/s.exec(source);
  if (!call) return undefined;
  let args: unknown;
  try {
    args = JSON.parse(call[2]!);
  } catch {
    return undefined;
  }
  return { kind: "invoke", token: call[1]!, args, path, raw: text };
}

/** The resource and output a value stands for, if it is exactly one resource placeholder. */
export function resourceReference(value: unknown): { urn: string; output: string } | undefined {
  if (typeof value !== "string") return undefined;
  const ref = parseReference(value);
  return ref?.kind === "resource" && ref.path !== "" ? { urn: ref.urn, output: ref.path } : undefined;
}

/** Every URN a value refers to through placeholders, including inside invoke arguments. */
export function referencedUrns(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === "string") {
    for (const ref of parseReferences(value)) {
      if (ref.kind === "resource") into.add(ref.urn);
      else referencedUrns(ref.args, into);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) referencedUrns(v, into);
  } else if (isPlainObject(value)) {
    for (const v of Object.values(value)) referencedUrns(v, into);
  }
  return into;
}
