// Runs index.ts once under Pulumi's mock runtime, with the recorder `npm run plan` uses, and prints
// `{"resources": N}` on stdout. The bench spawns it as a child process so that each run starts
// cold and its wall time and max RSS are its own.
//
//   node tools/bench/run-program.ts --stack dev        config from Pulumi.dev.yaml
//   BENCH_CONFIG='{"s2s-auth:callees": …}' node tools/bench/run-program.ts --stack bench
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { PROJECT } from "../../config.ts";
import main from "../../index.ts";
import { recordProgram } from "../plan/recorder.ts";

const { values } = parseArgs({ options: { stack: { type: "string", default: "dev" } } });
const stack = values.stack!;

function stackConfig(): Record<string, unknown> {
  const inline = process.env["BENCH_CONFIG"];
  if (inline) return JSON.parse(inline) as Record<string, unknown>;
  const file = `Pulumi.${stack}.yaml`;
  const doc = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  return doc?.config ?? {};
}

try {
  const run = await recordProgram({ project: PROJECT, stack, config: stackConfig(), program: main });
  process.stdout.write(`${JSON.stringify({ resources: run.resources.length })}\n`);
} catch (err) {
  process.stderr.write(`bench/run-program: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
