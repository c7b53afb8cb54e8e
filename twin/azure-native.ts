/** The Azure twin's `azure-native` provider plugin: started by the Pulumi engine, it prints its gRPC port. */
import { main } from "@pulumi/pulumi/provider/index.js";
import { AZURE_NATIVE } from "./arm.ts";
import { twinProvider } from "./provider.ts";

await main(twinProvider(AZURE_NATIVE), process.argv.slice(2));
