// tools/scripts/need-node.mjs: every npm script that runs this project's TypeScript first checks that
// the Node running it strips types, and says in one line how to get one that does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../childProcess.ts";

const PRELOAD = "./tools/scripts/need-node.mjs";
type NodeProblem = (version: string, execPath: string) => string | undefined;
// Plain JavaScript without types (it must load on an old Node): imported by a computed path.
const load = async () => (await import(join(ROOT, PRELOAD) as string)) as { nodeProblem: NodeProblem };

// Issue 23, item 5: with install scripts skipped (the `node` dev dependency's fetches its binary) or an
// older Node first on PATH, every entry point died with `Unknown file extension ".ts"`.
test("Node before 22.18 gets one line on how to get a Node that runs the project; 22.18 on pass", async () => {
  const { nodeProblem } = await load();
  for (const old of ["v20.20.2", "v22.17.1", "v18.19.0"]) {
    const line = nodeProblem(old, "/usr/bin/node");
    expect(line).toBe(
      `s2s-auth: this needs Node.js 22.18 or later, but /usr/bin/node is ${old}: npm ci installs it as the ` +
        "`node` dev dependency (its install script fetches the binary, so not with --ignore-scripts), or " +
        "install the version in .nvmrc yourself (nvm install, actions/setup-node)",
    );
  }
  for (const ok of ["v22.18.0", "v22.23.3", "v23.0.0", "v24.11.1"]) expect(nodeProblem(ok, "node")).toBeUndefined();
});

test("every npm script that runs TypeScript or jest preloads the check", () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts;
  const runsProject = Object.entries(scripts).filter(([, s]) => /\.ts\b|\bjest\b|mutation\.mjs/.test(s));
  expect(runsProject.map(([name]) => name)).toEqual(
    expect.arrayContaining(["test", "test:deep", "plan", "smoke", "drift", "e2e", "twin", "bench", "fence"]),
  );
  for (const [name, script] of runsProject)
    expect({ name, guarded: script.includes(`node --import ${PRELOAD} `) }).toEqual({ name, guarded: true });
});
