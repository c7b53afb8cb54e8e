// Command-line parsing shared by every CLI (plan, plan diff, smoke, bench): node:util parseArgs
// plus the same `--help` text layout and the same answer to a wrong flag everywhere.
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

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

/** A wrong command line found after parsing (a missing option, a bad value): one line, exit 64. */
export function exitWithUsage(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(EXIT_USAGE);
}

/**
 * What a CLI's entry point calls: `--help` prints the help and exits 0, a wrong command line
 * prints one line and exits {@link EXIT_USAGE}; otherwise the parsed values.
 */
export function commandLineOrExit<O extends ParseArgsOptionsConfig>(
  spec: CliSpec<O>,
  args: string[],
): { values: Values; positionals: string[] } {
  const parsed = parseCommandLine(spec, args);
  if (parsed.kind === "help") {
    process.stdout.write(parsed.text);
    process.exit(0);
  }
  if (parsed.kind === "usage") exitWithUsage(parsed.message);
  return parsed;
}

/** One line for a wrong command line: parseArgs' first sentence, then where help is. */
export function usageMessage<O extends ParseArgsOptionsConfig>(spec: CliSpec<O>, problem: unknown): string {
  const text = problem instanceof Error ? problem.message : String(problem);
  const first = text
    .split("\n")[0]!
    .replace(/\. To specify a positional argument.*$/, "")
    .replace(/\.$/, "");
  return `${spec.name}: ${first} (see ${spec.command} --help)`;
}
