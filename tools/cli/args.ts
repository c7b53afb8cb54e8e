// Command-line parsing shared by every CLI (plan, plan diff, smoke, drift, bench, e2e): node:util
// parseArgs plus the same `--help` text layout and the same answer to a wrong flag everywhere,
// and the one way a CLI runs: `main(argv, io)` returns its exit code, so tests call it in-process.
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { enableModuleCaches } from "./moduleCache.ts";

/** Every CLI's exit code for a wrong command line (unknown flag, missing argument): sysexits' EX_USAGE. */
export const EXIT_USAGE = 64;

export interface CliSpec<O extends ParseArgsOptionsConfig> {
  /** The name its messages start with, e.g. `plan diff`. */
  name: string;
  /** How the command is invoked, e.g. `npm run plan --`. */
  command: string;
  /** One line on what it does. */
  summary: string;
  /** The usage lines, without the command. */
  usage: readonly string[];
  options: O;
  /** A line per option: `--json FILE   write the plan document`. */
  optionHelp: readonly string[];
  exitCodes: readonly (readonly [number, string])[];
  examples: readonly string[];
  allowPositionals?: boolean;
}

/** A command's spec, with its options' types read from `options`, so they are written once. */
export function defineCommand<O extends ParseArgsOptionsConfig>(spec: CliSpec<O>): CliSpec<O> {
  return spec;
}

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export type Parsed =
  | { kind: "ok"; values: Values; positionals: string[] }
  | { kind: "help"; text: string }
  | { kind: "usage"; message: string };

/** A string option's value; undefined when absent. */
export function stringOption(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

/** The `--help` text: usage, options, exit codes, examples. */
export function helpText<O extends ParseArgsOptionsConfig>(spec: CliSpec<O>): string {
  const codeWidth = Math.max(...spec.exitCodes.map(([c]) => String(c).length));
  return [
    spec.summary,
    "",
    "Usage:",
    ...spec.usage.map((u) => `  ${spec.command} ${u}`),
    "",
    "Options:",
    ...spec.optionHelp.map((o) => `  ${o}`),
    "  -h, --help          this text",
    "",
    "Exit codes:",
    ...spec.exitCodes.map(([code, meaning]) => `  ${String(code).padStart(codeWidth)}  ${meaning}`),
    "",
    "Examples:",
    ...spec.examples.map((e) => `  ${e}`),
    "",
  ].join("\n");
}

/**
 * Parses `args` against `spec`. `--help` anywhere wins; a wrong flag or value becomes one line
 * naming it and pointing at `--help`.
 */
export function parseCommandLine<O extends ParseArgsOptionsConfig>(spec: CliSpec<O>, args: string[]): Parsed {
  if (args.includes("--help") || args.includes("-h")) return { kind: "help", text: helpText(spec) };
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...spec.options, ...HELP_OPTION },
      allowPositionals: spec.allowPositionals ?? false,
      strict: true,
    });
    return { kind: "ok", values: values as Values, positionals };
  } catch (err) {
    return { kind: "usage", message: usageMessage(spec, err) };
  }
}

/**
 * Ends a CLI run early with an exit code and its text: `--help` (exit 0, stdout) or a wrong
 * command line. Thrown instead of exiting so that a CLI's `main` can run inside a test; `runCli`
 * prints it and returns the code.
 */
export class CliExit extends Error {
  readonly code: number;
  readonly toStdout: boolean;
  constructor(code: number, text: string, toStdout = false) {
    super(text);
    this.name = "CliExit";
    this.code = code;
    this.toStdout = toStdout;
  }
}

/** A wrong command line found after parsing (a missing option, a bad value): one line, exit 64. */
export class UsageError extends CliExit {
  constructor(message: string) {
    super(EXIT_USAGE, message);
    this.name = "UsageError";
  }
}

/**
 * What a CLI's `main` parses its arguments with: `--help` throws a {@link CliExit} holding the
 * help (exit 0), a wrong command line a {@link UsageError}; otherwise the parsed values.
 */
export function readCommandLine<O extends ParseArgsOptionsConfig>(
  spec: CliSpec<O>,
  args: string[],
): { values: Values; positionals: string[] } {
  const parsed = parseCommandLine(spec, args);
  if (parsed.kind === "help") throw new CliExit(0, parsed.text, true);
  if (parsed.kind === "usage") throw new UsageError(parsed.message);
  return parsed;
}

/** Where a CLI writes and what it reads of its process: the real process, or a test's capture. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** stderr is a terminal someone watches, so progress lines may be drawn and erased there. */
  terminal: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    terminal: process.stderr.isTTY,
  };
}

/** A CLI's entry point: arguments and streams in, exit code out; it never exits the process. */
export type CliMain = (argv: string[], io: CliIo) => Promise<number>;

/** How a CLI reports a failure that is not a command-line problem: one message, never a stack trace. */
export interface Failure {
  /** The CLI's name, which starts the message (`plan: …`). */
  name: string;
  /** The exit code. */
  code: number;
  /** Only the message's first line (the bench keeps the whole tail of a failed command's output). */
  firstLineOnly?: boolean;
}

/** Runs `main`, printing a {@link CliExit} it throws (help, a wrong command line) as its code says. */
export async function runCli(main: CliMain, argv: string[], io: CliIo, failure?: Failure): Promise<number> {
  try {
    return await main(argv, io);
  } catch (err) {
    if (err instanceof CliExit) {
      const text = err.message.endsWith("\n") ? err.message : `${err.message}\n`;
      if (err.toStdout) io.stdout(text);
      else io.stderr(text);
      return err.code;
    }
    if (failure === undefined) throw err;
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`${failure.name}: ${failure.firstLineOnly ? message.split("\n")[0] : message}\n`);
    return failure.code;
  }
}

/**
 * The bin wrapper of every CLI: `main` on the process's arguments and streams, its code as the
 * exit code. `exitAtOnce` ends the process then, for a CLI whose clients may keep sockets open.
 */
export function runAsCommand(main: CliMain, { exitAtOnce = false }: { exitAtOnce?: boolean } = {}): void {
  // Compiled code and stripped types kept between runs for what `main` loads (moduleCache.ts).
  enableModuleCaches();
  void runCli(main, process.argv.slice(2), processIo()).then((code) => {
    if (exitAtOnce) process.exit(code);
    process.exitCode = code;
  });
}

/** One line for a wrong command line: parseArgs' first sentence, then where help is. */
export function usageMessage<O extends ParseArgsOptionsConfig>(spec: CliSpec<O>, problem: unknown): string {
  // parseArgs' errors are Errors of the realm node:util runs in, which a sandboxing test runner's is not.
  const text =
    typeof problem === "object" && problem !== null && "message" in problem ? String(problem.message) : String(problem);
  const first = text
    .split("\n")[0]!
    .replace(/\. To specify a positional argument.*$/, "")
    .replace(/\.$/, "");
  return `${spec.name}: ${first} (see ${spec.command} --help)`;
}
