// index.ts and its components add no wait to a deploy that the data does not need: a callee's
// resources wait for a service that calls it only where they need that caller's identity (its
// grant and the callee's allow-list), so nothing else of a callee waits for all its callers.
// tools/plan/chain.ts measures the chains; docs/performance.md has them per stack.
import { join } from "node:path";
import { RESOURCE_TYPE } from "../../model/index.ts";
import { readStackFiles } from "../../tools/plan/stackConfig.ts";
import { richDevConfig, runProgram, type ProgramRun } from "../fixtures/index.ts";

const ROOT = join(import.meta.dirname, "..", "..");
// What needs a caller's identity: its app role assignment and the callee's EasyAuth allow-list.
const NEEDS_CALLER = new Set<string>([
  RESOURCE_TYPE.appRoleAssignment,
  RESOURCE_TYPE.authSettingsV2,
  RESOURCE_TYPE.containerAppAuth,
]);

/** The top-level component a resource is part of: its service's (or the shared hosting's) name. */
function serviceOf(run: ProgramRun, urn: string): string {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  let r = byUrn.get(urn)!;
  while (r.parent) r = byUrn.get(r.parent)!;
  return r.name;
}

/** Every resource `urn` waits for, directly or through what it waits for. */
function waitsFor(run: ProgramRun, urn: string, into: Set<string> = new Set()): Set<string> {
  for (const dependency of run.resources.find((r) => r.urn === urn)!.dependencies) {
    if (into.has(dependency)) continue;
    into.add(dependency);
    waitsFor(run, dependency, into);
  }
  return into;
}

/** Who calls `callee`, from a stack config (values as the tests pass them, or as JSON text as the CLI does). */
function callersOf(config: Record<string, unknown>, callee: string): Set<string> {
  const value = config["s2s-auth:callers"];
  const callers = (typeof value === "string" ? JSON.parse(value) : value) as {
    name: string;
    calls: { callee: string }[];
  }[];
  return new Set(callers.filter((c) => c.calls.some((call) => call.callee === callee)).map((c) => c.name));
}

const mixed = readStackFiles(ROOT, "mixed", join(ROOT, "examples", "Pulumi.mixed.yaml")).config;

test.each([
  ["dev, two callers of two callees", "dev", richDevConfig()],
  ["the mixed-hosts example, a callee that calls on", "test", mixed],
])("a callee's resources wait for its callers only for their identities (%s)", async (_, stack, config) => {
  const run = await runProgram(stack, config);
  const waiting: string[] = [];
  for (const r of run.resources.filter((r) => r.custom)) {
    const callers = callersOf(config, serviceOf(run, r.urn));
    const onCallers = [...waitsFor(run, r.urn)].filter((urn) => callers.has(serviceOf(run, urn)));
    if (NEEDS_CALLER.has(r.type)) waiting.push(...onCallers);
    else expect({ resource: r.name, waitsForCallers: onCallers }).toEqual({ resource: r.name, waitsForCallers: [] });
  }
  // What is allowed to wait does: the check above is not vacuous.
  expect(waiting.length).toBeGreaterThan(0);
});
