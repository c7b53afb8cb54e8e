// The plan of a stack file with the longest names the config accepts (40 characters) on every
// host: the program either declares Azure names that fit each resource type's rule, or refuses
// the config in one line. It declares them, so every name is checked here the way Azure will.
// In-process: the stack file is read as `npm run plan -- --config <file>` reads it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AZURE_NAME_RULES, azureName, NAMED_BY_PARENT, nameProblem } from "../../model/azureNames.ts";
import main from "../../index.ts";
import { RESOURCE_TYPE } from "../../model/index.ts";
import { recordProgram } from "../../tools/plan/recorder.ts";
import { readStackFiles } from "../../tools/plan/stackConfig.ts";

const PROJECT_DIR = resolve(import.meta.dirname, "../..");
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

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "plan-names-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the plan of 40-character names on every host declares only Azure names that fit", async () => {
  expect([WEB, FUNC, CONT].map((n) => n.length)).toEqual([40, 40, 40]);
  const config = join(dir, "Pulumi.names40.yaml");
  writeFileSync(config, STACK_FILE);
  const files = readStackFiles(PROJECT_DIR, "names40", config);
  const recording = await recordProgram({
    project: files.project,
    stack: "names40",
    config: files.config,
    program: main,
  });
  const named = recording.resources.filter(
    (r) => r.custom && r.type.startsWith("azure-native:") && !NAMED_BY_PARENT.includes(r.type),
  );
  const checked = named.map((r) => {
    const type = r.type;
    // Auto-named resources get 8 random hex characters (or a GUID): the longest case is checked.
    const suffix = AZURE_NAME_RULES[type]?.autoname === "uuid" ? "ffffffff-ffff-ffff-ffff-ffffffffffff" : "ffffffff";
    const name = azureName(type, r.name, r.inputs, suffix) ?? `<no naming rule for ${type}>`;
    return { type, name, problem: nameProblem(type, name) };
  });
  expect(checked.filter((c) => c.problem !== undefined)).toEqual([]);
  // Every kind of named resource the three hosts need was planned and checked.
  expect(new Set(checked.map((c) => c.type))).toEqual(new Set(Object.keys(AZURE_NAME_RULES)));
  expect(checked.find((c) => c.type === RESOURCE_TYPE.containerApp)!.name).toMatch(/^cont-x{18}-[0-9a-f]{8}$/);
});
