// Compares two plan documents (e.g. the base and the head of a PR): resources added, removed
// and changed, and access granted and revoked.
import { sortedByCodeUnits } from "../compare.ts";
import type { AccessEntry } from "./access.ts";
import { type PlanDocument, type PlanStep, ROOT_STACK_TYPE } from "./document.ts";
import { isPlainObject, joinPath } from "./placeholders.ts";
import { accessMarkdown, cell } from "./render.ts";

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
}

export interface ChangedResource extends ResourceChange {
  /** Input paths whose value differs, e.g. `siteConfig.minTlsVersion`, `appRoles[0].allowedMemberTypes`. */
  paths: string[];
  /** Set when the protect flag differs. */
  protect?: { from: boolean; to: boolean };
}

export interface PlanDiff {
  project: string;
  base: { stack: string; environment: string };
  head: { stack: string; environment: string };
  added: ResourceChange[];
  removed: ResourceChange[];
  changed: ChangedResource[];
  granted: AccessEntry[];
  revoked: AccessEntry[];
}

/**
 * URNs and placeholders carry the stack name; dropping it lets two stacks (dev vs prod) be
 * compared resource by resource. For two plans of one stack it changes nothing.
 */
function withoutStack(value: unknown, doc: PlanDocument): unknown {
  const prefix = `urn:pulumi:${doc.stack}::${doc.project}::`;
  if (typeof value === "string") return value.split(prefix).join(`urn:pulumi:::${doc.project}::`);
  if (Array.isArray(value)) return value.map((v) => withoutStack(v, doc));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutStack(v, doc)]));
  return value;
}

/** Paths (under `path`) where `a` and `b` differ, down to the first differing value. */
export function changedPaths(a: unknown, b: unknown, path = ""): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changedPaths(a[i], b[i], joinPath(path, i)));
    return out;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = sortedByCodeUnits(new Set([...Object.keys(a), ...Object.keys(b)]));
    return keys.flatMap((k) => changedPaths(a[k], b[k], joinPath(path, k)));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path === "" ? "(value)" : path];
}

function describe(step: PlanStep): ResourceChange {
  return { urn: step.urn, type: step.newState.type, name: step.urn.slice(step.urn.lastIndexOf("::") + 2) };
}

function accessKey(a: AccessEntry): string {
  return JSON.stringify([a.callee, a.principal, a.principalType, a.role]);
}

export function diffPlans(base: PlanDocument, head: PlanDocument): PlanDiff {
  // The root stack is named after its stack; it is the same resource in both plans.
  const key = (step: PlanStep, doc: PlanDocument) => (step.newState.type === ROOT_STACK_TYPE ? ROOT_STACK_TYPE : (withoutStack(step.urn, doc) as string));
  const baseSteps = new Map(base.steps.map((s) => [key(s, base), s]));
  const headSteps = new Map(head.steps.map((s) => [key(s, head), s]));
  const added: ResourceChange[] = [];
  const changed: ChangedResource[] = [];
  for (const [k, h] of headSteps) {
    const b = baseSteps.get(k);
    if (!b) {
      added.push(describe(h));
      continue;
    }
    const paths = changedPaths(withoutStack(b.newState.inputs, base), withoutStack(h.newState.inputs, head));
    const protect = b.newState.protect !== h.newState.protect ? { from: b.newState.protect, to: h.newState.protect } : undefined;
    if (paths.length > 0 || protect) changed.push({ ...describe(h), paths, ...(protect && { protect }) });
  }
  const removed = [...baseSteps].filter(([k]) => !headSteps.has(k)).map(([, s]) => describe(s));
  const baseAccess = new Set(base.access.map(accessKey));
  const headAccess = new Set(head.access.map(accessKey));
  return {
    project: head.project,
    base: { stack: base.stack, environment: base.environment },
    head: { stack: head.stack, environment: head.environment },
    added,
    removed,
    changed,
    granted: head.access.filter((a) => !baseAccess.has(accessKey(a))),
    revoked: base.access.filter((a) => !headAccess.has(accessKey(a))),
  };
}

function title(diff: PlanDiff): string {
  return diff.base.stack === diff.head.stack ? `stack ${diff.head.stack}` : `${diff.base.stack} → ${diff.head.stack}`;
}

function changeNote(c: ChangedResource): string {
  const parts = [...(c.protect ? [`protect ${c.protect.from} → ${c.protect.to}`] : []), ...c.paths];
  return parts.join(", ");
}

/** True when the head is a prod stack and the change lets someone new obtain a token. */
export function grantsProdAccess(diff: PlanDiff): boolean {
  return diff.head.environment === "prod" && diff.granted.length > 0;
}

export function renderDiffText(diff: PlanDiff): string {
  const out = [
    `Plan diff for ${diff.project}, ${title(diff)}`,
    "",
    `Resources: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`,
    ...diff.added.map((r) => `  + ${r.type}  ${r.name}`),
    ...diff.removed.map((r) => `  - ${r.type}  ${r.name}`),
    ...diff.changed.map((r) => `  ~ ${r.type}  ${r.name}  (${changeNote(r)})`),
    "",
    `Access: ${diff.granted.length} granted, ${diff.revoked.length} revoked`,
    ...diff.granted.map((a) => `  + ${a.callee} ← ${a.principal} (${a.principalType}) as ${a.role}`),
    ...diff.revoked.map((a) => `  - ${a.callee} ← ${a.principal} (${a.principalType}) as ${a.role}`),
  ];
  if (grantsProdAccess(diff)) out.push("", `WARNING: this change grants new access in prod (stack ${diff.head.stack}).`);
  return `${out.join("\n")}\n`;
}

/** The diff as a PR comment body. */
export function renderDiffMarkdown(diff: PlanDiff): string {
  const stacks = diff.base.stack === diff.head.stack ? `stack \`${diff.head.stack}\`` : `\`${diff.base.stack}\` → \`${diff.head.stack}\``;
  const out = [`### Offline plan diff: \`${diff.project}\` ${stacks}`, ""];
  if (grantsProdAccess(diff)) {
    out.push(`> [!WARNING]`, `> **This change grants new access in \`prod\`** (${diff.granted.length} new grant${diff.granted.length === 1 ? "" : "s"}, stack \`${diff.head.stack}\`).`, "");
  }
  out.push(
    `**Resources:** ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed · ` +
      `**Access:** ${diff.granted.length} granted, ${diff.revoked.length} revoked`,
    "",
  );
  const resources = [
    ...diff.added.map((r) => ["added", r, ""] as const),
    ...diff.removed.map((r) => ["removed", r, ""] as const),
    ...diff.changed.map((r) => ["changed", r, changeNote(r)] as const),
  ];
  out.push("#### Resources", "");
  if (resources.length === 0) out.push("No resource changes.", "");
  else {
    out.push("| Change | Type | Name | Changed inputs |", "|---|---|---|---|");
    for (const [change, r, note] of resources) out.push(`| ${change} | \`${r.type}\` | ${cell(r.name)} | ${cell(note)} |`);
    out.push("");
  }
  out.push("#### Access", "");
  if (diff.granted.length + diff.revoked.length === 0) out.push("No access changes.", "");
  for (const [label, list] of [["Granted", diff.granted], ["Revoked", diff.revoked]] as const) {
    if (list.length > 0) out.push(`**${label}**`, "", ...accessMarkdown(list), "");
  }
  return out.join("\n");
}

/** Checks that a parsed JSON file is a plan document; names the file and the problem otherwise. */
export function asPlanDocument(value: unknown, file: string): PlanDocument {
  const doc = value as Partial<PlanDocument> | null;
  const missing = ["project", "stack", "steps", "access"].find((k) => doc === null || typeof doc !== "object" || !(k in doc));
  if (missing) throw new Error(`${file}: not a plan document (no "${missing}"); write one with \`npm run plan -- --json ${file}\``);
  if (!Array.isArray(doc!.steps) || !Array.isArray(doc!.access)) throw new Error(`${file}: not a plan document ("steps" and "access" must be lists)`);
  return { environment: doc!.stack as PlanDocument["environment"], outputs: {}, diagnostics: [], changeSummary: { create: doc!.steps.length }, ...doc } as PlanDocument;
}
