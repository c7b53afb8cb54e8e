/** The twin's `github` provider plugin: started by the Pulumi engine, it prints its gRPC port. */
import { GITHUB } from "./github.ts";
import { twinProvider } from "./provider.ts";
import { serve } from "./serve.ts";

await serve(twinProvider(GITHUB), process.argv.slice(2));
