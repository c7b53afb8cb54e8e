// `npm run plan -- --config <file>` with the longest names the config accepts (40 characters)
// on every host: it either plans Azure names that fit each resource type's rule, or refuses
// the config in one line. It plans them, so every name is checked here the way Azure will.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AZURE_NAME_RULES, azureName, NAMED_BY_PARENT, nameProblem } from "../../components/azureNames.ts";

const PROJECT_DIR = resolve(__dirname, "../..");
const NODE = join(PROJECT_DIR, "node_modules", ".bin", "node");
const forty = (tag: string) => `${tag}-${"x".repeat(39 - tag.length)}`;
const [WEB, FUNC, CONT] = [forty("web"), forty("func"), forty("cont")];

const STACK_FILE = `# 40-character service names on appService, functionApp and containerApp.
config:
  azure-native:location: westeurope
  s2s-auth:environment: test
  s2s-auth:callees:
    - name: ${WEB}
      host: appService
    - name: ${CONT}
      host: containerApp
  s2s-auth:callers:
    - name: ${FUNC}
      host: functionApp
      calls:
        - callee: ${CONT}
    - name: ${CONT}
      host: containerApp
      calls:
        - callee: ${WEB}
`;

interface Step {
  urn: string;
  newState: { type: string; custom: boolean; inputs: Record<string, unknown> };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "plan-names-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the plan of 40-character names on every host declares only Azure names that fit", () => {
  expect([WEB, FUNC, CONT].map((n) => n.length)).toEqual([40, 40, 40]);
  const config = join(dir, "Pulumi.names40.yaml");
  const json = join(dir, "plan.json");
  writeFileSync(config, STACK_FILE);
  const result = spawnSync(NODE, ["--stack-trace-limit=1", "plan/cli.ts", "--config", config, "--json", json], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
    env: { ...process.env, INIT_CWD: PROJECT_DIR },
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  const steps = (JSON.parse(readFileSync(json, "utf8")) as { steps: Step[] }).steps;
  const named = steps.filter(
    (s) =>
      s.newState.custom && s.newState.type.startsWith("azure-native:") && !NAMED_BY_PARENT.includes(s.newState.type),
  );
  const checked = named.map((s) => {
    const type = s.newState.type;
    // Auto-named resources get 8 random hex characters (or a GUID): the longest case is checked.
    const suffix = AZURE_NAME_RULES[type]?.autoname === "uuid" ? "ffffffff-ffff-ffff-ffff-ffffffffffff" : "ffffffff";
    const name =
      azureName(type, s.urn.slice(s.urn.lastIndexOf("::") + 2), s.newState.inputs, suffix) ??
      `<no naming rule for ${type}>`;
    return { type, name, problem: nameProblem(type, name) };
  });
  expect(checked.filter((c) => c.problem !== undefined)).toEqual([]);
  // Every kind of named resource the three hosts need was planned and checked.
  expect(new Set(checked.map((c) => c.type))).toEqual(new Set(Object.keys(AZURE_NAME_RULES)));
  expect(checked.find((c) => c.type === "azure-native:app:ContainerApp")!.name).toMatch(/^cont-x{18}-[0-9a-f]{8}$/);
});
