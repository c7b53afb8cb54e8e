// Every command line tool as users run it, a process of its own (Node 22, or bash for the shell
// script): --help exits 0, an unknown flag exits 64 with one line and no stack trace. The bin
// wrapper is all this adds to args.test.ts, which checks the same through each CLI's `main`
// in-process; the twin's CLI, the shell script and the .mjs do their own parsing, checked only here.
import { ROOT, runCommand, runNode, type RunResult } from "../../childProcess.ts";
// The usage exit code is spelled out, not imported: the test states the contract.
const EXIT_USAGE = 64;

function run(args: string[]): Promise<RunResult> {
  if (args[0]!.endsWith(".sh")) return runCommand("bash", args);
  // Without a tenant, as on a fresh clone: --help and a wrong flag must not need one.
  return runNode(["--stack-trace-limit=1", ...args], { env: { INIT_CWD: ROOT }, drop: /^S2S_TWIN_STATE$/ });
}

const CLIS: Record<string, string[]> = {
  plan: ["tools/plan/cli.ts"],
  "plan diff": ["tools/plan/cli.ts", "diff"],
  "plan comment": ["tools/plan/cli.ts", "comment"],
  fence: ["tools/plan/fence.ts"],
  smoke: ["tools/smoke/cli.ts"],
  bench: ["tools/bench/cli.ts"],
  "bench:engine": ["tools/bench/engine.ts"],
  e2e: ["e2e/run.ts"],
  "e2e:faults": ["e2e/faults.ts"],
  drift: ["tools/drift/cli.ts"],
  twin: ["twin/src/cli.ts"],
  "twin:env": ["e2e/env.ts"],
  "pulumi:install": ["tools/scripts/pulumi-install.sh"],
  "test:mutation": ["tools/scripts/mutation.mjs"],
  "twin:entra": ["twin/src/entra-runtime/serve.ts"],
  demo: ["e2e/demo.ts"],
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

  test(`an unknown flag: one line naming it on stderr, no stack trace, exit ${EXIT_USAGE}`, async () => {
    const { code, stdout, stderr } = await run([...argv, "--no-such-flag"]);
    expect(code).toBe(EXIT_USAGE);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      new RegExp(`^${name}: Unknown option '--no-such-flag' \\(see npm run [a-z:0-9 -]+ --help\\)\\n$`),
    );
  }, 30_000);
});
