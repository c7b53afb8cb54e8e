// The plan's bytes do not depend on the machine's locale or time zone: each run is its own Node
// process with LANG/LC_ALL and TZ set, so ICU's default collation and Date really change (which is
// why this is a deep test: no in-process run can change them).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR } from "./stacks.ts";

const NODE = join(PROJECT_DIR, "node_modules", ".bin", "node");
const RUNS = [
  { LANG: "C.UTF-8", TZ: "UTC" },
  { LANG: "da_DK.UTF-8", TZ: "UTC" },
  { LANG: "tr_TR.UTF-8", TZ: "Pacific/Kiritimati" },
  { LANG: "da_DK.UTF-8", TZ: "America/St_Johns" },
] as const;
// UPNs (within Entra ID's characters: config.ts) whose order differs between these locales under
// localeCompare: Danish sorts "aa" as "å", after "z"; Turkish sorts "I", the capital of dotless "ı",
// before "i".
const USERS = [
  "zoe@contoso.example",
  "aase@contoso.example",
  "Ivar@contoso.example",
  "ida@contoso.example",
  "adam@contoso.example",
];

function env(run: (typeof RUNS)[number]) {
  return {
    ...process.env,
    LANG: run.LANG,
    LC_ALL: run.LANG,
    TZ: run.TZ,
    INIT_CWD: PROJECT_DIR,
    NODE_COMPILE_CACHE: join(tmpdir(), "s2s-auth-test-compile-cache"),
  };
}

let dir: string;
let stackFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "plan-locale-"));
  stackFile = join(dir, "Pulumi.locales.yaml");
  writeFileSync(
    stackFile,
    JSON.stringify({
      config: {
        "azure-native:location": "westeurope",
        "s2s-auth:environment": "dev",
        "s2s-auth:callees": [{ name: "the-callee" }, { name: "zz-callee" }, { name: "aa-callee" }],
        "s2s-auth:callers": [
          { name: "the-caller", calls: [{ callee: "the-callee" }, { callee: "zz-callee" }, { callee: "aa-callee" }] },
        ],
        "s2s-auth:devAccess": { users: USERS },
      },
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the locales and time zones really change ICU's collation and the clock's offset in a child process", () => {
  const probe = (run: (typeof RUNS)[number]) =>
    spawnSync(
      NODE,
      [
        "-e",
        `console.log(JSON.stringify([${JSON.stringify(USERS)}.sort((a, b) => a.localeCompare(b)), ` +
          `new Date(0).getTimezoneOffset()]))`,
      ],
      {
        env: env(run),
        encoding: "utf8",
      },
    ).stdout;
  const seen = RUNS.map(probe);
  expect(new Set(seen.map((s) => JSON.stringify(JSON.parse(s)[0]))).size).toBe(3);
  expect(new Set(seen.map((s) => JSON.parse(s)[1])).size).toBe(3);
});

test("npm run plan writes the same JSON, Markdown and text under every locale and time zone", () => {
  const outputs = RUNS.map((run, i) => {
    const json = join(dir, `${i}.json`);
    const md = join(dir, `${i}.md`);
    const result = spawnSync(
      NODE,
      ["--stack-trace-limit=1", "tools/plan/cli.ts", "--config", stackFile, "--json", json, "--markdown", md],
      {
        cwd: PROJECT_DIR,
        env: env(run),
        encoding: "utf8",
      },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    return { json: readFileSync(json, "utf8"), md: readFileSync(md, "utf8"), text: result.stdout };
  });
  // Users come out in code-unit order: uppercase before lowercase, "aase" first.
  const principals = (JSON.parse(outputs[0]!.json) as { access: { principal: string; principalType: string }[] }).access
    .filter((a) => a.principalType === "User")
    .map((a) => a.principal);
  expect([...new Set(principals)]).toEqual([
    "Ivar@contoso.example",
    "aase@contoso.example",
    "adam@contoso.example",
    "ida@contoso.example",
    "zoe@contoso.example",
  ]);
  for (const o of outputs.slice(1)) {
    expect(o.json).toBe(outputs[0]!.json);
    expect(o.md).toBe(outputs[0]!.md);
    expect(o.text).toBe(outputs[0]!.text);
  }
}, 60_000);
