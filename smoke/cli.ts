// npm run smoke -- --stack <name> [--outputs FILE] [--path /] [--client-id ID]
// Exit 0: every callee refused an anonymous call and let this principal through.
// Exit 1: a check failed (including "no credential"). Exit 2: bad arguments or unreadable outputs.
import { parseArgs } from "node:util";
import { chooseCredential } from "./credential.ts";
import { SmokeError } from "./diagnose.ts";
import { readOutputsFile, readStackOutputs } from "./outputs.ts";
import { formatReport, probeAll } from "./probe.ts";

const USAGE = "usage: npm run smoke -- --stack <name> [--outputs FILE] [--path /] [--client-id ID]";

try {
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      outputs: { type: "string" },
      path: { type: "string", default: "/" },
      "client-id": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.stack && !values.outputs) throw new SmokeError(`--stack or --outputs is required (${USAGE})`);
  const outputs = values.outputs ? await readOutputsFile(values.outputs) : await readStackOutputs(values.stack!);
  const { credential, description } = chooseCredential(process.env, outputs, values["client-id"]);
  console.log(`smoke: ${values.stack ?? values.outputs}: ${outputs.callees.length} callee(s), as ${description}`);
  const results = await probeAll(outputs.callees, credential, { path: values.path });
  console.log(formatReport(results));
  process.exit(results.every((r) => r.passed) ? 0 : 1);
} catch (err) {
  const message = err instanceof SmokeError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? (err as Error).message : String(err);
  console.error(`smoke: ${message}`);
  process.exit(2);
}
