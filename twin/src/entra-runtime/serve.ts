// npm run twin:entra -- --state <file> [--out <addresses.json>] [--curlrc <file>]
// Starts the twin's token endpoint, JWKS, EasyAuth front doors and identity endpoints on
// 127.0.0.1, prints their addresses as one JSON line (and writes them to --out, again whenever a
// site appears or goes), and runs until SIGINT/SIGTERM. With --curlrc it also writes a curl config
// that sends each site's Azure host name to the runtime's HTTPS front door and trusts its CA, so
// `curl https://<site>.azurewebsites.net/` reaches the twin (with CURL_HOME at that file's folder).
// Exit 2: an unreadable state file; 64: a wrong command line.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { rootCertificates } from "node:tls";
import { parseArgs } from "node:util";
import { curlConfig } from "./curl.ts";
import { serve, type Addresses } from "./server.ts";
import { StateError } from "../state.ts";

const HELP = [
  "Starts the twin's Entra ID runtime on 127.0.0.1: tokens, EasyAuth front doors and identity endpoints.",
  "",
  "Usage:",
  "  npm run twin:entra -- [--state FILE] [--out FILE] [--curlrc FILE]",
  "",
  "Options:",
  "  --state FILE        the tenant (default: $S2S_TWIN_STATE)",
  "  --out FILE          write the addresses there, again whenever a site appears or goes (the twin's az reads it)",
  "  --curlrc FILE       write a curl config there that sends each site's host name to the twin (CURL_HOME)",
  "  -h, --help          this text",
  "",
  "Exit codes:",
  "   0  stopped by SIGINT or SIGTERM",
  "   2  no tenant, or an unreadable one",
  "  64  wrong command line",
  "",
  "Examples:",
  "  npm run twin:entra -- --out .twin/entra.json --curlrc .twin/curl/.curlrc",
  "",
].join("\n");

/** Written to a temp name and renamed, so a reader polling for the file never sees half of it. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

let values: { state?: string; out?: string; curlrc?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      state: { type: "string" },
      out: { type: "string" },
      curlrc: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }));
} catch (err) {
  const first = (err as Error).message.split("\n")[0]!.replace(/\. To specify a positional argument.*$/, "");
  console.error(`twin:entra: ${first.replace(/\.$/, "")} (see npm run twin:entra -- --help)`);
  process.exit(64);
}
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

try {
  const stateFile = values.state ?? process.env["S2S_TWIN_STATE"];
  if (!stateFile) throw new StateError("--state is required, or S2S_TWIN_STATE (see npm run twin:entra -- --help)");
  let caBundle: string | undefined;
  const onChange = async (addresses: Addresses): Promise<void> => {
    if (values.out) await writeAtomically(values.out, JSON.stringify(addresses));
    if (values.curlrc) {
      if (caBundle === undefined) {
        caBundle = join(dirname(values.curlrc), "ca-bundle.pem");
        const ca = await readFile(addresses.caCertFile, "utf8");
        await writeAtomically(caBundle, [ca, ...rootCertificates].join("\n"));
      }
      await writeAtomically(values.curlrc, curlConfig(addresses, caBundle));
    }
  };
  const running = await serve(stateFile, { onChange });
  const { close, addresses: _addresses, ...first } = running;
  console.log(JSON.stringify(first));
  const stop = (): void => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (err) {
  const known = err instanceof StateError || (err as { code?: string }).code === "ENOENT";
  console.error(`twin:entra: ${known ? (err as Error).message : String(err)}`);
  process.exit(2);
}
