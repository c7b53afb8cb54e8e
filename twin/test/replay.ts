// Replays an offline plan (`npm run plan -- --json`) against the twin, as the engine would run the
// program: each custom resource in registration order (a resource can only use outputs of resources
// made before it), placeholders `${<urn>#<path>}` and `${invoke:<token>(<args>)#<path>}` resolved from
// what the twin answered, then everything deleted in reverse order.
import { readFileSync } from "node:fs";
import type { Provider } from "@pulumi/pulumi/provider/index.js";
import type { Json, JsonObject } from "../src/state.ts";

interface PlanStep {
  urn: string;
  newState: { type: string; custom: boolean; inputs: JsonObject };
}

export interface Created {
  urn: string;
  type: string;
  id: string;
  inputs: JsonObject;
  outs: JsonObject;
}

function get(value: Json | undefined, path: string): Json | undefined {
  let node = value;
  for (const key of path.split("."))
    node = typeof node === "object" && node !== null && !Array.isArray(node) ? node[key] : undefined;
  return node;
}

/** The end of the placeholder opened at `start` (which points at "${"). */
function closing(text: string, start: number): number {
  // Invoke arguments are JSON objects inside the placeholder, so every brace counts.
  let depth = 0;
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  throw new Error(`unbalanced placeholder in ${text}`);
}

export class Replay {
  readonly created: Created[] = [];
  private readonly outs = new Map<string, JsonObject>();
  private readonly providers: { arm: Provider; graph: Provider };
  constructor(providers: { arm: Provider; graph: Provider }) {
    this.providers = providers;
  }

  private provider(token: string): Provider {
    return token.startsWith("azuread:") ? this.providers.graph : this.providers.arm;
  }

  private async placeholder(body: string): Promise<Json | undefined> {
    const hash = body.lastIndexOf("#");
    const [ref, path] = [body.slice(0, hash), body.slice(hash + 1)];
    if (ref.startsWith("invoke:")) {
      const open = ref.indexOf("(");
      const token = ref.slice("invoke:".length, open);
      const args = JSON.parse(String(await this.resolveString(ref.slice(open + 1, -1)))) as JsonObject;
      const result = await this.provider(token).invoke!(token, args);
      return get(result.outputs as JsonObject, path);
    }
    const outs = this.outs.get(ref);
    if (outs === undefined) throw new Error(`${ref} is used before it is created`);
    return path === "id" ? this.created.find((c) => c.urn === ref)!.id : get(outs, path);
  }

  private async resolveString(text: string): Promise<Json | undefined> {
    const start = text.indexOf("${");
    if (start < 0) return text;
    const end = closing(text, start);
    if (start === 0 && end === text.length - 1) return this.placeholder(text.slice(2, -1));
    const value = await this.placeholder(text.slice(start + 2, end));
    return `${text.slice(0, start)}${String(value)}${String(await this.resolveString(text.slice(end + 1)))}`;
  }

  async resolve(value: Json): Promise<Json> {
    if (typeof value === "string") return (await this.resolveString(value)) ?? null;
    if (Array.isArray(value)) return Promise.all(value.map((v) => this.resolve(v)));
    if (value !== null && typeof value === "object") {
      const entries = await Promise.all(
        Object.entries(value).map(async ([k, v]) => [k, await this.resolve(v)] as const),
      );
      return Object.fromEntries(entries);
    }
    return value;
  }

  async up(planFile: string): Promise<void> {
    const plan = JSON.parse(readFileSync(planFile, "utf8")) as { steps: PlanStep[] };
    for (const step of plan.steps.filter((s) => s.newState.custom)) {
      const provider = this.provider(step.newState.type);
      const inputs = (await this.resolve(step.newState.inputs)) as JsonObject;
      const checked = (await provider.check!(step.urn, {}, inputs)).inputs as JsonObject;
      let made;
      try {
        made = await provider.create!(step.urn, checked);
      } catch (err) {
        throw new Error(`${step.urn}: ${(err as Error).message}`, { cause: err });
      }
      this.outs.set(step.urn, made.outs as JsonObject);
      this.created.push({
        urn: step.urn,
        type: step.newState.type,
        id: made.id,
        inputs: checked,
        outs: made.outs as JsonObject,
      });
    }
    this.steps = plan.steps;
  }

  private steps: PlanStep[] = [];

  /** A second `up` of the same program: the URNs whose diff reports changes (none, when the twin converges). */
  async changed(): Promise<string[]> {
    const changed: string[] = [];
    for (const c of this.created) {
      const step = this.steps.find((s) => s.urn === c.urn)!;
      const provider = this.provider(c.type);
      const inputs = (await this.resolve(step.newState.inputs)) as JsonObject;
      const checked = (await provider.check!(c.urn, c.inputs, inputs)).inputs as JsonObject;
      const read = await provider.read!(c.id, c.urn, c.outs);
      const diff = await provider.diff!(c.id, c.urn, read.props, checked);
      if (diff.changes !== false) changed.push(c.urn);
    }
    return changed;
  }

  async destroy(): Promise<void> {
    for (const c of [...this.created].reverse()) {
      try {
        await this.provider(c.type).delete!(c.id, c.urn, c.outs);
      } catch (err) {
        throw new Error(`${c.urn}: ${(err as Error).message}`, { cause: err });
      }
    }
  }
}
