/** The Azure twin's `azure-native` provider plugin: started by the Pulumi engine, it prints its gRPC port. */
import { AZURE_NATIVE } from "./arm.ts";
import { twinProvider } from "./provider.ts";
import { serve } from "./serve.ts";

await serve(twinProvider(AZURE_NATIVE), process.argv.slice(2));
