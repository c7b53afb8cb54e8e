// Every command line tool answers --help the same way and refuses a wrong flag the same way;
// files that are not what a tool reads are named in one line, never with a parser's text.
import { ROOT, runNode, type RunResult } from "./childProcess.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// The usage exit code is spelled out, not imported: the test states the contract.
const EXIT_USAGE = 64;

function run(args: string[]): Promise<RunResult> {
  return runNode(["--stack-trace-limit=1", ...args], { env: { INIT_CWD: ROOT } });
}

const CLIS: Record<string, string[]> = {
  plan: ["plan/cli.ts"],
  "plan diff": ["plan/cli.ts", "diff"],
  smoke: ["smoke/cli.ts"],
  bench: ["bench/cli.ts"],
  "bench:engine": ["bench/engine.ts"],
  e2e: ["e2e/run.ts"],
  "e2e:faults": ["e2e/faults.ts"],
  drift: ["drift/cli.ts"],
};

describe.each(Object.keys(CLIS))("%s", (name) => {
  const argv = CLIS[name]!;
  test("--help: usage, exit codes and an example on stdout, exit 0", async () => {
    const { code, stdout, stderr } = await run([...argv, "--help"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/\nUsage:\n {2}npm run /);
    expect(stdout).toMatch(/\nExit codes:\n(?: +\d+ {2}\S.*\n)+/);
    expect(stdout).toMatch(new RegExp(`\\n +${EXIT_USAGE} {2}wrong command line\\n`));
    expect(stdout).toMatch(/\nExamples:\n {2}\S/);
  }, 30_000);

  test(`an unknown flag: one line naming it on stderr, exit ${EXIT_USAGE}`, async () => {
    const { code, stdout, stderr } = await run([...argv, "--no-such-flag"]);
    expect(code).toBe(EXIT_USAGE);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      new RegExp(`^${name}: Unknown option '--no-such-flag' \\(see npm run [a-z:0-9 -]+ --help\\)\\n$`),
    );
  }, 30_000);
});

describe("files that are not what a tool reads", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "cli-files-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const plan = { project: "s2s-auth", stack: "dev", environment: "dev", steps: [], access: [] };

  test.each([
    [
      "YAML, not JSON",
      "project: s2s-auth\nstack: dev\nsteps:\n  - urn: x\n",
      /: not valid JSON; write a plan with `npm run plan -- --json /,
    ],
    [
      "JSON broken on line 3 (V8 quotes the text, line breaks included)",
      '{\n  "project": "s2s-auth",\n  "stack": \n}\n',
      /: not valid JSON; /,
    ],
    [
      "JSON with a bad property name",
      '{\n  "project": "s2s-auth",\n  stack: "dev"\n}\n',
      /: not valid JSON \(line 3 column 3\); /,
    ],
    ["a list", "[1, 2]", /: not a plan document \(not an object\); /],
    [
      "a step that is a number",
      JSON.stringify({ ...plan, steps: [1] }),
      /: not a plan document \(steps\[0\]: not an object\); /,
    ],
    [
      "a step without a type",
      JSON.stringify({ ...plan, steps: [{ urn: "u", newState: { protect: false, inputs: {} } }] }),
      /: not a plan document \(steps\[0\]\.newState\.type: missing\); /,
    ],
    [
      "an access entry without a principal",
      JSON.stringify({ ...plan, access: [{ callee: "c", principalType: "User", role: "r", grant: "g" }] }),
      /: not a plan document \(access\[0\]\.principal: missing\); /,
    ],
    [
      "no environment, and a stack that does not tell",
      JSON.stringify({ ...plan, stack: "sandbox", environment: undefined }),
      /: not a plan document \(cannot tell the environment of stack "sandbox"/,
    ],
  ])(
    "plan diff with %s: one line naming the file, exit 1",
    async (_, text, problem) => {
      const bad = file("bad.json", text);
      const good = file("good.json", JSON.stringify(plan));
      const { code, stdout, stderr } = await run(["plan/cli.ts", "diff", good, bad]);
      expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
      expect(stderr.startsWith(`${bad}: `)).toBe(true);
      expect(stderr).toMatch(problem);
      expect(stderr.split("\n")).toHaveLength(2);
    },
    30_000,
  );

  test.each([
    [
      "YAML, not JSON",
      "tenantId: t\ncallees:\n  a: {}\n",
      /: not valid JSON; expected the output of `pulumi stack output --json`\n$/,
    ],
    [
      "a list",
      "[1]",
      /: not stack outputs \(\(top level\): [^\n]*\); expected the output of `pulumi stack output --json`\n$/,
    ],
    ["a plan document", JSON.stringify(plan), /: not stack outputs \(callees: required\); /],
  ])(
    "smoke --outputs with %s: one line naming the file, exit 2",
    async (_, text, problem) => {
      const bad = file("outputs.json", text);
      const { code, stderr } = await run(["smoke/cli.ts", "--outputs", bad]);
      expect(code).toBe(2);
      expect(stderr.startsWith(`smoke: ${bad}: `)).toBe(true);
      expect(stderr).toMatch(problem);
      expect(stderr.split("\n")).toHaveLength(2);
    },
    30_000,
  );
});

test.each([
  ["a::b", '"a::b"'],
  ["${x}", '"${x}"'],
  ["dev\u202e", '"dev\\u202e"'],
])(
  "plan --stack %j: a name that would break URNs is refused in one line, exit 1",
  async (stack, shown) => {
    const { code, stdout, stderr } = await run(["plan/cli.ts", "--stack", stack]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toBe(`stack ${shown}: a stack name is 1-100 letters, digits, '-', '_' or '.'\n`);
  },
  30_000,
);
