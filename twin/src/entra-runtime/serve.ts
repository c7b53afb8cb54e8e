// node twin/src/entra-runtime/serve.ts --state <file> [--out <addresses.json>]
// Starts the twin's token endpoint, JWKS, EasyAuth front doors and identity endpoints on
// 127.0.0.1, prints their addresses as one JSON line (and writes them to --out), and runs until
// SIGINT/SIGTERM. Exit 2: bad arguments or an unreadable state file.
import { rename, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { serve } from "./server.ts";
import { StateError } from "../state.ts";

const USAGE =
  "usage: node twin/src/entra-runtime/serve.ts --state <file> [--out <addresses.json>]  (--state defaults to " +
  "$S2S_TWIN_STATE)";

try {
  const { values } = parseArgs({
    options: { state: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const stateFile = values.state ?? process.env["S2S_TWIN_STATE"];
  if (!stateFile) throw new StateError(`--state is required (${USAGE})`);
  const running = await serve(stateFile);
  const { close, ...addresses } = running;
  const json = JSON.stringify(addresses);
  // Written to a temp name and renamed, so a reader polling for the file never sees half of it.
  if (values.out) {
    await writeFile(`${values.out}.tmp`, json);
    await rename(`${values.out}.tmp`, values.out);
  }
  console.log(json);
  const stop = (): void => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (err) {
  const known = err instanceof StateError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  console.error(`twin-entra: ${known ? (err as Error).message : String(err)}`);
  process.exit(2);
}
