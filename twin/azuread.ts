/** The Azure twin's `azuread` provider plugin: started by the Pulumi engine, it prints its gRPC port. */
import { main } from "@pulumi/pulumi/provider/index.js";
import { AZUREAD } from "./graph.ts";
import { twinProvider } from "./provider.ts";

await main(twinProvider(AZUREAD), process.argv.slice(2));
