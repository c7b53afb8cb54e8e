// The repository's own stacks (Pulumi.<stack>.yaml) run under mocks, as the policy rules see them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { PlannedResource } from "../../model/index.ts";
import { cachedResources } from "../fixtures/recordingCache.ts";
import type { Registered } from "../fixtures/program.ts";

const ROOT = join(import.meta.dirname, "..", "..");

/** The `config:` map of `Pulumi.<stack>.yaml`, as Pulumi hands it to the program. */
export function stackConfig(stack: string): Record<string, unknown> {
  const doc = parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
  return doc.config ?? {};
}

export function toPlanned(r: Registered): PlannedResource {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    custom: r.custom,
    parent: r.parent || undefined,
    protect: r.protect,
    inputs: r.inputs,
  };
}

/**
 * Runs index.ts under mocks with a config and returns its resources as the rules see them (kept
 * in the recording cache; the SDK is loaded only when a recording is made).
 */
export async function plannedResources(
  stack: string,
  config: Record<string, unknown> = stackConfig(stack),
): Promise<PlannedResource[]> {
  return cachedResources(stack, config, async () => {
    const { runProgram } = await import("../fixtures/program.ts");
    return (await runProgram(stack, config)).resources.map(toPlanned);
  });
}

/** A deep copy whose resources can be looked up by logical name and broken one at a time. */
export class Mutable {
  readonly resources: PlannedResource[];
  constructor(resources: readonly PlannedResource[]) {
    this.resources = structuredClone([...resources]);
  }
  named(name: string): PlannedResource {
    const found = this.resources.filter((r) => r.name === name);
    if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
    return found[0]!;
  }
  remove(name: string): void {
    this.resources.splice(this.resources.indexOf(this.named(name)), 1);
  }
  /**
   * Declares a new resource of `type` beside an existing one: the same parent and protection,
   * its own name, type and inputs, and the URN that follows from them.
   */
  declare(beside: string, name: string, type: string, inputs: Record<string, unknown>): string {
    return this.copy(beside, name, (r) => {
      const [prefix, project, typePath] = r.urn.split("::");
      r.urn = [prefix, project, typePath!.replace(/[^$]+$/, type), name].join("::");
      r.type = type;
      r.inputs = inputs;
    }).name;
  }

  /** Adds a copy of a resource under another name (and URN). */
  copy(name: string, newName: string, change: (r: PlannedResource) => void = () => {}): PlannedResource {
    const original = this.named(name);
    const r = structuredClone(original);
    r.name = newName;
    r.urn = original.urn.replace(/::[^:]+$/, `::${newName}`);
    change(r);
    this.resources.push(r);
    return r;
  }
}

/** Sets a nested input, creating objects on the way. */
export function setIn(target: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let cur: Record<string | number, unknown> = target;
  path.slice(0, -1).forEach((key) => {
    if (cur[key] === null || typeof cur[key] !== "object") cur[key] = {};
    cur = cur[key] as Record<string | number, unknown>;
  });
  const last = path[path.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}
