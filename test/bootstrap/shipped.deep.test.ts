// The bootstrap project plans offline through `npm run plan -- --project bootstrap` as a real
// process, as the pipeline runs it; the same through the CLI's `main` in-process: shipped.test.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

describe("npm run plan -- --project bootstrap", () => {
  const NODE = join(ROOT, "node_modules", ".bin", "node");
  const run = (...args: string[]) =>
    spawnSync(NODE, ["--stack-trace-limit=1", "tools/plan/cli.ts", ...args], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, INIT_CWD: ROOT },
    });
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "plan-bootstrap-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("plans the shipped stack offline: exit 0, no findings, the identities in the JSON", () => {
    const file = join(dir, "bootstrap.json");
    const result = run("--project", "bootstrap", "--json", file);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const plan = JSON.parse(readFileSync(file, "utf8")) as {
      project: string;
      stack: string;
      diagnostics: unknown[];
      steps: { urn: string }[];
    };
    expect([plan.project, plan.stack, plan.diagnostics]).toEqual(["s2s-auth-bootstrap", "pipeline", []]);
    expect(
      plan.steps
        .filter((s) => s.urn.includes("s2s-auth:bootstrap:PipelineIdentity::"))
        .map((s) => s.urn.split("::").pop()),
    ).toEqual(["preview", "deploy-dev", "deploy-prod"]);
  });

  it("refuses an unknown project in one line, exit 64 (a wrong command line, as in every CLI)", () => {
    const result = run("--project", "nope");
    expect(result.status).toBe(64);
    expect(result.stderr).toBe('--project: unknown project "nope" (known: bootstrap)\n');
  });
});
