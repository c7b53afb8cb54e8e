// `npm run smoke` end to end through tools/smoke/cli.ts's `main`, in-process: exit codes and messages.
// Only paths that stay on loopback (nothing here asks Entra ID for a token), plus, where ARM
// credentials and a deployed stack exist, the real thing. (As a process: test/tools/cli/args.deep.test.ts.)
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../tools/smoke/cli.ts";
import { runMain, type Ran } from "../cli/io.ts";
import { startLoopback } from "./loopback.ts";

function smoke(args: string[], env: Record<string, string | undefined> = {}): Promise<Ran> {
  return runMain(main, args, env);
}

const dir = mkdtempSync(join(tmpdir(), "smoke-cli-"));

test("a callee that answers without a token fails the run with exit 1", async () => {
  const open = await startLoopback((_req, res) => res.end("anyone"));
  try {
    const file = join(dir, "open.json");
    writeFileSync(file, JSON.stringify({ callees: { "the-callee": { url: open.url, applicationIdUri: "api://c" } } }));
    const { code, stdout } = await smoke(["--outputs", file]);
    expect(code).toBe(1);
    expect(stdout).toContain("FAIL the-callee: answers 200 without a token");
    expect(stdout.trim().split("\n").at(-1)).toBe("smoke: 1 of 1 callee(s) failed");
  } finally {
    await open.close();
  }
});

test("a missing argument is a usage error (64); unreadable outputs exit 2; each with one line", async () => {
  expect(await smoke([])).toMatchObject({
    code: 64,
    stderr: expect.stringMatching(/^smoke: --stack or --outputs is required[^\n]*\n$/),
  });
  expect(await smoke(["--outputs", join(dir, "none.json")])).toMatchObject({
    code: 2,
    stderr: `smoke: cannot read outputs file ${join(dir, "none.json")}: ENOENT\n`,
  });
}, 30_000);

// Against Azure: only with credentials and a deployed stack named in S2S_SMOKE_STACK.
const azure =
  process.env["S2S_SMOKE_STACK"] && (process.env["ARM_CLIENT_ID"] || process.env["AZURE_CLIENT_ID"]) ? test : test.skip;
azure(
  "against a deployed stack (skipped without S2S_SMOKE_STACK and ARM_/AZURE_ credentials)",
  async () => {
    const { code, stdout, stderr } = await smoke(["--stack", process.env["S2S_SMOKE_STACK"]!], process.env);
    expect({ code, stdout, stderr }).toMatchObject({ code: 0 });
  },
  120_000,
);

describe("--outputs with a file that is not stack outputs", () => {
  const plan = { project: "s2s-auth", stack: "dev", environment: "dev", steps: [], access: [] };
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
  ])("%s: one line naming the file, exit 2", async (_, text, problem) => {
    const bad = join(dir, "outputs.json");
    writeFileSync(bad, text);
    const { code, stderr } = await smoke(["--outputs", bad]);
    expect(code).toBe(2);
    expect(stderr.startsWith(`smoke: ${bad}: `)).toBe(true);
    expect(stderr).toMatch(problem);
    expect(stderr.split("\n")).toHaveLength(2);
  });
});
