/**
 * Serves a twin provider with `@pulumi/pulumi/provider`'s gRPC server, adding what it leaves out:
 * - the old inputs the engine sends with Read (ReadRequest.inputs). A refresh needs them to report inputs
 *   as the real providers do (azure-native from `__inputs`; the Terraform bridge behind azuread extracts
 *   "new values for inputs that are already present", pulumi-terraform-bridge ExtractInputsFromOutputs);
 * - previews. Both real providers answer Create/Update with `preview: true` (ConfigureResponse.supportsPreview),
 *   reporting computed values as unknown. Without it the engine shows the inputs as the state, which breaks
 *   programs that read an input-named output of another shape, such as a site's `identity.principalId`
 *   (pulumi/pulumi pkg/resource/plugin/provider_plugin.go, Create: "If the provider does not support previews,
 *   return the inputs as the state");
 * - the provider's configuration: the SDK's Configure ignores the request, so the engine's variables
 *   (`azure-native:config:tenantId`, ...) are handed to the twin's provider (twin/src/session.ts), whose
 *   refusal to sign in fails Configure;
 * - DiffConfig, which the SDK leaves unimplemented: the engine then compares an explicit provider's old
 *   outputs with its new inputs as they are, and a secret output (@pulumi/github's `token`) never equals
 *   its plain input, so every preview would update the provider. The real providers implement it (the
 *   Terraform bridge compares the configuration's values); the twin compares the values, secrets
 *   unwrapped, and reports no replacement.
 */
import * as grpc from "@grpc/grpc-js";
import * as net from "node:net";
import { main } from "@pulumi/pulumi/provider/index.js";
// google-protobuf's generated CommonJS hides its exports from Node's named-export detection.
import providerPb from "@pulumi/pulumi/proto/provider_pb.js";
import { plain, previewing, readInputs, sameJson, type TwinProvider } from "./provider.ts";
import type { JsonObject } from "./state.ts";

export interface Call {
  request: {
    getInputs?(): { toJavaScript(): unknown } | undefined;
    getPreview?(): boolean;
    /** DiffRequest (DiffConfig): the old outputs, the old inputs when sent, the new inputs. */
    getOlds?(): { toJavaScript(): unknown } | undefined;
    getOldInputs?(): { toJavaScript(): unknown } | undefined;
    getNews?(): { toJavaScript(): unknown } | undefined;
    /** ConfigureRequest.variables: `<package>:config:<key>` → value. */
    getVariablesMap?(): { forEach(each: (value: string, key: string) => void): void };
  };
}
export type Callback = (err: unknown, response?: { setSupportspreview?(value: boolean): unknown }) => void;

const { DiffResponse } = providerPb;

/** A provider configuration as compared: secrets unwrapped, the engine's own keys (`__internal`) left out. */
function configValues(struct: { toJavaScript(): unknown } | undefined): JsonObject {
  const values = plain(struct?.toJavaScript() ?? {}) as JsonObject;
  return Object.fromEntries(Object.entries(values).filter(([key]) => !key.startsWith("__")));
}
export type Handler = (call: Call, callback: Callback) => unknown;

/**
 * The service implementation with the additions above: the engine's calls reach `implementation` through it,
 * and Configure's variables reach `configure` first.
 */
export function wrap(
  implementation: Record<string, Handler>,
  configureTwin: (variables: Record<string, string>) => void = () => undefined,
): Record<string, Handler> {
  const { read, create, update, configure } = implementation;
  const call = (handler: Handler | undefined, c: Call, cb: Callback) => handler!.call(implementation, c, cb);
  const extra: Record<string, Handler> = {
    read: (c, cb) => {
      const inputs = c.request.getInputs?.()?.toJavaScript();
      return readInputs.run(inputs === undefined ? undefined : (plain(inputs) as JsonObject), () => call(read, c, cb));
    },
    create: (c, cb) => previewing.run(c.request.getPreview?.() === true, () => call(create, c, cb)),
    update: (c, cb) => previewing.run(c.request.getPreview?.() === true, () => call(update, c, cb)),
    diffConfig: (c, cb) => {
      const olds = configValues(c.request.getOldInputs?.() ?? c.request.getOlds?.());
      const news = configValues(c.request.getNews?.());
      const response = new DiffResponse();
      response.setChanges(
        sameJson(olds, news) ? DiffResponse.DiffChanges.DIFF_NONE : DiffResponse.DiffChanges.DIFF_SOME,
      );
      cb(null, response as never);
    },
    configure: (c, cb) => {
      const variables: Record<string, string> = {};
      c.request.getVariablesMap?.().forEach((value, key) => (variables[key] = value));
      try {
        configureTwin(variables);
      } catch (err) {
        return cb(err);
      }
      return call(configure, c, (err, response) => {
        response?.setSupportspreview?.(true);
        cb(err, response);
      });
    },
  };
  return Object.create(
    implementation,
    Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { value: v }])),
  ) as Record<string, Handler>;
}

/**
 * Exits once the engine stops listening, as the real providers do (their Go plugin host polls the
 * engine's health and cancels: pulumi sdk/go/common/util/rpcutil/health.go), so a killed
 * `pulumi up` leaves no plugin process behind.
 */
function exitWithEngine(engineAddress: string | undefined): void {
  const m = /^([^:]+):(\d+)$/.exec(engineAddress ?? "");
  if (!m) return;
  const probe = () => {
    const socket = net.connect(Number(m[2]), m[1]!);
    socket.once("connect", () => socket.destroy());
    socket.once("error", () => process.exit(0));
  };
  setInterval(probe, 5_000).unref();
}

export async function serve(provider: TwinProvider, args: string[]): Promise<void> {
  exitWithEngine(args.find((a) => !a.startsWith("-")));
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, implementation) {
    const impl = implementation as Record<string, Handler>;
    if (typeof impl.read !== "function" || typeof impl.configure !== "function")
      return addService.call(this, service, implementation);
    const wrapped = wrap(impl, (variables) => provider.configure(variables));
    return addService.call(this, service, wrapped as unknown as grpc.UntypedServiceImplementation);
  };
  await main(provider, args);
}
