// npm run e2e: the real Pulumi CLI and engine run this project against the Azure twin, the way a
// platform team runs it against Azure: previews compared with the offline plan, `pulumi up` per
// environment, policy on previews, drift (and npm run drift), protect in prod, the smoke test through
// the twin's Entra ID and EasyAuth, destroy, review stacks, an interrupted update, a missing
// permission, and bootstrap/. The steps are e2e/steps/ (their order: e2e/steps/index.ts); this makes
// the workspace, runs them (e2e/runner.ts), and prints the summary.
//
// Needs the CLI (`npm run pulumi:install`, or a released pulumi on PATH). Exit 0 when every step
// passed, 1 otherwise.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  defineCommand,
  EXIT_USAGE,
  readCommandLine,
  runAsCommand,
  runCli,
  stringOption,
  type CliIo,
} from "../tools/cli/args.ts";
import { report, runPlan, summary, type StepResult } from "./runner.ts";
import { PLAN, prepare } from "./steps/index.ts";
import { CommandError, Workspace } from "./workspace.ts";

const E2E = defineCommand({
  name: "e2e",
  command: "npm run e2e --",
  summary:
    "Runs the project under the real Pulumi CLI against the Azure twin, in a temporary copy, each step timed " +
    "(about 2 minutes).",
  usage: ["[--keep] [--json FILE]"],
  options: { keep: { type: "boolean" }, json: { type: "string" } },
  optionHelp: [
    "--keep              keep the temporary workspace (its path is printed) for a look afterwards",
    "--json FILE         also write each step's and each command's time (npm run bench:engine reads it)",
  ],
  exitCodes: [
    [0, "every step passed"],
    [1, "a step failed (its output tail on stderr)"],
    [EXIT_USAGE, "wrong command line"],
  ],
  examples: ["npm run e2e -- --keep"],
});

async function e2e(argv: string[], io: CliIo): Promise<number> {
  const parsed = readCommandLine(E2E, argv);
  const keep = parsed.values["keep"] === true;
  const json = stringOption(parsed.values, "json");
  const started = performance.now();
  const ws = Workspace.create();
  io.stderr(`e2e: workspace ${ws.dir}\n`);
  const version = await ws.run("pulumi", ["version"]);
  io.stderr(`e2e: pulumi ${version.stdout.trim()}\n`);
  const results: StepResult[] = [];
  try {
    results.push(...(await runPlan(PLAN, await prepare(ws, io), io)));
  } catch (error) {
    // Failed outside any step: the setup before the first, or a plan the runner refuses.
    io.stderr(`e2e: ${error instanceof CommandError ? error.message : String(error)}\n`);
    results.push({ name: "(outside a step)", seconds: 0, ok: false, detail: String(error) });
  } finally {
    if (keep) io.stderr(`e2e: kept ${ws.dir}\n`);
    else ws.remove();
  }
  const totalSeconds = (performance.now() - started) / 1000;
  io.stdout(summary(results, totalSeconds));
  if (json)
    writeFileSync(resolve(io.env["INIT_CWD"] ?? process.cwd(), json), report(results, totalSeconds, ws.commands));
  return results.every((r) => r.ok) ? 0 : 1;
}

/** `npm run e2e -- <argv>`: the exit code, with everything printed through `io`. */
export function main(argv: string[], io: CliIo): Promise<number> {
  return runCli(e2e, argv, io);
}

if (import.meta.main) runAsCommand(main);
