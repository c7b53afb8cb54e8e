// Runs the real program (index.ts) under Pulumi's mock runtime with a given stack config and
// records every resource registration, including the parent and the protect flag, which only
// the monitor's register request carries.
import * as pulumi from "@pulumi/pulumi";
import main from "../index.ts";

export interface Registered {
  urn: string;
  type: string;
  name: string;
  parent: string;
  protect: boolean;
  custom: boolean;
  ignoreChanges: string[];
  inputs: Record<string, unknown>;
}

export interface ProgramRun {
  resources: Registered[];
  outputs: Record<string, unknown>;
  /** Every resource of a type token, in registration order. */
  ofType(type: string): Registered[];
  /** The one resource with this logical name (throws when there is not exactly one). */
  named(name: string): Registered;
  /** What the component with this logical name passed to registerOutputs (undefined if nothing). */
  registeredOutputs(name: string): Record<string, unknown> | undefined;
}

/** The smallest config of each environment; tests override pieces of it. */
export function baseConfig(environment: "dev" | "test" | "prod" = "dev"): Record<string, unknown> {
  return {
    "azure-native:location": "westeurope",
    "s2s-auth:environment": environment,
    "s2s-auth:callees": [{ name: "the-callee" }],
    "s2s-auth:callers": [{ name: "the-caller", calls: [{ callee: "the-callee" }] }],
  };
}

export const TENANT_ID = "00000000-0000-0000-0000-0000000000aa";
export const SUBSCRIPTION_ID = "00000000-0000-0000-0000-0000000000cc";
export const DEPLOYER_OBJECT_ID = "00000000-0000-0000-0000-0000000000bb";

/** Fake cloud-computed outputs, named after the resource so tests can trace the wiring. */
function computedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "azure-native:web:WebApp":
      return {
        name: inputs["name"] ?? name,
        defaultHostName: `${name}.azurewebsites.net`,
        identity: { ...(inputs["identity"] as object), principalId: `${name}-principal`, tenantId: TENANT_ID },
      };
    case "azure-native:app:ContainerApp":
      return {
        name,
        identity: { ...(inputs["identity"] as object), principalId: `${name}-principal`, tenantId: TENANT_ID },
        configuration: { ...(inputs["configuration"] as object), ingress: { fqdn: `${name}.azurecontainerapps.io` } },
      };
    case "azure-native:storage:StorageAccount":
      return { name: inputs["accountName"] };
    case "azure-native:resources:ResourceGroup":
      return { name: `${name}-name` };
    case "azuread:index/application:Application":
      return { clientId: `${name}-client-id`, objectId: `${name}-object-id` };
    case "azuread:index/servicePrincipal:ServicePrincipal":
      return { objectId: `${name}-object-id` };
    default:
      return {};
  }
}

export type CallMock = (args: pulumi.runtime.MockCallArgs) => Record<string, unknown> | undefined;

function defaultCall(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
  switch (args.token) {
    case "azuread:index/getClientConfig:getClientConfig":
      return { tenantId: TENANT_ID, objectId: DEPLOYER_OBJECT_ID, clientId: "deployer-client-id" };
    case "azuread:index/getServicePrincipal:getServicePrincipal":
      return { objectId: args.inputs["objectId"], clientId: `${String(args.inputs["objectId"])}-client-id` };
    case "azure-native:authorization:getClientConfig":
      return {
        subscriptionId: SUBSCRIPTION_ID,
        tenantId: TENANT_ID,
        objectId: DEPLOYER_OBJECT_ID,
        clientId: "deployer-client-id",
      };
    case "azuread:index/getUser:getUser":
      return { objectId: `object-id-of-${String(args.inputs["userPrincipalName"])}` };
    default:
      throw new Error(`unexpected invoke ${args.token}`);
  }
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProtect(): boolean;
  getCustom(): boolean;
  getIgnorechangesList(): string[];
}
interface RegisterResponse {
  getUrn(): string;
}
type Callback = (err: Error | null, resp?: RegisterResponse) => void;
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface RecordingMonitor {
  registerResource(req: RegisterRequest, cb: Callback): Promise<void>;
  registerResourceOutputs(req: OutputsRequest, cb: (err: Error | null) => void): void;
}

/** Waits until a (possibly nested) output value is fully resolved. */
function settle<T>(value: T): Promise<pulumi.Unwrap<T>> {
  return new Promise((resolve) => pulumi.output(value).apply(resolve));
}

export async function runProgram(
  stack: string,
  config: Record<string, unknown>,
  options: { call?: CallMock } = {},
): Promise<ProgramRun> {
  const inputsByUrnKey = new Map<string, Record<string, unknown>>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        inputsByUrnKey.set(`${args.type}::${args.name}`, args.inputs);
        return {
          id: `${args.name}-id`,
          state: { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs) },
        };
      },
      call(args) {
        return options.call?.(args) ?? defaultCall(args);
      },
    },
    "s2s-auth",
    stack,
    false,
  );
  // Config must be set after setMocks, which creates the store it lives in.
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
  );

  const resources: Registered[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as RecordingMonitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    register(req, (err, resp) => {
      if (!err && resp) {
        resources.push({
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent(),
          protect: req.getProtect(),
          custom: req.getCustom(),
          ignoreChanges: req.getIgnorechangesList(),
          inputs: inputsByUrnKey.get(`${req.getType()}::${req.getName()}`) ?? {},
        });
      }
      cb(err, resp);
    });
  const outputsByUrn = new Map<string, Record<string, unknown>>();
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, cb) => {
    const registered = req.getOutputs();
    if (registered) outputsByUrn.set(req.getUrn(), registered.toJavaScript());
    registerOutputs(req, cb);
  };

  const outputs = (await settle(main())) as Record<string, unknown>;
  await pulumi.runtime.disconnect();
  function named(name: string): Registered {
    const found = resources.filter((r) => r.name === name);
    if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
    return found[0]!;
  }
  return {
    resources,
    outputs,
    ofType: (type) => resources.filter((r) => r.type === type),
    named,
    registeredOutputs: (name) => outputsByUrn.get(named(name).urn),
  };
}
