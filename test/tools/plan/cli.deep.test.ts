// `npm run plan` as users run it: a separate Node 22 process, stdout not a terminal. What only a
// process shows: an invariant broken in the code Node loads, the same bytes under another clock,
// time zone, directory and randomness, and a failing apply rejecting instead of crashing. The
// rest of tools/plan/cli.ts is checked in-process by cli.test.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR } from "./stacks.ts";

const NODE = join(PROJECT_DIR, "node_modules", ".bin", "node");
// Each run is a cold Node process; a shared compile cache and the stack-trace limit the plan
// script uses (package.json) keep them cheap.
const CHILD_ENV = {
  ...process.env,
  INIT_CWD: PROJECT_DIR,
  NODE_COMPILE_CACHE: join(tmpdir(), "s2s-auth-test-compile-cache"),
};
const NODE_ARGS = ["--stack-trace-limit=1"];

function run(...args: string[]) {
  const result = spawnSync(NODE, [...NODE_ARGS, ...args], { cwd: PROJECT_DIR, encoding: "utf8", env: CHILD_ENV });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the plan with one line of a source file rewritten as Node loads it. */
function runBroken(file: string, text: string, replacement: string, ...args: string[]) {
  const result = spawnSync(
    NODE,
    [...NODE_ARGS, "--import", "./test/tools/plan/fixtures/break-invariant.mjs", "tools/plan/cli.ts", ...args],
    {
      cwd: PROJECT_DIR,
      encoding: "utf8",
      env: { ...CHILD_ENV, S2S_BREAK: `${file}|${text}|${replacement}` },
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("an invariant broken in code", () => {
  it("assignment not required on the callee: exit 2, naming the rule", () => {
    const { code, stdout } = runBroken(
      "/components/api/protectedApi.ts",
      "appRoleAssignmentRequired: true",
      "appRoleAssignmentRequired: false",
      "--stack",
      "prod",
    );
    expect(code).toBe(2);
    expect(stdout).toMatch(/error +callee-sp-assignment-required +the-callee-sp/);
  });

  it("EasyAuth letting anonymous requests through: exit 2, naming the rule", () => {
    const { code, stdout } = runBroken(
      "/components/hosting/appService.ts",
      'unauthenticatedClientAction: "Return401"',
      'unauthenticatedClientAction: "AllowAnonymous"',
    );
    expect(code).toBe(2);
    expect(stdout).toMatch(/callee-site-auth-required/);
  });
});

describe("npm run plan", () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "plan-cli-"));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("plans dev, exits 0, writes JSON and Markdown, no progress line outside a terminal", () => {
    const json = join(out, "dev.json");
    const md = join(out, "dev.md");
    const { code, stdout, stderr } = run("tools/plan/cli.ts", "--json", json, "--markdown", md);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.startsWith("Plan for s2s-auth, stack dev")).toBe(true);
    expect(stdout).not.toMatch(/\r|\x1b|Planning stack/);
    expect(JSON.parse(readFileSync(json, "utf8"))).toMatchObject({ project: "s2s-auth", stack: "dev" });
    expect(readFileSync(md, "utf8")).toContain("### Offline plan: `s2s-auth` stack `dev`");
  });

  it(
    "writes the same JSON bytes when run again elsewhere: " +
      "another clock, time zone, directory, environment and randomness",
    () => {
      const here = join(out, "here.json");
      const elsewhere = join(out, "elsewhere.json");
      expect(run("tools/plan/cli.ts", "--json", here).code).toBe(0);
      const moved = spawnSync(
        NODE,
        [
          ...NODE_ARGS,
          "--import",
          join(PROJECT_DIR, "test/tools/plan/fixtures/elsewhere.mjs"),
          join(PROJECT_DIR, "tools/plan/cli.ts"),
          "--json",
          elsewhere,
        ],
        {
          cwd: tmpdir(),
          encoding: "utf8",
          env: {
            ...CHILD_ENV,
            TZ: "Pacific/Kiritimati",
            USER: "someone-else",
            HOSTNAME: "another-machine",
            AZURE_TENANT_ID: "99999999-9999-9999-9999-999999999999",
            LANG: "tr_TR.UTF-8",
          },
        },
      );
      expect(moved.stderr).toBe("");
      expect(moved.status).toBe(0);
      expect(readFileSync(elsewhere, "utf8")).toBe(readFileSync(here, "utf8"));
      // The preload really moves the clock.
      const clock = spawnSync(
        NODE,
        [
          "--import",
          join(PROJECT_DIR, "test/tools/plan/fixtures/elsewhere.mjs"),
          "-p",
          "new Date().getUTCFullYear() + ' ' + new Date(Date.now()).getUTCFullYear()",
        ],
        { encoding: "utf8" },
      );
      expect(clock.stdout.trim()).toBe("2099 2099");
    },
  );

  it("exits 1 with one line for a missing stack and 64 for a bad flag, no stack trace", () => {
    expect(run("tools/plan/cli.ts", "--stack", "nope")).toMatchObject({
      code: 1,
      stderr: `stack "nope": no Pulumi.nope.yaml in ${PROJECT_DIR}\n`,
    });
    expect(run("tools/plan/cli.ts", "--bogus")).toMatchObject({
      code: 64,
      stderr: "plan: Unknown option '--bogus' (see npm run plan -- --help)\n",
    });
  });
});

test("plan diff with JSON broken by a bad property name: one line naming the file and where it broke, exit 1", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-diff-"));
  try {
    const good = join(dir, "good.json");
    const bad = join(dir, "bad.json");
    writeFileSync(
      good,
      JSON.stringify({ project: "s2s-auth", stack: "dev", environment: "dev", steps: [], access: [] }),
    );
    writeFileSync(bad, '{\n  "project": "s2s-auth",\n  stack: "dev"\n}\n');
    const { code, stdout, stderr } = run("tools/plan/cli.ts", "diff", good, bad);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toMatch(new RegExp(`^${bad}: not valid JSON \\(line 3 column 3\\); [^\\n]*\\n$`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("recordProgram in a process of its own", () => {
  it("rejects with the program's error when an apply fails, instead of crashing or hanging", () => {
    const { code, stdout } = run("test/tools/plan/fixtures/recordFailingProgram.ts");
    expect(stdout).toBe("rejected: failed in an apply\n");
    expect(code).toBe(0);
  });
});
