/**
 * Serves a twin provider with `@pulumi/pulumi/provider`'s gRPC server, adding one thing it leaves out:
 * the old inputs the engine sends with Read (ReadRequest.inputs). A refresh needs them to report inputs
 * as the real providers do (azure-native from `__inputs`; the Terraform bridge behind azuread extracts
 * "new values for inputs that are already present", pulumi-terraform-bridge ExtractInputsFromOutputs).
 */
import * as grpc from "@grpc/grpc-js";
import { main, type Provider } from "@pulumi/pulumi/provider/index.js";
import { plain, readInputs } from "./provider.ts";
import type { JsonObject } from "./state.ts";

interface ReadCall {
  request: { getInputs(): { toJavaScript(): unknown } | undefined };
}
type Handler = (call: ReadCall, callback: unknown) => unknown;

export async function serve(provider: Provider, args: string[]): Promise<void> {
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, implementation) {
    const original = (implementation as Record<string, Handler>).read;
    if (typeof original !== "function") return addService.call(this, service, implementation);
    const withInputs: Handler = (call, callback) => {
      const inputs = call.request.getInputs()?.toJavaScript();
      return readInputs.run(inputs === undefined ? undefined : (plain(inputs) as JsonObject), () => original.call(implementation, call, callback));
    };
    return addService.call(this, service, Object.create(implementation as object, { read: { value: withInputs } }) as grpc.UntypedServiceImplementation);
  };
  await main(provider, args);
}
