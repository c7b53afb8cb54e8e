// npm run -s fence -- [--tail BYTES] FILE: a file as a fenced code block for a run summary
// (the workflows' `pulumi preview` output). A preview prints names, descriptions and other values
// from config; a fence of three backticks is closed by any value holding three, and what follows
// would be Markdown. This fence is longer than any backtick run in the text (tools/plan/markdown.ts).
// Exit 0: printed. 1: the file is unreadable. 64: a wrong command line.
import { readFileSync } from "node:fs";
import * as cli from "../cli/args.ts";
import { fenced } from "./markdown.ts";

const FENCE = cli.defineCommand({
  name: "fence",
  command: "npm run -s fence --",
  summary: "Prints a file as a fenced code block that no line of it can close, for a GitHub run summary.",
  usage: ["[--tail BYTES] FILE"],
  options: { tail: { type: "string" } },
  optionHelp: ["--tail BYTES        only the file's last BYTES (a run summary holds at most 1 MiB per step)"],
  exitCodes: [
    [0, "printed"],
    [1, "the file is unreadable (one line)"],
    [cli.EXIT_USAGE, "wrong command line"],
  ],
  examples: ['npm run -s fence -- --tail 60000 preview.txt >> "$GITHUB_STEP_SUMMARY"'],
  allowPositionals: true,
});

async function fence(argv: string[], io: cli.CliIo): Promise<number> {
  const { values, positionals } = cli.readCommandLine(FENCE, argv);
  const tailOption = cli.stringOption(values, "tail");
  const tail = tailOption === undefined ? Infinity : Number(tailOption);
  if (positionals.length !== 1 || !(tail > 0))
    throw new cli.UsageError(`fence: needs one FILE and a positive --tail (see ${FENCE.command} --help)`);
  const file = positionals[0]!;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? "error"})`, { cause: err });
  }
  io.stdout(fenced(bytes.subarray(Math.max(0, bytes.length - tail)).toString("utf8")));
  return 0;
}

/** `npm run -s fence -- <argv>`: the exit code, with everything printed through `io`. */
export function main(argv: string[], io: cli.CliIo): Promise<number> {
  return cli.runCli(fence, argv, io, { name: "fence", code: 1, firstLineOnly: true });
}

if (import.meta.main) cli.runAsCommand(main);
