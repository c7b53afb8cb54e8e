// tools/cli/args.ts: every command line tool answers --help the same way and refuses a wrong flag the
// same way, through its exported `main` in-process; a CLI's `main` never exits the process, it
// throws what runCli prints and returns. (The real processes: args.deep.test.ts.)
import { CliExit, defineCommand, readCommandLine, runCli, UsageError } from "../../../tools/cli/args.ts";
import { main as bench } from "../../../tools/bench/cli.ts";
import { main as benchEngine } from "../../../tools/bench/engine.ts";
import { main as drift } from "../../../tools/drift/cli.ts";
import { main as e2e } from "../../../e2e/run.ts";
import { main as e2eFaults } from "../../../e2e/faults.ts";
import { main as plan } from "../../../tools/plan/cli.ts";
import { main as fence } from "../../../tools/plan/fence.ts";
import { main as smoke } from "../../../tools/smoke/cli.ts";
import { runMain } from "./io.ts";
// The usage exit code is spelled out, not imported: the test states the contract.
const EXIT_USAGE = 64;

const CLIS = {
  plan: { main: plan, argv: [] },
  "plan diff": { main: plan, argv: ["diff"] },
  "plan comment": { main: plan, argv: ["comment"] },
  fence: { main: fence, argv: [] },
  smoke: { main: smoke, argv: [] },
  drift: { main: drift, argv: [] },
  bench: { main: bench, argv: [] },
  "bench:engine": { main: benchEngine, argv: [] },
  e2e: { main: e2e, argv: [] },
  "e2e:faults": { main: e2eFaults, argv: [] },
} as const;

describe.each(Object.keys(CLIS) as (keyof typeof CLIS)[])("%s", (name) => {
  const { main, argv } = CLIS[name];

  test("--help: usage, exit codes and an example on stdout, exit 0", async () => {
    const { code, stdout, stderr } = await runMain(main, [...argv, "--help"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/\nUsage:\n {2}npm run /);
    expect(stdout).toMatch(/\nExit codes:\n(?: +\d+ {2}\S.*\n)+/);
    expect(stdout).toMatch(new RegExp(`\\n +${EXIT_USAGE} {2}wrong command line\\n`));
    expect(stdout).toMatch(/\nExamples:\n {2}\S/);
  });

  test(`an unknown flag: one line naming it on stderr, exit ${EXIT_USAGE}`, async () => {
    const { code, stdout, stderr } = await runMain(main, [...argv, "--no-such-flag"]);
    expect(code).toBe(EXIT_USAGE);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      new RegExp(`^${name}: Unknown option '--no-such-flag' \\(see npm run [a-z:0-9 -]+ --help\\)\\n$`),
    );
  });
});

test.each([
  ["smoke", [], smoke, /^smoke: --stack or --outputs is required \(see npm run smoke -- --help\)\n$/],
  ["drift", [], drift, /^drift: --stack is required \(see npm run drift -- --help\)\n$/],
  [
    "bench",
    ["--runs", "0"],
    bench,
    /^bench: --runs must be a whole number ≥ 1, got 0 \(see npm run bench -- --help\)\n$/,
  ],
  [
    "bench",
    ["--only", "all"],
    bench,
    /^bench: --only takes "tests" or "plan", got all \(see npm run bench -- --help\)\n$/,
  ],
  [
    "bench:engine",
    ["--only", "all"],
    benchEngine,
    /^bench:engine: --only takes "chain", got all \(see npm run bench:engine --help\)\n$/,
  ],
  [
    "e2e:faults",
    ["--rate", "1"],
    e2eFaults,
    /^e2e:faults: --rate must be in \[0, 1\), not 1 \(see npm run e2e:faults -- --help\)\n$/,
  ],
] as const)("%s %j: a missing or bad value is a wrong command line, one line, exit 64", async (_, argv, main, line) => {
  const { code, stdout, stderr } = await runMain(main, [...argv]);
  expect({ code, stdout }).toEqual({ code: EXIT_USAGE, stdout: "" });
  expect(stderr).toMatch(line);
});

describe("readCommandLine and runCli", () => {
  const SPEC = defineCommand({
    name: "t",
    command: "npm run t --",
    summary: "A test command.",
    usage: ["[--n N]"],
    options: { n: { type: "string" } },
    optionHelp: ["--n N               a number"],
    exitCodes: [
      [0, "done"],
      [EXIT_USAGE, "wrong command line"],
    ],
    examples: ["npm run t -- --n 1"],
    allowPositionals: true,
  });

  test("returns the values and positionals of a good command line", () => {
    const { values, positionals } = readCommandLine(SPEC, ["--n", "3", "x"]);
    expect({ values: { ...values }, positionals }).toEqual({ values: { n: "3" }, positionals: ["x"] });
  });

  test("--help anywhere throws the help text with exit 0 for stdout, even beside a wrong flag", () => {
    for (const argv of [["--help"], ["-h"], ["--bogus", "--help"]]) {
      let thrown: unknown;
      try {
        readCommandLine(SPEC, argv);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(CliExit);
      expect(thrown).not.toBeInstanceOf(UsageError);
      expect(thrown).toMatchObject({ code: 0, toStdout: true });
      expect((thrown as CliExit).message.startsWith("A test command.\n\nUsage:\n  npm run t -- [--n N]\n")).toBe(true);
    }
  });

  test("a wrong flag throws a UsageError: exit 64, one line for stderr pointing at --help", () => {
    expect(() => readCommandLine(SPEC, ["--m"])).toThrow(UsageError);
    expect(() => readCommandLine(SPEC, ["--m"])).toThrow(
      expect.objectContaining({
        code: EXIT_USAGE,
        toStdout: false,
        message: "t: Unknown option '--m' (see npm run t -- --help)",
      }),
    );
    expect(() => readCommandLine(SPEC, ["--n"])).toThrow(/^t: Option '--n <value>' argument missing \(see /);
  });

  test("runCli prints what main throws where its code says, and returns the code; other errors propagate", async () => {
    const out: string[] = [];
    const io = {
      stdout: (t: string) => void out.push(`out:${t}`),
      stderr: (t: string) => void out.push(`err:${t}`),
      env: {},
      terminal: false,
    };
    expect(await runCli(async () => 3, [], io)).toBe(3);
    expect(
      await runCli(
        async () => {
          throw new UsageError("t: bad");
        },
        [],
        io,
      ),
    ).toBe(EXIT_USAGE);
    expect(
      await runCli(
        async () => {
          throw new CliExit(0, "help text\n", true);
        },
        [],
        io,
      ),
    ).toBe(0);
    expect(out).toEqual(["err:t: bad\n", "out:help text\n"]);
    await expect(
      runCli(
        async () => {
          throw new Error("boom");
        },
        [],
        io,
      ),
    ).rejects.toThrow("boom");
  });

  test("with a Failure, runCli prints any other error as one message under the name and returns the code", async () => {
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (t: string) => void err.push(t), env: {}, terminal: false };
    const boom = async (): Promise<number> => {
      throw new Error("first line\nsecond line");
    };
    expect(await runCli(boom, [], io, { name: "t", code: 2 })).toBe(2);
    expect(await runCli(boom, [], io, { name: "t", code: 1, firstLineOnly: true })).toBe(1);
    expect(err).toEqual(["t: first line\nsecond line\n", "t: first line\n"]);
  });
});
