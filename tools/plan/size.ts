// How big a stack the offline plan can take in memory. The program declares every resource
// synchronously, so a config that is too large runs V8 out of heap before any hook could count
// registrations: the plan estimates the count from the config first and refuses in one line.

/**
 * The most resources `npm run plan` takes on. Measured on 2 cores / 24 GiB with Node 22's
 * default heap limit (4,144 MB there): 10,162 resources planned at 3.97 GB max RSS, 12,162 ran
 * out of memory (docs/performance.md, "Largest plan"). The estimate below is an upper bound, so
 * this leaves a margin.
 */
export const MAX_PLAN_RESOURCES = 9_000;

/** The most bytes a stack file may have: far above any plannable config, far below the heap. */
export const MAX_STACK_FILE_BYTES = 16 * 1024 * 1024;

// Resources each config entry declares, at most (counted from plans of one-entry configs; the
// test in test/tools/plan/size.test.ts keeps the estimate at or above the real count).
const BASE = 4; // Hosting: component, resource group, plan; Container Apps environment
const CALLEE: Readonly<Record<string, number>> = { appService: 8, functionApp: 12, containerApp: 6 };
const CALLER: Readonly<Record<string, number>> = { appService: 4, functionApp: 8, containerApp: 4, external: 1 };
const PER_CALL = 2; // AppRoleGrant component + AppRoleAssignment
const HEAVIEST = 12;

function list(value: string | undefined): unknown[] {
  if (value === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function object(value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function field(entry: unknown, key: string): unknown {
  return typeof entry === "object" && entry !== null && Object.hasOwn(entry, key)
    ? (entry as Record<string, unknown>)[key]
    : undefined;
}

function count(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/**
 * An upper bound of the resources the program declares for this config (namespaced keys to
 * the strings a program reads). Tolerates any shape: validation comes later, in the program.
 */
export function estimateResources(project: string, config: Readonly<Record<string, string>>): number {
  const callees = list(config[`${project}:callees`]);
  const callers = list(config[`${project}:callers`]);
  const calleeNames = new Set(callees.map((c) => field(c, "name")));
  const host = (entry: unknown, fallback = "appService") => {
    const h = field(entry, "host");
    return typeof h === "string" ? h : fallback;
  };
  let total = BASE;
  for (const c of callees) total += CALLEE[host(c)] ?? HEAVIEST;
  for (const c of callers) {
    if (!calleeNames.has(field(c, "name"))) total += CALLER[host(c)] ?? HEAVIEST;
    total += PER_CALL * count(field(c, "calls"));
  }
  const dev = object(config[`${project}:devAccess`]);
  // Every callee gets its own developer access: a component, a pre-authorization per client,
  // a grant (component + assignment) per user and group.
  if (Object.keys(dev).length > 0)
    total += callees.length * (1 + count(dev["authorizedClients"]) + 2 * (count(dev["users"]) + count(dev["groups"])));
  const ci = object(config[`${project}:ciAccess`]);
  if (Object.keys(ci).length > 0) total += 3 + count(ci["subjects"]) + PER_CALL * count(ci["calls"]);
  return total;
}

/** One line when the config is too large to plan, naming the limit; undefined otherwise. */
export function sizeProblem(
  stack: string,
  project: string,
  config: Readonly<Record<string, string>>,
): string | undefined {
  const estimate = estimateResources(project, config);
  if (estimate <= MAX_PLAN_RESOURCES) return undefined;
  return (
    `stack "${stack}": the config declares about ${estimate.toLocaleString("en-US")} resources; the offline plan ` +
    `handles at most ` +
    `${MAX_PLAN_RESOURCES.toLocaleString("en-US")} in memory (docs/performance.md): split the services over ` +
    `several stacks`
  );
}
