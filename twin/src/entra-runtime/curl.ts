// The curl config the runtime writes (serve.ts --curlrc): what lets a developer's plain
// `curl https://<site>.azurewebsites.net/`, as docs show it, reach the twin instead of Azure.
import type { Addresses } from "./server.ts";
import { compareCodeUnits } from "./state.ts";

/**
 * curl's config (curl(1), "-K, --config": `$CURL_HOME/.curlrc` is read at start): each site's host
 * name connects to the HTTPS front door, and the CA bundle is the runtime's CA plus the ones Node
 * trusts, so curl still reaches every other host as it would.
 */
export function curlConfig(addresses: Addresses, caBundle: string): string {
  const port = new URL(addresses.hostFrontDoor).port;
  const hosts = [...new Set(Object.values(addresses.sites).flatMap((s) => (s.host ? [s.host.toLowerCase()] : [])))];
  return [
    "# Written by the twin's Entra runtime (twin/src/entra-runtime/serve.ts --curlrc): its sites' host names",
    "# reach its front door.",
    `cacert = "${caBundle}"`,
    ...hosts.sort(compareCodeUnits).map((host) => `connect-to = "${host}:443:127.0.0.1:${port}"`),
    "",
  ].join("\n");
}
