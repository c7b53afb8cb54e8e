/**
 * One Pulumi resource provider built from a table of type token → handler, served by
 * `@pulumi/pulumi/provider` (which speaks the engine's gRPC protocol and prints its port).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type {
  CheckFailure,
  CheckResult,
  DiffResult,
  InvokeResult,
  Provider,
  ReadResult,
} from "@pulumi/pulumi/provider/index.js";
import { timeScale } from "./clock.ts";
import { type RetryPolicy, withFaults } from "./faults.ts";
import { type ProviderConfig, providerConfig } from "./session.ts";
import {
  type Json,
  type JsonObject,
  type TwinState,
  type TwinWorld,
  UNKNOWN,
  isObject,
  readWorld,
  withWorld,
} from "./state.ts";

/**
 * A resource type's handler. `S` is what it works on: one tenant as the signed-in identity sees it for
 * the Azure plugins, GitHub for the GitHub plugin.
 */
export interface ResourceHandler<S = TwinState> {
  /** Input properties whose change the real provider answers with a replacement. */
  readonly replaceOn: readonly string[];
  /** Inputs a refresh keeps as they were: path parameters, which name the resource rather than describe it. */
  readonly keepOnRead?: readonly string[];
  /** The real provider's check step: defaults and auto-names, from the previous inputs when there are any. */
  check?(news: JsonObject, olds: JsonObject, name: string): JsonObject;
  /**
   * The provider's own validation of the checked inputs, before any call (azuread: the Terraform schema's
   * validators and CustomizeDiff): the failures the engine reports against the resource. Unknown values
   * (a preview) are left alone.
   */
  validate?(inputs: JsonObject): CheckFailure[];
  create(state: S, inputs: JsonObject): { id: string; outs: JsonObject };
  /** The resource as the cloud has it now, or undefined when it is gone. */
  read(state: S, id: string, outs: JsonObject): JsonObject | undefined;
  /**
   * The inputs that would make the resource as it is (`pulumi import`, where the engine knows none):
   * without it, the outputs (as the Terraform bridge behind azuread derives an import's inputs from
   * the state it read).
   */
  importInputs?(state: S, id: string, outs: JsonObject): JsonObject;
  update(state: S, id: string, news: JsonObject, outs: JsonObject): JsonObject;
  delete(state: S, id: string, outs: JsonObject): void;
  /**
   * What a preview of create (no `id`) or update shows, changing nothing: values the cloud computes are
   * unknown, as the real providers report them. Without it a preview shows the inputs (over the old outputs).
   */
  preview?(state: S, inputs: JsonObject, id?: string): JsonObject;
}

export type InvokeHandler<S = TwinState> = (state: S, args: JsonObject) => JsonObject;

export interface PackageTable<S = TwinState> {
  /** The package the plugin answers as, at the version package.json pins (the engine asks for exactly these). */
  readonly name: string;
  readonly version: string;
  readonly resources: Readonly<Record<string, ResourceHandler<S>>>;
  readonly invokes: Readonly<Record<string, InvokeHandler<S>>>;
  /**
   * Whether the provider keeps its inputs in the state as a secret `__inputs` (azure-native does, in
   * `checkpointObject`, pulumi-azure-native provider/pkg/provider/provider.go; the Terraform bridge behind
   * azuread does not, so azuread diffs against the outputs, which carry every input attribute).
   */
  readonly keepInputs: boolean;
  /** How the real provider's HTTP client retries throttling and server errors (twin/src/faults.ts). */
  readonly retry: RetryPolicy;
  /**
   * What the handlers work on, from the world and the provider's configuration: the signed-in identity's
   * view of its tenant (twin/src/session.ts), or GitHub as the configured owner. Throws the provider's
   * error when it cannot sign in.
   */
  session(world: TwinWorld, config: ProviderConfig): S;
  /** Whether the real provider signs in while it configures (azuread) rather than on its first request. */
  readonly signsInAtConfigure?: boolean;
}

/** A twin provider: the SDK's interface, and Configure with the engine's variables (twin/src/serve.ts). */
export interface TwinProvider extends Provider {
  configure(variables: Readonly<Record<string, string>>): void;
}

/**
 * Thrown by a handler for what the real provider retries on eventual consistency (azuread's RetryFunc): the
 * call is tried again after `modelledMs` of the twin's time (twin/src/clock.ts), outside the state's lock,
 * until `timeoutMs` of modelled time has passed; then `giveUp` is the failure.
 */
export class RetryLater extends Error {
  readonly modelledMs: number;
  readonly timeoutMs: number;
  readonly giveUp: Error;
  constructor(modelledMs: number, timeoutMs: number, giveUp: Error) {
    super(giveUp.message);
    this.modelledMs = modelledMs;
    this.timeoutMs = timeoutMs;
    this.giveUp = giveUp;
  }
}

/** Runs `call`, waiting and retrying while it asks to (RetryLater). */
async function retryingConsistency<T>(call: () => Promise<T>): Promise<T> {
  let waited = 0;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof RetryLater)) throw err;
      const wait = Math.min(err.modelledMs, err.timeoutMs - waited);
      if (wait <= 0) throw err.giveUp;
      waited += wait;
      await new Promise((resolve) => setTimeout(resolve, wait * timeScale()));
    }
  }
}

/** The old inputs of the Read being served, when the engine sent them (twin/src/serve.ts). */
export const readInputs = new AsyncLocalStorage<JsonObject | undefined>();
/** Whether the Create or Update being served is a preview (twin/src/serve.ts). */
export const previewing = new AsyncLocalStorage<boolean>();

/** Pulumi's wire form of a secret (pulumi/sdk `rpc.specialSigKey`, `specialSecretSig`). */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

/** Secrets unwrapped: the cloud sees plain values. */
export function plain(value: unknown): Json {
  if (Array.isArray(value)) return value.map(plain);
  if (isObject(value)) {
    if (value[SIG] === SECRET) return plain(value.value);
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, plain(v)]),
    );
  }
  return (value ?? null) as Json;
}

function hasUnknown(value: Json | undefined): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (isObject(value)) return Object.values(value).some(hasUnknown);
  return false;
}

export function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameJson(a[k], b[k]));
  }
  return false;
}

/**
 * The inputs a refresh reports: each old input replaced by what the cloud now has under the same name,
 * recursively through objects, so drift made behind Pulumi's back shows in the next preview.
 */
export function projectInputs(oldInputs: Json, current: Json | undefined): Json {
  if (current === undefined) return oldInputs;
  if (isObject(oldInputs) && isObject(current)) {
    return Object.fromEntries(Object.entries(oldInputs).map(([k, v]) => [k, projectInputs(v, current[k])]));
  }
  if (Array.isArray(oldInputs) && Array.isArray(current)) {
    return current.map((item, i) =>
      isObject(oldInputs[i]) && isObject(item) ? projectInputs(oldInputs[i]!, item) : item,
    );
  }
  return current;
}

/**
 * Whether every value `news` sets is already what `olds` holds (outputs also carry attributes the program never set).
 */
export function covers(olds: Json | undefined, news: Json | undefined): boolean {
  if (isObject(news)) return isObject(olds) && Object.entries(news).every(([k, v]) => covers(olds[k], v));
  if (Array.isArray(news))
    return Array.isArray(olds) && olds.length === news.length && news.every((v, i) => covers(olds[i], v));
  return sameJson(olds, news);
}

function inputsOf<S>(table: PackageTable<S>, outs: JsonObject): JsonObject {
  if (!table.keepInputs) return outs;
  const kept = outs.__inputs;
  const inner = isObject(kept) && kept[SIG] === SECRET ? kept.value : kept;
  return isObject(inner) ? inner : {};
}

function checkpoint<S>(table: PackageTable<S>, inputs: JsonObject, outs: JsonObject): JsonObject {
  return table.keepInputs ? { ...outs, __inputs: { [SIG]: SECRET, value: inputs } } : outs;
}

export function typeOf(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? "";
}

function nameOf(urn: string): string {
  return urn.split("::")[3] ?? "";
}

export function twinProvider<S>(table: PackageTable<S>): TwinProvider {
  const handler = (urn: string): ResourceHandler<S> => {
    const h = table.resources[typeOf(urn)];
    if (h === undefined) throw new Error(`the Azure twin does not model ${typeOf(urn)} (${urn})`);
    return h;
  };
  // The provider's configuration (the engine sends it once, in Configure); none until then, as in tests.
  let config: ProviderConfig = {};
  /** The session on the current world, read or (under the lock) changed. */
  const reading = (): S => table.session(readWorld(), config);
  const changing = <T>(body: (state: S) => T): T => withWorld((world) => body(table.session(world, config)));
  return {
    configure(variables) {
      config = providerConfig(table.name, variables);
      if (table.signsInAtConfigure === true) reading();
    },
    version: table.version,
    // A schema naming only the package: the engine binds it when asked (`pulumi package get-schema`);
    // the SDKs in node_modules carry the real one.
    schema: JSON.stringify({ name: table.name, version: table.version }),

    async check(urn, olds, news): Promise<CheckResult> {
      const h = handler(urn);
      const inputs = plain(news) as JsonObject;
      const checked = h.check ? h.check(inputs, plain(olds) as JsonObject, nameOf(urn)) : inputs;
      const failures = h.validate?.(checked) ?? [];
      return failures.length > 0 ? { inputs: checked, failures } : { inputs: checked };
    },

    async diff(_id, urn, olds, news): Promise<DiffResult> {
      const h = handler(urn);
      const before = inputsOf(table, plain(olds) as JsonObject);
      const after = plain(news) as JsonObject;
      const same = table.keepInputs ? sameJson : covers;
      const changed = Object.keys(after).filter((k) => hasUnknown(after[k]) || !same(before[k], after[k]));
      if (table.keepInputs) changed.push(...Object.keys(before).filter((k) => !(k in after)));
      const replaces = changed.filter((k) => h.replaceOn.includes(k));
      return { changes: changed.length > 0, replaces };
    },

    async create(urn, inputs) {
      const h = handler(urn);
      const clean = plain(inputs) as JsonObject;
      if (previewing.getStore() === true)
        return { id: "", outs: checkpoint(table, clean, h.preview ? h.preview(reading(), clean) : clean) };
      return retryingConsistency(() =>
        withFaults(
          table.retry,
          "create",
          urn,
          () =>
            changing((state) => {
              const { id, outs } = h.create(state, clean);
              return { id, outs: checkpoint(table, clean, outs) };
            }),
          true,
        ),
      );
    },

    async read(id, urn, props): Promise<ReadResult> {
      const h = handler(urn);
      const old = plain(props ?? {}) as JsonObject;
      const outs = await withFaults(table.retry, "read", urn, () => h.read(reading(), id, old));
      // An empty id tells the engine the resource is gone (pulumi/sdk provider.ReadResult).
      if (outs === undefined) return { id: "", props: {} };
      // An import (`pulumi import`, the `import` option): no state yet. The engine refuses a read that
      // gives it no inputs then ("provider does not support importing resources", pkg/resource/deploy
      // step.go ImportStep).
      if (Object.keys(old).length === 0) {
        const inputs = h.importInputs ? h.importInputs(reading(), id, outs) : outs;
        return { id, props: checkpoint(table, inputs, outs), inputs };
      }
      const sent = readInputs.getStore();
      // Without old inputs (and no `__inputs` to fall back on) there is nothing to project: the engine keeps its own.
      if (!table.keepInputs && sent === undefined) return { id, props: outs };
      const oldInputs = table.keepInputs ? inputsOf(table, old) : sent!;
      const inputs = projectInputs(oldInputs, outs) as JsonObject;
      for (const key of h.keepOnRead ?? []) if (key in oldInputs) inputs[key] = oldInputs[key]!;
      return { id, props: checkpoint(table, inputs, outs), inputs };
    },

    async update(id, urn, olds, news) {
      const h = handler(urn);
      const clean = plain(news) as JsonObject;
      if (previewing.getStore() === true) {
        const { __inputs: _kept, ...before } = plain(olds) as JsonObject;
        return {
          outs: checkpoint(table, clean, h.preview ? h.preview(reading(), clean, id) : { ...before, ...clean }),
        };
      }
      return withFaults(
        table.retry,
        "update",
        urn,
        () =>
          changing((state) => ({
            outs: checkpoint(table, clean, h.update(state, id, clean, plain(olds) as JsonObject)),
          })),
        true,
      );
    },

    async delete(id, urn, props) {
      const h = handler(urn);
      await withFaults(
        table.retry,
        "delete",
        urn,
        () => changing((state) => h.delete(state, id, plain(props) as JsonObject)),
        true,
      );
    },

    async invoke(token, args): Promise<InvokeResult> {
      const fn = table.invokes[token];
      if (fn === undefined) throw new Error(`the Azure twin does not model the function ${token}`);
      return {
        outputs: await withFaults(table.retry, "invoke", `${token} ${JSON.stringify(args)}`, () =>
          fn(reading(), plain(args) as JsonObject),
        ),
      };
    },
  };
}
