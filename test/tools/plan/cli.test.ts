// tools/plan/cli.ts through its `main` in-process: `npm run plan` plans a stack (text, JSON, Markdown),
// `plan diff` compares two plans, and every wrong input is one line with its exit code. The same
// as a real process, plus what only a process shows (a broken invariant loaded by Node, another
// clock and locale): cli.deep.test.ts.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../tools/plan/cli.ts";
import { runMain } from "../cli/io.ts";
import { PROJECT_DIR } from "./stacks.ts";

const plan = (argv: string[], env: Record<string, string> = {}) => runMain(main, argv, env);

let out: string;
beforeAll(() => (out = mkdtempSync(join(tmpdir(), "plan-cli-"))));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("npm run plan", () => {
  const brokenStack = `plantest-${process.pid}`;
  const brokenFile = join(PROJECT_DIR, `Pulumi.${brokenStack}.yaml`);
  afterAll(() => rmSync(brokenFile, { force: true }));

  it("plans dev, exits 0, writes JSON and Markdown, no progress line outside a terminal", async () => {
    const json = join(out, "dev.json");
    const md = join(out, "dev.md");
    const { code, stdout, stderr } = await plan(["--json", json, "--markdown", md]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.startsWith("Plan for s2s-auth, stack dev")).toBe(true);
    expect(stdout).not.toMatch(/\r|\x1b|Planning stack/);
    expect(stdout).toMatch(/ManagedIdentity +the-caller +Invoke/);
    expect(JSON.parse(readFileSync(json, "utf8"))).toMatchObject({
      project: "s2s-auth",
      stack: "dev",
      environment: "dev",
    });
    expect(readFileSync(md, "utf8")).toContain("### Offline plan: `s2s-auth` stack `dev`");
  });

  it("in a terminal, a progress line on stderr that is erased once the plan is ready", async () => {
    const { code, stdout, stderr } = await runMain(main, ["--stack", "test"], {}, { terminal: true });
    expect(code).toBe(0);
    expect(stdout.startsWith("Plan for s2s-auth, stack test")).toBe(true);
    expect(stderr).toBe("Planning stack test: running index.ts under Pulumi's mocks…\r\x1b[2K\r");
  });

  it("resolves --json and --config against the caller's directory (INIT_CWD), not the package root", async () => {
    const { code } = await plan(["--config", "../../examples/Pulumi.mixed.yaml", "--json", "mixed-here.json"], {
      INIT_CWD: join(PROJECT_DIR, "tools", "plan"),
    });
    const written = join(PROJECT_DIR, "tools", "plan", "mixed-here.json");
    try {
      expect(code).toBe(0);
      expect(JSON.parse(readFileSync(written, "utf8"))).toMatchObject({ stack: "mixed" });
    } finally {
      rmSync(written, { force: true });
    }
  });

  it("diffs dev against prod: the developer access is revoked", async () => {
    const dev = join(out, "dev-base.json");
    const prod = join(out, "prod.json");
    expect((await plan(["--json", dev])).code).toBe(0);
    expect((await plan(["--stack", "prod", "--json", prod])).code).toBe(0);
    const md = join(out, "diff.md");
    const { code, stdout } = await plan(["diff", dev, prod, "--markdown", md]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Access: 0 granted, \d+ revoked\n/);
    expect(stdout).toContain("  - the-callee ← azure-cli (AuthorizedClient) as user_impersonation\n");
    expect(stdout).toContain("  - the-callee ← developer@contoso.example (User) as Invoke\n");
    expect(readFileSync(md, "utf8")).toContain("#### Access revoked");
  });

  it("plans a stack file kept elsewhere with --config, named after the file", async () => {
    const json = join(out, "mixed.json");
    const { code, stdout } = await plan(["--config", "examples/Pulumi.mixed.yaml", "--json", json]);
    expect(code).toBe(0);
    expect(stdout.startsWith("Plan for s2s-auth, stack mixed")).toBe(true);
    const document = JSON.parse(readFileSync(json, "utf8")) as {
      access: { callee: string; principal: string; principalType: string; role: string }[];
    };
    expect(document.access.map((a) => [a.callee, a.principalType, a.principal, a.role])).toEqual([
      ["ledger", "ManagedIdentity", "batch-vm", "Ledger.Read"],
      ["ledger", "ManagedIdentity", "orders", "Ledger.Write"],
      ["orders", "ManagedIdentity", "ingest", "Invoke"],
    ]);
    expect(await plan(["--config", "examples/mixed.yaml"])).toMatchObject({
      code: 1,
      stderr: "examples/mixed.yaml: a stack config file is named Pulumi.<stack>.yaml\n",
    });
  });

  it("flags the shipped example developer and group: dev as shipped never says Findings: none", async () => {
    const json = join(out, "dev-examples.json");
    const { code, stdout } = await plan(["--json", json]);
    expect(code).toBe(0);
    expect(stdout).not.toContain("Findings: none");
    expect(stdout).toContain("Findings: 2\n");
    const stackUrn = "urn:pulumi:dev::s2s-auth::pulumi:pulumi:Stack::s2s-auth-dev";
    expect((JSON.parse(readFileSync(json, "utf8")) as { diagnostics: unknown[] }).diagnostics).toEqual([
      {
        severity: "warning",
        policy: "config-example-value",
        urn: stackUrn,
        message:
          's2s-auth:devAccess.groups[0] is "11111111-2222-3333-4444-555555555555", the example the shipped stack ' +
          "files carry: replace it before `pulumi up`",
      },
      {
        severity: "warning",
        policy: "config-example-value",
        urn: stackUrn,
        message:
          's2s-auth:devAccess.users[0] is "developer@contoso.example", the example the shipped stack files carry: ' +
          "replace it before `pulumi up`",
      },
    ]);
    // A stack with nothing to replace still says so.
    expect((await plan(["--stack", "test"])).stdout).toContain("Findings: none\n");
  });

  it("--import-file writes the stack's import document, ids from --import-ids; alone, --import-ids is 64", async () => {
    const ids = join(out, "ids.json");
    const file = join(out, "import.json");
    writeFileSync(ids, JSON.stringify({ "the-callee-app": "/applications/a-hand-made-one" }));
    expect((await plan(["--stack", "test", "--import-file", file, "--import-ids", ids])).code).toBe(0);
    const resources = (JSON.parse(readFileSync(file, "utf8")) as { resources: { name: string; id?: string }[] })
      .resources;
    expect(resources.find((r) => r.name === "the-callee-app")?.id).toBe("/applications/a-hand-made-one");
    expect(await plan(["--stack", "test", "--import-ids", ids])).toMatchObject({
      code: 64,
      stderr: "--import-ids needs --import-file (see npm run plan -- --help)\n",
    });
  });

  it("a secret where the program needs a plain value (a secure region): one line saying so, exit 1", async () => {
    const secret = join(out, "Pulumi.secret.yaml");
    writeFileSync(secret, "config:\n  azure-native:location:\n    secure: AAABAxyz\n  s2s-auth:environment: test\n");
    expect(await plan(["--config", secret])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'stack "secret": azure-native:location is a secret (secure: in Pulumi.secret.yaml), but the program ' +
        "needs it in plain text: set it again without --secret (pulumi config set azure-native:location <value>)\n",
    });
  });

  it("exits 1 with one line naming stack and key on invalid config, and writes no JSON", async () => {
    writeFileSync(
      brokenFile,
      "config:\n  azure-native:location: westeurope\n  s2s-auth:environment: dev\n" +
        "  s2s-auth:callees:\n    - name: Not_A_Site\n",
    );
    const json = join(out, "broken.json");
    const { code, stdout, stderr } = await plan(["--stack", brokenStack, "--json", json]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^Invalid configuration for stack "${brokenStack}": s2s-auth:callees\\[0\\]\\.name: [^\\n]+\\n$`),
    );
    expect(stdout).toBe("");
    expect(existsSync(json)).toBe(false);
  });

  it("exits 1 with one line for a missing stack, 64 for a bad flag, 1 for a bad diff input", async () => {
    expect(await plan(["--stack", "nope"])).toMatchObject({
      code: 1,
      stderr: `stack "nope": no Pulumi.nope.yaml in ${PROJECT_DIR}\n`,
    });
    expect(await plan(["--bogus"])).toMatchObject({
      code: 64,
      stderr: expect.stringMatching(/^plan: Unknown option '--bogus' \(see npm run plan -- --help\)\n$/),
    });
    writeFileSync(join(out, "not-a-plan.json"), "{}");
    expect(await plan(["diff", join(out, "not-a-plan.json"), join(out, "not-a-plan.json")])).toMatchObject({
      code: 1,
    });
    expect(await plan(["diff", join(out, "not-a-plan.json")])).toMatchObject({
      code: 64,
      stderr: "plan diff: needs two plan files, BASE.json and HEAD.json (see npm run plan -- diff --help)\n",
    });
  });

  test.each([
    ["a::b", '"a::b"'],
    ["${x}", '"${x}"'],
    ["dev\u202e", '"dev\\u202e"'],
  ])("--stack %j: a name that would break URNs is refused in one line, exit 1", async (stack, shown) => {
    const { code, stdout, stderr } = await plan(["--stack", stack]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toBe(`stack ${shown}: a stack name is 1-100 letters, digits, '-', '_' or '.'\n`);
  });
});

describe("plan diff with files that are not plan documents", () => {
  const file = (name: string, text: string) => {
    const path = join(out, name);
    writeFileSync(path, text);
    return path;
  };
  const document = { project: "s2s-auth", stack: "dev", environment: "dev", steps: [], access: [] };

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
    // Where V8 says the JSON broke ("(line 3 column 3)"): in a fresh process, cli.deep.test.ts; V8 does not
    // always put it in the message inside a long-lived test worker.
    [
      "JSON with a bad property name",
      '{\n  "project": "s2s-auth",\n  stack: "dev"\n}\n',
      /: not valid JSON(?: \(line 3 column 3\))?; /,
    ],
    ["a list", "[1, 2]", /: not a plan document \(not an object\); /],
    [
      "a step that is a number",
      JSON.stringify({ ...document, steps: [1] }),
      /: not a plan document \(steps\[0\]: not an object\); /,
    ],
    [
      "a step without a type",
      JSON.stringify({ ...document, steps: [{ urn: "u", newState: { protect: false, inputs: {} } }] }),
      /: not a plan document \(steps\[0\]\.newState\.type: missing\); /,
    ],
    [
      "an access entry without a principal",
      JSON.stringify({ ...document, access: [{ callee: "c", principalType: "User", role: "r", grant: "g" }] }),
      /: not a plan document \(access\[0\]\.principal: missing\); /,
    ],
    [
      "no environment, and a stack that does not tell",
      JSON.stringify({ ...document, stack: "sandbox", environment: undefined }),
      /: not a plan document \(cannot tell the environment of stack "sandbox"/,
    ],
  ])("%s: one line naming the file, exit 1", async (_, text, problem) => {
    const bad = file("bad.json", text);
    const good = file("good.json", JSON.stringify(document));
    const { code, stdout, stderr } = await plan(["diff", good, bad]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr.startsWith(`${bad}: `)).toBe(true);
    expect(stderr).toMatch(problem);
    expect(stderr.split("\n")).toHaveLength(2);
  });
});

// Issue 23, item 3: the bootstrap plan's access matrix named Microsoft Graph by a lookup placeholder
// and each permission by its GUID; model/roles.ts knows both names.
test("--project bootstrap (the dev tenant's stack) names Microsoft Graph and its permissions", async () => {
  const { code, stdout } = await plan(["--project", "bootstrap"]);
  expect(code).toBe(0);
  const access = stdout.slice(stdout.indexOf("Access: who can obtain a token"), stdout.indexOf("\nFindings"));
  expect(access).toBe(
    [
      "Access: who can obtain a token for each callee",
      "  Microsoft Graph",
      "    ServicePrincipal  deploy-dev     AppRoleAssignment.ReadWrite.All",
      "    ServicePrincipal  deploy-dev     Application.Read.All",
      "    ServicePrincipal  deploy-dev     Application.ReadWrite.OwnedBy",
      "    ServicePrincipal  deploy-dev     User.Read.All",
      "    ServicePrincipal  deploy-review  AppRoleAssignment.ReadWrite.All",
      "    ServicePrincipal  deploy-review  Application.Read.All",
      "    ServicePrincipal  deploy-review  Application.ReadWrite.OwnedBy",
      "    ServicePrincipal  deploy-review  User.Read.All",
      "    ServicePrincipal  preview-dev    Application.Read.All",
      "    ServicePrincipal  preview-dev    User.Read.All",
      "",
    ].join("\n"),
  );
});

// Issue 23, item 1: plan-comment.yml renders the comment with this command, from the base branch.
test("plan comment writes the comment from two plan folders; a missing option is a usage error", async () => {
  const [base, head] = [join(out, "comment-base"), join(out, "comment-head")];
  for (const d of [base, head]) {
    mkdirSync(d, { recursive: true });
    expect((await plan(["--stack", "dev", "--json", join(d, "dev.json")])).code).toBe(0);
  }
  writeFileSync(join(out, "files.txt"), "tools/plan/render.ts\nREADME.md\n");
  const md = join(out, "comment.md");
  const args = ["comment", "--base", base, "--head", head, "--stacks", "dev", "--markdown", md];
  expect(await plan([...args, "--changed-files", join(out, "files.txt")])).toMatchObject({ code: 0, stderr: "" });
  const text = readFileSync(md, "utf8");
  expect(text).toContain("The head plans below were computed by this pull request's code");
  expect(text).toContain("**This pull request changes what computes or uploads its plans:** `tools/plan/render.ts`.");
  expect(text).toContain("#### dev\n\n### Offline plan diff: `s2s-auth` stack `dev`");
  expect(await plan(["comment", "--base", base])).toMatchObject({
    code: 64,
    stderr: "plan comment: --base, --head and --markdown are required (see npm run plan -- comment --help)\n",
  });
});
