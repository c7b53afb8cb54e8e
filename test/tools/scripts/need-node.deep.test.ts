// tools/scripts/need-node.mjs with a real older Node, where the machine has one besides the project's
// (the machine this project runs on has Node 20 first on PATH without node_modules/.bin).
import { spawnSync } from "node:child_process";
import { ROOT } from "../../childProcess.ts";

const older = ["/usr/bin/node", "/usr/local/bin/node"]
  .map((path) => ({ path, version: spawnSync(path, ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "" }))
  .find(({ version }) => /^v(1[89]|2[01])\.|^v22\.(\d|1[0-7])\./.test(version));

// Issue 23, item 5: an older Node running a plan said `Unknown file extension ".ts"` and a stack trace.
(older ? test : test.skip)("an older Node running npm run plan's command: one line, exit 1, nothing loaded", () => {
  const run = spawnSync(older!.path, ["--import", "./tools/scripts/need-node.mjs", "tools/plan/cli.ts"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  expect(run.status).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(
    new RegExp(`^s2s-auth: this needs Node\\.js 22\\.18 or later, but .* is ${older!.version}: [^\\n]*\\n$`),
  );
});
