// The command as users run it: a separate Node 22 process, stdout not a terminal.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR } from "./stacks.ts";

const NODE = join(PROJECT_DIR, "node_modules", ".bin", "node");
// Each run is a cold Node process; a shared compile cache and the stack-trace limit the plan
// script uses (package.json) keep the eight of them cheap.
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
    [...NODE_ARGS, "--import", "./test/plan/fixtures/break-invariant.mjs", "plan/cli.ts", ...args],
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
  const brokenStack = `plantest-${process.pid}`;
  const brokenFile = join(PROJECT_DIR, `Pulumi.${brokenStack}.yaml`);
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "plan-cli-"));
  });
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(brokenFile, { force: true });
  });

  it("plans dev, exits 0, writes JSON and Markdown, no progress line outside a terminal", () => {
    const json = join(out, "dev.json");
    const md = join(out, "dev.md");
    const { code, stdout, stderr } = run("plan/cli.ts", "--json", json, "--markdown", md);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.startsWith("Plan for s2s-auth, stack dev")).toBe(true);
    expect(stdout).not.toMatch(/\r|\x1b|Planning stack/);
    expect(stdout).toMatch(/ManagedIdentity +the-caller +Invoke/);
    expect(JSON.parse(readFileSync(json, "utf8"))).toMatchObject({
      project: "s2s-auth",
      stack: "dev",
      environment: "dev",
      diagnostics: [],
    });
    expect(readFileSync(md, "utf8")).toContain("### Offline plan: `s2s-auth` stack `dev`");
  });

  it("writes the same JSON bytes when run again elsewhere: another clock, time zone, directory, environment and randomness", () => {
    const here = join(out, "here.json");
    const elsewhere = join(out, "elsewhere.json");
    expect(run("plan/cli.ts", "--json", here).code).toBe(0);
    const moved = spawnSync(
      NODE,
      [
        ...NODE_ARGS,
        "--import",
        join(PROJECT_DIR, "test/plan/fixtures/elsewhere.mjs"),
        join(PROJECT_DIR, "plan/cli.ts"),
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
        join(PROJECT_DIR, "test/plan/fixtures/elsewhere.mjs"),
        "-p",
        "new Date().getUTCFullYear() + ' ' + new Date(Date.now()).getUTCFullYear()",
      ],
      { encoding: "utf8" },
    );
    expect(clock.stdout.trim()).toBe("2099 2099");
  });

  it("diffs dev against prod: the developer access is revoked", () => {
    const prod = join(out, "prod.json");
    expect(run("plan/cli.ts", "--stack", "prod", "--json", prod).code).toBe(0);
    const md = join(out, "diff.md");
    const { code, stdout } = run("plan/cli.ts", "diff", join(out, "dev.json"), prod, "--markdown", md);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Access: 0 granted, \d+ revoked\n/);
    expect(stdout).toContain("  - the-callee ← azure-cli (AuthorizedClient) as user_impersonation\n");
    expect(stdout).toContain("  - the-callee ← developer@contoso.example (User) as Invoke\n");
    expect(readFileSync(md, "utf8")).toContain("#### Access revoked");
  });

  it("plans a stack file kept elsewhere with --config, named after the file", () => {
    const json = join(out, "mixed.json");
    const { code, stdout } = run("plan/cli.ts", "--config", "examples/Pulumi.mixed.yaml", "--json", json);
    expect(code).toBe(0);
    expect(stdout.startsWith("Plan for s2s-auth, stack mixed")).toBe(true);
    const plan = JSON.parse(readFileSync(json, "utf8")) as {
      access: { callee: string; principal: string; principalType: string; role: string }[];
    };
    expect(plan.access.map((a) => [a.callee, a.principalType, a.principal, a.role])).toEqual([
      ["ledger", "ManagedIdentity", "batch-vm", "Ledger.Read"],
      ["ledger", "ManagedIdentity", "orders", "Ledger.Write"],
      ["orders", "ManagedIdentity", "ingest", "Invoke"],
    ]);
    expect(run("plan/cli.ts", "--config", "examples/mixed.yaml")).toMatchObject({
      code: 1,
      stderr: "examples/mixed.yaml: a stack config file is named Pulumi.<stack>.yaml\n",
    });
  });

  it("exits 1 with one line naming stack and key on invalid config, and writes no JSON", () => {
    writeFileSync(
      brokenFile,
      "config:\n  azure-native:location: westeurope\n  s2s-auth:environment: dev\n  s2s-auth:callees:\n    - name: Not_A_Site\n",
    );
    const json = join(out, "broken.json");
    const { code, stdout, stderr } = run("plan/cli.ts", "--stack", brokenStack, "--json", json);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^Invalid configuration for stack "${brokenStack}": s2s-auth:callees\\[0\\]\\.name: [^\\n]+\\n$`),
    );
    expect(stdout).toBe("");
    expect(existsSync(json)).toBe(false);
  });

  it("exits 1 with one line for a missing stack, a bad flag or a bad diff input", () => {
    expect(run("plan/cli.ts", "--stack", "nope")).toMatchObject({
      code: 1,
      stderr: `stack "nope": no Pulumi.nope.yaml in ${PROJECT_DIR}\n`,
    });
    expect(run("plan/cli.ts", "--bogus").stderr.split("\n")[0]).toMatch(/Unknown option '--bogus'/);
    writeFileSync(join(out, "not-a-plan.json"), "{}");
    expect(run("plan/cli.ts", "diff", join(out, "not-a-plan.json"), join(out, "not-a-plan.json"))).toMatchObject({
      code: 1,
    });
  });
});

describe("recordProgram in a process of its own", () => {
  it("rejects with the program's error when an apply fails, instead of crashing or hanging", () => {
    const { code, stdout } = run("test/plan/fixtures/recordFailingProgram.ts");
    expect(stdout).toBe("rejected: failed in an apply\n");
    expect(code).toBe(0);
  });
});
