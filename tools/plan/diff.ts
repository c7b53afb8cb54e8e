// Compares two plan documents (e.g. the base and the head of a PR): resources added, removed
// and changed, and access granted and revoked.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { isPlainObject, RESOURCE_TYPE, sortedByCodeUnits, urnName } from "../../model/index.ts";
import { resolveEnvironment } from "../../model/environment.ts";
import type { AccessEntry } from "./access.ts";
import type { PlanDocument, PlanStep } from "./document.ts";
import { codeCell, codeSpan } from "./markdown.ts";
import { joinPath } from "./placeholders.ts";
import { accessMarkdown, shortenAll } from "./render.ts";

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
}

/** One input that differs: where, and its value on each side (undefined where it is absent). */
export interface InputChange {
  /** E.g. `siteConfig.minTlsVersion`, `appRoles[0].allowedMemberTypes[1]`. */
  path: string;
  from: unknown;
  to: unknown;
}

export interface ChangedResource extends ResourceChange {
  /** The inputs whose value differs, down to the first differing value, with both values. */
  changes: InputChange[];
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

/** Where (under `path`) `a` and `b` differ, down to the first differing value, with both values. */
export function changedInputs(a: unknown, b: unknown, path = ""): InputChange[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: InputChange[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changedInputs(a[i], b[i], joinPath(path, i)));
    return out;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = sortedByCodeUnits(new Set([...Object.keys(a), ...Object.keys(b)]));
    return keys.flatMap((k) => changedInputs(a[k], b[k], joinPath(path, k)));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: path === "" ? "(value)" : path, from: a, to: b }];
}

function describe(step: PlanStep): ResourceChange {
  return { urn: step.urn, type: step.newState.type, name: urnName(step.urn) };
}

function accessKey(a: AccessEntry): string {
  return JSON.stringify([a.callee, a.principal, a.principalType, a.role]);
}

export function diffPlans(base: PlanDocument, head: PlanDocument): PlanDiff {
  // The root stack is named after its stack; it is the same resource in both plans.
  const key = (step: PlanStep, doc: PlanDocument) =>
    step.newState.type === RESOURCE_TYPE.stack ? RESOURCE_TYPE.stack : (withoutStack(step.urn, doc) as string);
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
    const changes = changedInputs(withoutStack(b.newState.inputs, base), withoutStack(h.newState.inputs, head));
    const protect =
      b.newState.protect !== h.newState.protect ? { from: b.newState.protect, to: h.newState.protect } : undefined;
    if (changes.length > 0 || protect) changed.push({ ...describe(h), changes, ...(protect && { protect }) });
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

/**
 * Values longer than this are shortened in the text and the comment (the plan JSON holds them
 * whole): a changed app role description or certificate must not push the access rows out.
 */
export const LONGEST_VALUE = 80;

/** A changed input's value as a reviewer reads it: JSON, placeholders named by their resource, shortened when long. */
export function shownValue(value: unknown): { text: string; shortened: boolean } {
  if (value === undefined) return { text: "(none)", shortened: false };
  const chars = [...JSON.stringify(shortenAll(value))];
  if (chars.length <= LONGEST_VALUE) return { text: chars.join(""), shortened: false };
  return { text: `${chars.slice(0, 55).join("")}…${chars.slice(-20).join("")}`, shortened: true };
}

const SHORTENED_NOTE = `values over ${LONGEST_VALUE} characters are shortened with "…"`;

function anyShortened(changes: readonly ChangedResource[]): boolean {
  return changes.some((c) => c.changes.some((i) => shownValue(i.from).shortened || shownValue(i.to).shortened));
}

/** What changed on a resource, one line each: `protect false → true`, `path: old → new`. */
function changeLines(c: ChangedResource): string[] {
  return [
    ...(c.protect ? [`protect ${c.protect.from} → ${c.protect.to}`] : []),
    ...c.changes.map((i) => `${i.path}: ${shownValue(i.from).text} → ${shownValue(i.to).text}`),
  ];
}

/** The same for a table cell: the renderer's words in Markdown, each path and value a code span. */
function changeCell(c: ChangedResource): string {
  const value = (v: unknown) => (v === undefined ? "(none)" : codeCell(shownValue(v).text));
  return [
    ...(c.protect ? [`protect ${c.protect.from} → ${c.protect.to}`] : []),
    ...c.changes.map((i) => `${codeCell(i.path)}: ${value(i.from)} → ${value(i.to)}`),
  ].join("; ");
}

/** True when the head is a prod stack and the change lets someone new obtain a token. */
export function grantsProdAccess(diff: PlanDiff): boolean {
  return diff.head.environment === "prod" && diff.granted.length > 0;
}

export function renderDiffText(diff: PlanDiff): string {
  // What a reviewer must not miss comes first, as in the PR comment.
  const warnings = [
    ...(grantsProdAccess(diff) ? [`WARNING: this change grants new access in prod (stack ${diff.head.stack}).`] : []),
    ...(diff.head.environment === "prod" && diff.revoked.length > 0
      ? [`WARNING: this change revokes access in prod (stack ${diff.head.stack}).`]
      : []),
  ];
  const out = [
    `Plan diff for ${diff.project}, ${title(diff)}`,
    "",
    ...(warnings.length > 0 ? [...warnings, ""] : []),
    `Access: ${diff.granted.length} granted, ${diff.revoked.length} revoked`,
    ...diff.granted.map((a) => `  + ${a.callee} ← ${a.principal} (${a.principalType}) as ${a.role}`),
    ...diff.revoked.map((a) => `  - ${a.callee} ← ${a.principal} (${a.principalType}) as ${a.role}`),
    "",
    `Resources: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`,
    ...diff.added.map((r) => `  + ${r.type}  ${r.name}`),
    ...diff.removed.map((r) => `  - ${r.type}  ${r.name}`),
    ...diff.changed.flatMap((r) => [`  ~ ${r.type}  ${r.name}`, ...changeLines(r).map((l) => `      ${l}`)]),
    ...(anyShortened(diff.changed) ? ["", `(${SHORTENED_NOTE}; the plan JSON files hold them whole)`] : []),
  ];
  return `${out.join("\n")}\n`;
}

/**
 * GitHub refuses a comment body over 65,536 characters ("Body is too long (maximum is 65536
 * characters)", the REST API's 422 for issue comments). The comment stays under this, with room
 * for a workflow to add a marker line.
 */
export const COMMENT_LIMIT = 65_536;
/**
 * One diff's share: the CI posts the dev and the prod diff in one comment (ci.yml), so each
 * takes at most under half of it and a large dev diff can never push the prod one out.
 */
export const COMMENT_BUDGET = 30_000;

export interface DiffMarkdownOptions {
  /** Where the full plans are when the comment is cut (the workflow's artifact). */
  fullPlan?: string;
  /** Characters the comment may take; {@link COMMENT_BUDGET} by default. */
  budget?: number;
}

/** The prod warnings a reviewer must not miss, one Markdown alert each. */
function prodWarnings(diff: PlanDiff): string[] {
  if (diff.head.environment !== "prod") return [];
  const out: string[] = [];
  const alert = (kind: "WARNING" | "CAUTION", text: string) => out.push(`> [!${kind}]`, `> ${text}`, "");
  const n = (count: number, what: string) => `${count} ${what}${count === 1 ? "" : "s"}`;
  const stack = `stack ${codeSpan(diff.head.stack)}`;
  if (diff.granted.length > 0)
    alert(
      "WARNING",
      `**This change grants new access in \`prod\`** (${n(diff.granted.length, "new grant")}, ${stack}).`,
    );
  if (diff.revoked.length > 0)
    alert(
      "WARNING",
      `**This change revokes access in \`prod\`** (${n(diff.revoked.length, "revoked grant")}, ${stack}): ` +
        "callers may start failing.",
    );
  // Deletions are only deletions between two plans of one stack (dev → prod compares stacks).
  if (diff.base.stack !== diff.head.stack) return out;
  const unprotected = diff.changed.filter((c) => c.protect?.to === false).length;
  if (unprotected > 0)
    alert("CAUTION", `**This change removes \`protect\` from ${n(unprotected, "prod resource")}** (${stack}).`);
  if (diff.removed.length > 0)
    alert("CAUTION", `**This change deletes ${n(diff.removed.length, "prod resource")}** (${stack}).`);
  return out;
}

/**
 * The diff as a PR comment body: prod warnings first, then the summary, then access granted
 * and revoked, then resource details. Sections are added in that order while they fit the
 * budget; what does not fit is counted in a closing note that says where the full plan is, so
 * a large diff can never push a prod warning out.
 */
export function renderDiffMarkdown(diff: PlanDiff, options: DiffMarkdownOptions = {}): string {
  const budget = options.budget ?? COMMENT_BUDGET;
  const stacks =
    diff.base.stack === diff.head.stack
      ? `stack ${codeSpan(diff.head.stack)}`
      : `${codeSpan(diff.base.stack)} → ${codeSpan(diff.head.stack)}`;
  const head = [
    `### Offline plan diff: ${codeSpan(diff.project)} ${stacks}`,
    "",
    ...prodWarnings(diff),
    `**Access:** ${diff.granted.length} granted, ${diff.revoked.length} revoked · ` +
      `**Resources:** ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`,
    "",
  ];
  // Each section: a heading, then rows that may be cut; a cut section keeps its heading. Rows are
  // made only when they are shown: a diff of 50,000 resources costs what its 300 shown rows do.
  interface Section {
    title: string;
    /** What a row is, for the note on what was cut. */
    noun: string;
    intro: string[];
    count: number;
    row(i: number): string;
    empty?: string;
  }
  const rowsOf = (rows: string[]) => ({ count: rows.length, row: (i: number) => rows[i]! });
  const resources = [
    ...diff.added.map((r) => ["added", r] as const),
    ...diff.removed.map((r) => ["removed", r] as const),
    ...diff.changed.map((r) => ["changed", r] as const),
  ];
  const resourceRow = ([change, r]: (typeof resources)[number]) =>
    `| ${change} | ${codeCell(r.type)} | ${codeCell(r.name)} | ${change === "changed" ? changeCell(r) : ""} |`;
  const accessHeader = ["| Callee | Principal | Type | Role |", "|---|---|---|---|"];
  const sections: Section[] = [
    {
      title: "#### Access granted",
      noun: "granted access rows",
      intro: accessHeader,
      ...rowsOf(accessMarkdown(diff.granted).slice(2)),
    },
    {
      title: "#### Access revoked",
      noun: "revoked access rows",
      intro: accessHeader,
      ...rowsOf(accessMarkdown(diff.revoked).slice(2)),
    },
    {
      title: "#### Resources",
      noun: "resource rows",
      intro: ["| Change | Type | Name | Changed inputs |", "|---|---|---|---|"],
      count: resources.length,
      row: (i) => resourceRow(resources[i]!),
      empty: "No resource changes.",
    },
  ];
  const fullPlan = options.fullPlan ?? "the plan JSON files this diff compared";
  // Room kept for the closing note, whose numbers are not known yet.
  const shortened = anyShortened(diff.changed);
  const noteRoom = 400 + fullPlan.length + (shortened ? 150 + fullPlan.length : 0);
  const out = [...head];
  if (diff.granted.length + diff.revoked.length === 0) out.push("#### Access", "", "No access changes.", "");
  let size = out.join("\n").length;
  const cut: string[] = [];
  let full = false;
  for (const section of sections) {
    if (section.count === 0) {
      if (section.empty) out.push(section.title, "", section.empty, "");
      continue;
    }
    const lead = [section.title, "", ...section.intro];
    const leadSize = lead.join("\n").length + 1;
    let shown = 0;
    if (!full && size + leadSize + noteRoom <= budget) {
      out.push(...lead);
      size += leadSize;
      for (let i = 0; i < section.count; i++) {
        const row = section.row(i);
        if (size + row.length + 1 + noteRoom > budget) break;
        out.push(row);
        size += row.length + 1;
        shown++;
      }
      out.push("");
    } else out.push(section.title, "");
    if (shown < section.count) {
      full = true;
      cut.push(`${section.count - shown} of ${section.count} ${section.noun}`);
      if (shown === 0) out.push("_Not shown: see the note below._", "");
    }
  }
  if (shortened) out.push("> [!NOTE]", `> Changed inputs: ${SHORTENED_NOTE}; the full plan: ${fullPlan}.`, "");
  if (cut.length > 0) {
    out.push(
      "> [!NOTE]",
      `> **Cut to stay under GitHub's ${COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit:** ` +
        `${cut.join("; ")} not shown. The full plan: ${fullPlan}.`,
      "",
    );
  }
  return out.join("\n");
}

/** Reads a plan file; names the file and the problem in one line otherwise. */
export function readPlanDocument(path: string, file: string = path): PlanDocument {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? "error"})`, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // V8's message quotes the text, line breaks included: keep only where it broke.
    const where = /\(line \d+ column \d+\)/.exec((err as Error).message)?.[0];
    throw new Error(
      `${file}: not valid JSON${where ? ` ${where}` : ""}; write a plan with \`npm run plan -- --json ${file}\``,
      { cause: err },
    );
  }
  return asPlanDocument(value, file);
}

const text = z.string();
const planSchema = z.looseObject({
  project: text,
  stack: text,
  environment: z.unknown().optional(),
  steps: z.array(
    z.looseObject({
      urn: text,
      newState: z.looseObject({ type: text, protect: z.boolean(), inputs: z.record(z.string(), z.unknown()) }),
    }),
  ),
  access: z.array(z.looseObject({ callee: text, principal: text, principalType: text, role: text, grant: text })),
});

/** Checks that a parsed JSON file is a plan document; names the file and the problem otherwise. */
export function asPlanDocument(value: unknown, file: string): PlanDocument {
  const result = planSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const at = issue.path
      .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
      .join("")
      .replace(/^\./, "");
    const problem =
      issue.code === "invalid_type" && issue.input === undefined
        ? "missing"
        : issue.code === "invalid_type"
          ? `not ${article(issue.expected)}`
          : "invalid";
    throw new Error(
      `${file}: not a plan document (${at === "" ? "not an object" : `${at}: ${problem}`}); ` +
        `write one with \`npm run plan -- --json ${file}\``,
    );
  }
  const doc = result.data;
  let environment: PlanDocument["environment"];
  try {
    environment = resolveEnvironment(doc.environment, doc.stack);
  } catch (err) {
    throw new Error(`${file}: not a plan document (${(err as Error).message})`, { cause: err });
  }
  const defaults: Pick<PlanDocument, "outputs" | "diagnostics" | "changeSummary"> = {
    outputs: {},
    diagnostics: [],
    changeSummary: { create: doc.steps.length },
  };
  return Object.assign(defaults, doc as unknown as PlanDocument, { environment });
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
