// A caller site's code: its managed identity gets a token for the callee's Application ID URI
// and calls the callee with it. On App Service the platform sets IDENTITY_ENDPOINT and
// IDENTITY_HEADER; in the twin, its runtime's identity endpoint for this site does.
// CALLEE_URL=https://<callee host>/ CALLEE_APP_ID_URI=api://<callee client id> node examples/caller/caller.ts
import { ManagedIdentityCredential } from "@azure/identity";
import { callCallee } from "./callCallee.ts";

const url = process.env["CALLEE_URL"];
const resource = process.env["CALLEE_APP_ID_URI"];
if (!url || !resource) {
  console.error("caller: set CALLEE_URL and CALLEE_APP_ID_URI");
  process.exit(2);
}
await callCallee("caller", () => new ManagedIdentityCredential(), url, resource);
