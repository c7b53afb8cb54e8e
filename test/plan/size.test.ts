// A config too large to plan in memory is refused in one line, before the program runs; the
// estimate it is judged by never undercounts what the program declares.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import main from "../../index.ts";
import { topologyConfig } from "../../bench/topology.ts";
import { configValueText } from "../../plan/stackConfig.ts";
import { recordProgram } from "../../plan/recorder.ts";
import { estimateResources, MAX_PLAN_RESOURCES, MAX_STACK_FILE_BYTES } from "../../plan/size.ts";
import { PROJECT_DIR } from "./stacks.ts";

const NODE = join(PROJECT_DIR, "node_modules", ".bin", "node");
const EXT = "11111111-2222-3333-4444-555555555555";

function asText(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, configValueText(v)]));
}

const shapes: Record<string, Record<string, unknown>> = {
  "every host as callee and caller, an external caller": {
    "azure-native:location": "westeurope",
    "s2s-auth:environment": "test",
    "s2s-auth:callees": [
      { name: "api-a" },
      { name: "api-f", host: "functionApp" },
      { name: "api-c", host: "containerApp" },
    ],
    "s2s-auth:callers": [
      { name: "api-c", host: "containerApp", calls: [{ callee: "api-a" }] },
      { name: "job-f", host: "functionApp", calls: [{ callee: "api-a" }, { callee: "api-f" }] },
      { name: "web-a", calls: [{ callee: "api-c" }] },
      { name: "web-c", host: "containerApp", calls: [{ callee: "api-f" }] },
      { name: "vm", host: "external", principalId: EXT, calls: [{ callee: "api-a" }, { callee: "api-c" }] },
    ],
    "s2s-auth:ciAccess": {
      repository: "octo/repo",
      subjects: ["pull_request", "environment:test"],
      calls: [{ callee: "api-a" }],
    },
  },
  "dev access": {
    "azure-native:location": "westeurope",
    "s2s-auth:environment": "dev",
    "s2s-auth:callees": [{ name: "api-a" }, { name: "api-b", host: "functionApp" }],
    "s2s-auth:devAccess": {
      authorizedClients: ["azure-cli", "visual-studio"],
      users: ["a@contoso.example", EXT.replace("1111", "2222")],
      groups: [EXT],
    },
  },
  "a generated topology": topologyConfig({ callers: 12, callees: 4, maxCallsPerCaller: 3 }),
};

test.each(Object.keys(shapes))(
  "the estimate is at least what the program declares, and close to it: %s",
  async (name) => {
    const config = asText(shapes[name]!);
    const { resources } = await recordProgram({ project: "s2s-auth", stack: "size", config, program: main });
    const estimate = estimateResources("s2s-auth", config);
    expect(estimate).toBeGreaterThanOrEqual(resources.length);
    expect(estimate).toBeLessThanOrEqual(Math.ceil(resources.length * 1.15));
  },
);

describe("npm run plan with a config too large for memory", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "plan-size-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const plan = (file: string) =>
    spawnSync(NODE, ["--stack-trace-limit=1", "plan/cli.ts", "--config", file], {
      cwd: PROJECT_DIR,
      encoding: "utf8",
      env: { ...process.env, INIT_CWD: PROJECT_DIR },
    });

  test("a topology past the limit: exit 1, one line stating the limit, no V8 trace, before the program runs", () => {
    const file = join(dir, "Pulumi.huge.yaml");
    const config = topologyConfig({ callers: 1500, callees: 20, maxCallsPerCaller: 3 });
    writeFileSync(file, JSON.stringify({ config }));
    expect(estimateResources("s2s-auth", asText(config))).toBeGreaterThan(MAX_PLAN_RESOURCES);
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
