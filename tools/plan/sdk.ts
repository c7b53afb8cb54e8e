// The one file that reaches into @pulumi/pulumi's internals once it is loaded (sdkLoading.ts
// prepares the loading), for the recorder (recorder.ts) and the tests' declaration log: the RPC
// module's property (de)serialisers, the resource module's registerResource, the mock monitor's
// register calls and requests (with the dependencies they carry), and `Output.promise()`. None
// of these is public API. Checked against @pulumi/pulumi 3.276.0 (the pinned version);
// test/tools/plan/sdk.test.ts fails loudly when an upgrade changes any of them.
import * as pulumi from "@pulumi/pulumi";
import * as resourceModule from "@pulumi/pulumi/runtime/resource.js";
import * as rpcModule from "@pulumi/pulumi/runtime/rpc.js";

/** The SDK versions this file was checked against. */
export const CHECKED_SDK_VERSIONS: readonly string[] = ["3.276.0"];

/**
 * The SDK's RPC module, whose functions the SDK calls through its exports object: replacing
 * them there is how the recorder sees what it registers and resolves. Under Node's ESM loader
 * the exports object is the namespace's default; under CommonJS it is the namespace.
 */
export interface RpcInternals {
  /** Resolves a registered resource's outputs: `allProps` holds what the monitor returned. */
  resolveProperties: (
    res: unknown,
    resolvers: Record<string, unknown>,
    t: string,
    name: string,
    allProps: Record<string, unknown>,
    ...rest: unknown[]
  ) => void;
  /** Turns a protobuf struct (an invoke's result, a resource's inputs) into plain values. */
  deserializeProperties: (struct: unknown, keepUnknowns?: boolean) => Record<string, unknown>;
  /** The key and value that mark a secret inside deserialized properties. */
  specialSigKey: string;
  specialSecretSig: string;
}
export const rpc: RpcInternals =
  (rpcModule as unknown as { default?: RpcInternals }).default ?? (rpcModule as unknown as RpcInternals);

/**
 * The RPC functions as the SDK defines them, taken when this module loads: the recorder wraps
 * `rpc`'s once per process and calls through to these.
 */
export const sdkRpc: Pick<RpcInternals, "resolveProperties" | "deserializeProperties"> = {
  resolveProperties: rpc.resolveProperties,
  deserializeProperties: rpc.deserializeProperties,
};

/** Whether a deserialized value is a secret wrapper (`{ <sig>: <secret sig>, value }`). */
export function isSecretWrapper(value: Record<string, unknown>): boolean {
  return value[rpc.specialSigKey] === rpc.specialSecretSig;
}

/** The protobuf register request: parent and protect are only here, not in the mock's arguments. */
export interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProtect(): boolean;
  getCustom(): boolean;
  getIgnorechangesList(): string[];
  /** Every URN it depends on: `dependsOn` and the inputs' sources, components expanded to their resources. */
  getDependenciesList(): string[];
  /** The inputs' sources by property (a protobuf map of `PropertyDependencies`). */
  getPropertydependenciesMap(): {
    forEach(each: (value: { getUrnsList(): string[] }, property: string) => void): void;
  };
}

/** What a register request says the resource waits for, as the engine reads it. */
export function dependenciesOf(req: RegisterRequest): {
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
} {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((value, property) => {
    const urns = value.getUrnsList();
    if (urns.length > 0) propertyDependencies[property] = urns;
  });
  return { dependencies: req.getDependenciesList(), propertyDependencies };
}
export interface RegisterResponse {
  getUrn(): string;
}
/** A component's `registerOutputs`, as the monitor receives it. */
export interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}
/** The mock monitor `setMocks` installs (runtime/mocks.js MockMonitor). */
export interface MockMonitor {
  registerResource(req: RegisterRequest, cb: (err: Error | null, resp?: RegisterResponse) => void): Promise<void>;
  registerResourceOutputs(req: OutputsRequest, cb: (err: Error | null) => void): void;
  newUrn(parent: string, type: string, name: string): string;
}

/** The monitor of the current mock runtime; call after `pulumi.runtime.setMocks`. */
export function mockMonitor(): MockMonitor {
  return pulumi.runtime.getMonitor() as unknown as MockMonitor;
}

// Every Output carries a `promise()` that rejects when the value failed (an apply threw, a
// registration failed). It is not in the SDK's type declarations but has been on every Output
// for years; `apply` alone would simply never run.
interface PromisedOutput {
  promise(withUnknowns?: boolean): Promise<unknown>;
}

/** The promise of a (possibly nested) output value; rejects when the value failed. */
export function outputPromise(value: unknown): Promise<unknown> {
  return (pulumi.output(value as pulumi.Input<object>) as unknown as PromisedOutput).promise();
}

/** The options a resource was declared with, after Pulumi applied its parent's (protect is inherited). */
export interface Declaration {
  type: string;
  name: string;
  protect: boolean | undefined;
  retainOnDelete: boolean | undefined;
  ignoreChanges: string[] | undefined;
}

/**
 * The resource module, whose functions every resource's constructor calls through its exports
 * object (`resource_1.registerResource(this, parent, t, name, custom, remote, newDependency,
 * props, opts, …)`) the moment it runs, long before the monitor hears of it.
 */
export interface ResourceInternals {
  registerResource: (
    res: object,
    parent: unknown,
    t: string,
    name: string,
    custom: boolean,
    remote: boolean,
    newDependency: unknown,
    props: unknown,
    opts: Partial<Pick<Declaration, "protect" | "retainOnDelete" | "ignoreChanges">>,
    ...rest: unknown[]
  ) => void;
}
export const resourceInternals: ResourceInternals =
  (resourceModule as unknown as { default?: ResourceInternals }).default ??
  (resourceModule as unknown as ResourceInternals);

/** Calls `declared` for every resource as its constructor runs; returns the undo. */
export function watchDeclarations(declared: (declaration: Declaration) => void): () => void {
  const { registerResource } = resourceInternals;
  resourceInternals.registerResource = (res, parent, t, name, custom, remote, newDependency, props, opts, ...rest) => {
    const { protect, retainOnDelete, ignoreChanges } = opts;
    declared({ type: t, name, protect, retainOnDelete, ignoreChanges });
    registerResource(res, parent, t, name, custom, remote, newDependency, props, opts, ...rest);
  };
  return () => {
    resourceInternals.registerResource = registerResource;
  };
}
