// tools/plan/size.ts: a config too large to plan in memory is refused in one line, before the program
// runs (through tools/plan/cli.ts's `main`, in-process); the estimate it is judged by never undercounts
// what the program declares. The same refusal in a real process: size.deep.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { topologyConfig } from "../../../tools/bench/topology.ts";
import { configValueText } from "../../../tools/plan/stackConfig.ts";
import { main as plan } from "../../../tools/plan/cli.ts";
import { estimateResources, MAX_PLAN_RESOURCES, MAX_STACK_FILE_BYTES, sizeProblem } from "../../../tools/plan/size.ts";
import { runMain } from "../cli/io.ts";
import { cachedPlanRecording } from "../../fixtures/recordingCache.ts";

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
  // Six callers take every call count the generator makes (1 + i mod 3), at half the recording cost of twelve.
  "a generated topology": topologyConfig({ callers: 6, callees: 3, maxCallsPerCaller: 3 }),
};

test.each(Object.keys(shapes))(
  "the estimate is at least what the program declares, and close to it: %s",
  async (name) => {
    const config = asText(shapes[name]!);
    const { resources } = await cachedPlanRecording("s2s-auth", "size", config);
    const estimate = estimateResources("s2s-auth", config);
    expect(estimate).toBeGreaterThanOrEqual(resources.length);
    expect(estimate).toBeLessThanOrEqual(Math.ceil(resources.length * 1.15));
  },
);

describe("npm run plan with a config too large for memory, in-process", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "plan-size-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a topology past the limit: exit 1, one line stating the limit, before the program runs", async () => {
    const file = join(dir, "Pulumi.huge.yaml");
    const config = topologyConfig({ callers: 1500, callees: 20, maxCallsPerCaller: 3 });
    writeFileSync(file, JSON.stringify({ config }));
    expect(estimateResources("s2s-auth", asText(config))).toBeGreaterThan(MAX_PLAN_RESOURCES);
    const { code, stdout, stderr } = await runMain(plan, ["--config", file]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toMatch(
      /^stack "huge": the config declares about [\d,]+ resources; the offline plan handles at most 9,000 in memory \(docs\/performance\.md\)[^\n]*\n$/,
    );
  });

  test("a config just under the limit is not refused for its size", () => {
    const config = asText(topologyConfig({ callers: 1000, callees: 20, maxCallsPerCaller: 3 }));
    const estimate = estimateResources("s2s-auth", config);
    expect(estimate).toBeLessThanOrEqual(MAX_PLAN_RESOURCES);
    expect(sizeProblem("under", "s2s-auth", config)).toBeUndefined();
    expect(
      sizeProblem("over", "s2s-auth", asText(topologyConfig({ callers: 1500, callees: 20, maxCallsPerCaller: 3 }))),
    ).toMatch(/^stack "over": the config declares about [\d,]+ resources; the offline plan handles at most 9,000/);
  });

  test("a stack file larger than the limit: one line naming the file and the limit", async () => {
    const file = join(dir, "Pulumi.bloated.yaml");
    writeFileSync(file, `# ${"x".repeat(MAX_STACK_FILE_BYTES)}\nconfig: {}\n`);
    const { code, stderr } = await runMain(plan, ["--config", file]);
    expect(code).toBe(1);
    expect(stderr).toBe(`${file}: larger than 16 MB, more than the offline plan can hold in memory\n`);
  });
});
