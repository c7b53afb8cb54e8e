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

  it.each([
    [["--stack", "dev-tenant"], "dev-tenant", [], ["deploy-review", "preview-dev", "deploy-dev"]],
    [["--stack", "prod-tenant"], "prod-tenant", [], ["preview-prod", "deploy-prod"]],
    [
      ["--config", "examples/bootstrap/Pulumi.one-tenant.yaml"],
      "one-tenant",
      ["tenant-prod-graph-shared", "tenant-prod-graph-shared"],
      ["deploy-review", "preview-dev", "deploy-dev", "preview-prod", "deploy-prod"],
    ],
  ])("plans %j offline as a process: the stack, its findings, its identities", (args, stack, findings, identities) => {
    const file = join(dir, "bootstrap.json");
    const result = run("--project", "bootstrap", ...args, "--json", file);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const plan = JSON.parse(readFileSync(file, "utf8")) as {
      project: string;
      stack: string;
      diagnostics: { policy: string }[];
      steps: { urn: string }[];
    };
    expect([plan.project, plan.stack, plan.diagnostics.map((d) => d.policy)]).toEqual([
      "s2s-auth-bootstrap",
      stack,
      findings,
    ]);
    expect(
      plan.steps
        .filter((s) => s.urn.includes("s2s-auth:bootstrap:PipelineIdentity::"))
        .map((s) => s.urn.split("::").pop()),
    ).toEqual(identities);
  });

  it("refuses an unknown project in one line, exit 64 (a wrong command line, as in every CLI)", () => {
    const result = run("--project", "nope");
    expect(result.status).toBe(64);
    expect(result.stderr).toBe('--project: unknown project "nope" (known: bootstrap)\n');
  });
});
