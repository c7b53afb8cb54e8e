// Runs a Pulumi program under the SDK's mock runtime and records every resource it registers:
// the one recorder, used by `npm run plan`, the tests (test/fixtures/), the bench and the policy
// tests. Nothing is stubbed per resource type: a value known only after deployment (an id, a
// host name, a principal id, a data-source result) becomes a placeholder naming its source, see
// model/placeholder.ts. Tests that need concrete values pass `stub` instead. The SDK internals
// this needs are all in sdk.ts.
import * as pulumi from "@pulumi/pulumi";
import { invokeSource, isPlainObject, placeholder, type PlannedResource, urnOf } from "../../model/index.ts";
import { reveal, SECRET } from "./placeholders.ts";
import {
  dependenciesOf,
  isSecretWrapper,
  mockMonitor,
  outputPromise,
  rpc,
  sdkRpc,
  type RegisterRequest,
} from "./sdk.ts";

/**
 * Concrete stand-ins for deploy-time values, for tests that follow values through the program:
 * ids are `<name>-id`, each resource's outputs are its inputs plus what `resource` returns, and
 * data sources return what `call` returns. Inputs and outputs are then kept as the program made
 * them (secrets unmasked).
 */
export interface StubbedOutputs {
  resource(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown>;
  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown>;
}

export interface RecordOptions {
  /** Project name, the second part of every URN. */
  project: string;
  stack: string;
  /**
   * Config as the Pulumi CLI hands it to a program: namespaced keys (`s2s-auth:callees`).
   * Strings are passed as they are; other values are passed as JSON text, as the CLI does.
   */
  config: Record<string, unknown>;
  /** Config keys whose values are secrets. */
  secretKeys?: string[];
  /** The program: returns the stack outputs (or a promise of them), like a Pulumi `main`. */
  program: () => unknown;
  /** Run as `pulumi preview` does (`pulumi.runtime.isDryRun()` is true); an update otherwise. */
  preview?: boolean;
  /** Concrete deploy-time values instead of placeholders (tests). */
  stub?: StubbedOutputs;
}

/** One registration: the planned resource and the options only the register request carries. */
export interface RecordedResource extends PlannedResource {
  ignoreChanges: string[];
  /**
   * The URNs the engine makes it wait for, as the SDK sends them: `dependsOn` and every resource
   * an input's value comes from (a component stands for its resources). tools/plan/chain.ts reads them.
   */
  dependencies: string[];
  /** The same, for each input property whose value comes from other resources. */
  propertyDependencies: Record<string, string[]>;
}

export interface Recording {
  project: string;
  stack: string;
  /** Every registration, in the order the program made them. */
  resources: RecordedResource[];
  /** The stack outputs, fully resolved; secret outputs read `[secret]` unless stubbed. */
  outputs: Record<string, unknown>;
  /** What each component passed to `registerOutputs`, by URN. */
  componentOutputs: Map<string, Record<string, unknown>>;
}

// Markers the mocks put in what they return, read back (and removed) by the wrappers below.
const URN_MARKER = "__plan_urn";
const INVOKE_MARKER = "__plan_invoke";

let hooksInstalled = false;
let recording = false;

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const resolveProperties = sdkRpc.resolveProperties;
  // Called with the outputs of a registered resource and a resolver for every output the
  // resource class declares: those the mock did not return become placeholders.
  rpc.resolveProperties = (res, resolvers, t, name, allProps, ...rest) => {
    const urn = allProps[URN_MARKER];
    if (typeof urn === "string") {
      delete allProps[URN_MARKER];
      for (const key of Object.keys(resolvers)) {
        if (key === "id" || key === "urn") continue;
        const value = allProps[key];
        allProps[key] = value === undefined ? placeholder(urn, key) : reveal(urn, key, value);
      }
    }
    resolveProperties(res, resolvers, t, name, allProps, ...rest);
  };
  const deserializeProperties = sdkRpc.deserializeProperties;
  // Called with an invoke's result: the mock returns only a marker; every field the program
  // reads from the result becomes a placeholder naming the call.
  rpc.deserializeProperties = (struct, keepUnknowns) => {
    const props = deserializeProperties(struct, keepUnknowns);
    const source = props[INVOKE_MARKER];
    if (typeof source !== "string") return props;
    delete props[INVOKE_MARKER];
    return reveal(source, "", props) as Record<string, unknown>;
  };
}

/** Inputs as recorded: secrets masked, so a plan never carries one in plain text. */
function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (isPlainObject(value)) {
    if (isSecretWrapper(value)) return SECRET;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v)]));
  }
  return value;
}

/** Resolves once a (possibly nested) output value is known; rejects when the program fails. */
function settle(value: unknown, failed: Promise<never>): Promise<unknown> {
  return Promise.race([outputPromise(value), failed]);
}

async function resolveOutputs(
  value: unknown,
  failed: Promise<never>,
  maskSecrets: boolean,
): Promise<Record<string, unknown>> {
  const resolved = await settle(value, failed);
  if (!isPlainObject(resolved)) return {};
  if (!maskSecrets) return resolved;
  const outputs: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(resolved)) {
    if (v === undefined) continue;
    // A secret anywhere inside an output makes the whole output secret, as in `pulumi stack output`.
    const secret = isPlainObject(value)
      ? await pulumi.isSecret(pulumi.output(value[key] as pulumi.Input<unknown>))
      : false;
    outputs[key] = secret ? SECRET : v;
  }
  return outputs;
}

/**
 * Runs `program` under Pulumi's mock runtime with the given stack config and returns what it
 * registered. Runs are sequential: the Pulumi runtime is one per process.
 *
 * Parent and protect come from the register request (the mock's resource arguments lack
 * them; protect there already includes what the resource inherits from its parent).
 */
export async function recordProgram(options: RecordOptions): Promise<Recording> {
  if (recording)
    throw new Error("recordProgram: another recording is in progress (the Pulumi runtime is one per process)");
  recording = true;
  installHooks();
  // The SDK captures a stack trace for every promise it makes (runtime/debuggable.js), only to
  // report leaked ones; that is a fifth of a recording. A failing program's error keeps its
  // message, which is what the plan prints; the SDK's own source positions raise the limit
  // themselves (Resource.callsites).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const { project, stack, stub } = options;
  const resources: RecordedResource[] = [];
  const componentOutputs = new Map<string, Record<string, unknown>>();
  let pending: RegisterRequest | undefined;
  let failure: (err: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (failure = reject));
  failed.catch(() => {}); // observed through settle(); this keeps Node from reporting it twice
  const onRejection = (reason: unknown) => failure(reason);
  process.on("unhandledRejection", onRejection);
  try {
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          // MockMonitor.registerResource calls this synchronously with its request in `pending`.
          const req = pending;
          if (!req && args.id !== undefined) {
            throw new Error(
              `the offline plan cannot read existing resources (${args.type} "${args.name}" is read with .get())`,
            );
          }
          if (!req || req.getType() !== args.type || req.getName() !== args.name) {
            throw new Error(
              `recordProgram: no register request for ${args.type} ${args.name} (unsupported SDK change?)`,
            );
          }
          const parent = req.getParent();
          const urn = urnOf(project, stack, parent, args.type, args.name);
          resources.push({
            urn,
            type: args.type,
            name: args.name,
            custom: req.getCustom(),
            parent: parent || undefined,
            protect: req.getProtect(),
            ignoreChanges: req.getIgnorechangesList(),
            ...dependenciesOf(req),
            inputs: stub ? args.inputs : (maskSecrets(args.inputs) as Record<string, unknown>),
          });
          if (stub)
            return {
              id: `${args.name}-id`,
              state: { ...args.inputs, ...stub.resource(args.type, args.name, args.inputs) },
            };
          return { id: req.getCustom() ? placeholder(urn, "id") : undefined, state: { [URN_MARKER]: urn } };
        },
        call(args) {
          return stub ? stub.call(args) : { [INVOKE_MARKER]: invokeSource(args.token, args.inputs) };
        },
      },
      project,
      stack,
      options.preview ?? false,
    );
    // The config store is created by setMocks, so config can only be set after it.
    pulumi.runtime.setAllConfig(
      Object.fromEntries(
        Object.entries(options.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      ),
      options.secretKeys ?? [],
    );
    const monitor = mockMonitor();
    monitor.newUrn = (parent, type, name) => urnOf(project, stack, parent, type, name);
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
      pending = req;
      try {
        return register(req, cb);
      } finally {
        pending = undefined;
      }
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
      const registered = req.getOutputs();
      if (registered) componentOutputs.set(req.getUrn(), registered.toJavaScript());
      registerOutputs(req, cb);
    };

    const outputs = await resolveOutputs(options.program(), failed, stub === undefined);
    // Registrations the outputs do not depend on may still be in flight.
    await Promise.race([pulumi.runtime.disconnect(), failed]);
    // One of them may have failed (an input that rejected): Node reports that as an unhandled
    // rejection once the current microtasks are done. Wait for that turn while still listening,
    // so it fails the recording rather than the process after the recording succeeded.
    await Promise.race([new Promise((resolve) => setImmediate(resolve)), failed]);
    return { project, stack, resources, outputs, componentOutputs };
  } catch (err) {
    // A failed output leaves the SDK's own promises rejected; Node reports those after the
    // current microtasks, so keep listening until then, or they would crash the process.
    await new Promise((resolve) => setImmediate(resolve));
    throw err;
  } finally {
    process.off("unhandledRejection", onRejection);
    Error.stackTraceLimit = stackTraceLimit;
    recording = false;
  }
}
