// The twin CLI's entry (twin/src/cli.ts) as a process: prints what the command prints, exits with its code.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { readState, scratchStatePath } from "../src/state.ts";

const TWIN = join(import.meta.dirname, "..");

function twin(path: string, ...args: string[]) {
  const run = spawnSync(
    process.execPath,
    ["--disable-warning=ExperimentalWarning", join(TWIN, "src", "cli.ts"), ...args],
    { env: { ...process.env, S2S_TWIN_STATE: path }, encoding: "utf8" },
  );
  return { code: run.status, out: run.stdout.trim(), err: run.stderr.trim() };
}

test("node twin/src/cli.ts runs a command on the tenant in S2S_TWIN_STATE and exits with its code", () => {
  const path = scratchStatePath();
  expect(twin(path, "init")).toEqual({ code: 0, out: path, err: "" });
  expect(twin(path, "show", "tenantId").out).toBe(JSON.stringify(readState(path).tenantId));
  expect(
    twin(path, "add-resource", "/subscriptions/s/resourceGroups/left", "Microsoft.Resources/resourceGroups").code,
  ).toBe(0);
  expect(twin(path, "count", "--expect-empty").code).toBe(1);
  const wrong = twin(path, "frobnicate");
  expect(wrong.code).toBe(2);
  expect(wrong.err).toMatch(/^twin: usage: node twin\/src\/cli.ts \[--tenant <guid>\] init/);
});
