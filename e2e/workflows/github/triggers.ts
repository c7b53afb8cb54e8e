// Which workflows an event starts, read from their `on:` as GitHub reads it. act runs whatever
// file it is given whatever its `types:` and `branches:` say, so the harness decides here, and a
// workflow whose trigger is widened or narrowed is run (or not) as it would be on GitHub.
import type { Workflow } from "./facts.ts";

/** An event as the `on:` filters see it. */
export interface Trigger {
  name: string;
  /** The activity type (`opened`, `closed`, `completed`, ...), for events that have them. */
  action?: string;
  /**
   * The branch `branches:` filters: the base branch for pull request events, the pushed branch for
   * `push`, the head branch of the triggering run for `workflow_run`.
   */
  branch?: string;
  /** For `workflow_run`: the `name` of the workflow whose run triggered it. */
  workflow?: string;
}

/**
 * Activity types a pull request event starts a workflow for when its `on:` lists none ("Events
 * that trigger workflows", `pull_request` and `pull_request_target`: "By default, a workflow only
 * runs when a pull_request event's activity type is opened, synchronize, or reopened").
 */
const DEFAULT_TYPES: Readonly<Record<string, readonly string[]>> = {
  pull_request: ["opened", "synchronize", "reopened"],
  pull_request_target: ["opened", "synchronize", "reopened"],
};

/** `on:` as a map of event name to its filters (`on: push`, `on: [push, pull_request]` or a map). */
export function eventsOf(workflow: Workflow): Record<string, Record<string, unknown>> {
  const on = workflow.on;
  if (typeof on === "string") return { [on]: {} };
  if (Array.isArray(on)) return Object.fromEntries(on.map((name: string) => [name, {}]));
  if (on === null || typeof on !== "object") return {};
  return Object.fromEntries(
    Object.entries(on as Record<string, unknown>).map(([name, filters]) => [
      name,
      // `schedule:` is a list of crons, not filters.
      filters !== null && typeof filters === "object" && !Array.isArray(filters)
        ? (filters as Record<string, unknown>)
        : {},
    ]),
  );
}

/**
 * A branch filter pattern as a regular expression ("Workflow syntax", "Filter pattern cheat
 * sheet"): `*` matches any characters but `/`, `**` any characters, `?` zero or one of the
 * preceding character, `+` one or more of it; other characters match themselves.
 */
export function branchPattern(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?" || c === "+") source += c;
    else source += c.replace(/[.^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

const list = (value: unknown): string[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value.map(String) : [String(value)];

/**
 * `branches:` and `branches-ignore:`; patterns starting with `!` exclude what an earlier pattern
 * matched, a later positive one includes it again ("Using filters", "Including and excluding
 * branches").
 */
function branchAllowed(filters: Record<string, unknown>, branch: string | undefined): boolean {
  const include = list(filters["branches"]);
  const ignore = list(filters["branches-ignore"]);
  if (include === undefined && ignore === undefined) return true;
  if (branch === undefined) return false;
  if (ignore !== undefined) return !ignore.some((p) => branchPattern(p).test(branch));
  let allowed = false;
  for (const p of include!) {
    if (p.startsWith("!")) {
      if (branchPattern(p.slice(1)).test(branch)) allowed = false;
    } else if (branchPattern(p).test(branch)) allowed = true;
  }
  return allowed;
}

/** Whether `event` starts `workflow`. */
export function startsWorkflow(workflow: Workflow, event: Trigger): boolean {
  const filters = eventsOf(workflow)[event.name];
  if (filters === undefined) return false;
  const types = list(filters["types"]) ?? DEFAULT_TYPES[event.name];
  if (types !== undefined && (event.action === undefined || !types.includes(event.action))) return false;
  if (event.name === "workflow_run") {
    // "workflows": the `name` of the workflows whose runs trigger this one.
    const names = list(filters["workflows"]) ?? [];
    if (event.workflow === undefined || !names.includes(event.workflow)) return false;
  }
  return branchAllowed(filters, event.branch);
}
