/** The Azure twin's `azuread` provider plugin: started by the Pulumi engine, it prints its gRPC port. */
import { AZUREAD } from "./graph.ts";
import { twinProvider } from "./provider.ts";
import { serve } from "./serve.ts";

await serve(twinProvider(AZUREAD), process.argv.slice(2));
