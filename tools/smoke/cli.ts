// npm run smoke -- --stack <name> [--outputs FILE] [--path /] [--client-id ID]
// Exit 0: every callee refused an anonymous call and let this principal through.
// Exit 1: a check failed (including "no credential"). Exit 2: unreadable outputs or no usable
// credential setup. Exit 64: a wrong command line (the same in every CLI, tools/cli/args.ts).
import * as cli from "../cli/args.ts";
import { chooseCredential } from "./credential.ts";
import { readOutputsFile, readStackOutputs } from "./outputs.ts";
import { DEFAULT_RETRY, formatAttempt, formatReport, probeAll } from "./probe.ts";

const SMOKE = cli.defineCommand({
  name: "smoke",
  command: "npm run smoke --",
  summary:
    "Checks a deployed stack: every callee answers 401 without a token and lets this principal through with one. " +
    `Retries for up to ${DEFAULT_RETRY.maxWaitMs / 60_000} minutes while an assignment replicates ` +
    `(AADSTS501051, AADSTS70021) or a site starts (503), printing each attempt on stderr.`,
  usage: ["--stack NAME [--path /] [--client-id ID]", "--outputs FILE [--path /] [--client-id ID]"],
  options: {
    stack: { type: "string" },
    outputs: { type: "string" },
    path: { type: "string" },
    "client-id": { type: "string" },
  },
  optionHelp: [
    "--stack NAME        read the callees from `pulumi stack output --json --stack NAME`",
    "--outputs FILE      read them from a file holding that JSON instead",
    "--path PATH         the path requested on each callee (default: /)",
    "--client-id ID      the CI principal's client id, in GitHub Actions (default: the stack's " +
      "ciPrincipalClientId output)",
  ],
  exitCodes: [
    [0, "every callee refused anonymous calls and admitted this principal"],
    [1, "a check failed (after retries, with the last diagnosis)"],
    [2, "unreadable outputs, or no usable credential setup"],
    [cli.EXIT_USAGE, "wrong command line"],
  ],
  examples: [
    "npm run smoke -- --stack dev",
    "pulumi stack output --json --stack dev > out.json && npm run smoke -- --outputs out.json --path /health",
  ],
});

async function smoke(argv: string[], io: cli.CliIo): Promise<number> {
  const parsed = cli.readCommandLine(SMOKE, argv);
  const stack = cli.stringOption(parsed.values, "stack");
  const outputsFile = cli.stringOption(parsed.values, "outputs");
  if (!stack && !outputsFile)
    throw new cli.UsageError(`smoke: --stack or --outputs is required (see ${SMOKE.command} --help)`);
  const outputs = outputsFile ? await readOutputsFile(outputsFile) : await readStackOutputs(stack!);
  const { credential, description } = chooseCredential(io.env, outputs, cli.stringOption(parsed.values, "client-id"));
  io.stdout(`smoke: ${stack ?? outputsFile}: ${outputs.callees.length} callee(s), as ${description}\n`);
  const results = await probeAll(outputs.callees, credential, {
    path: cli.stringOption(parsed.values, "path") ?? "/",
    onAttempt: (event) => io.stderr(`${formatAttempt(event)}\n`),
  });
  io.stdout(`${formatReport(results)}\n`);
  return results.every((r) => r.passed) ? 0 : 1;
}

/** `npm run smoke -- <argv>`: the exit code, with everything printed through `io`. */
export function main(argv: string[], io: cli.CliIo): Promise<number> {
  // Outputs that cannot be read, a credential that cannot be chosen: one line, exit 2.
  return cli.runCli(smoke, argv, io, { name: "smoke", code: 2, firstLineOnly: true });
}

// Exits at once, as before: a credential may keep sockets open after the last probe.
if (import.meta.main) cli.runAsCommand(main, { exitAtOnce: true });
