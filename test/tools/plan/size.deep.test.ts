// `npm run plan` as a process with a config too large for memory: refused in one line before the
// program runs, so no V8 heap trace; and a stack file over the size limit. The arithmetic and the
// same refusals in-process: size.test.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { topologyConfig } from "../../../tools/bench/topology.ts";
import { MAX_STACK_FILE_BYTES } from "../../../tools/plan/size.ts";
import { PROJECT_DIR } from "./stacks.ts";

const NODE = join(PROJECT_DIR, "node_modules", ".bin", "node");

describe("npm run plan with a config too large for memory", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "plan-size-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const plan = (file: string) =>
    spawnSync(NODE, ["--stack-trace-limit=1", "tools/plan/cli.ts", "--config", file], {
      cwd: PROJECT_DIR,
      encoding: "utf8",
      env: { ...process.env, INIT_CWD: PROJECT_DIR },
    });

  test("a topology past the limit: exit 1, one line stating the limit, no V8 trace, before the program runs", () => {
    const file = join(dir, "Pulumi.huge.yaml");
    const config = topologyConfig({ callers: 1500, callees: 20, maxCallsPerCaller: 3 });
    writeFileSync(file, JSON.stringify({ config }));
    const result = plan(file);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^stack "huge": the config declares about [\d,]+ resources; the offline plan handles at most 9,000 in memory \(docs\/performance\.md\)[^\n]*\n$/,
    );
  }, 60_000);

  test("a stack file larger than the limit: one line naming the file and the limit", () => {
    const file = join(dir, "Pulumi.bloated.yaml");
    writeFileSync(file, `# ${"x".repeat(MAX_STACK_FILE_BYTES)}\nconfig: {}\n`);
    const result = plan(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`${file}: larger than 16 MB, more than the offline plan can hold in memory\n`);
  }, 60_000);
});
