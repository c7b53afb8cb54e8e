// The twin CLI's entry (twin/src/cli.ts) as a process: prints what the command prints, exits with its code.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { readState, scratchStatePath } from "../src/state.ts";

const TWIN = join(import.meta.dirname, "..");

function twin(path: string | undefined, ...args: string[]) {
  const { S2S_TWIN_STATE: _unset, ...env } = process.env;
  const run = spawnSync(
    process.execPath,
    ["--disable-warning=ExperimentalWarning", join(TWIN, "src", "cli.ts"), ...args],
    { env: path === undefined ? env : { ...env, S2S_TWIN_STATE: path }, encoding: "utf8" },
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
  expect(wrong).toEqual({ code: 64, out: "", err: "twin: unknown command 'frobnicate' (see npm run twin -- --help)" });
});

test("without S2S_TWIN_STATE: one line saying so, no stack trace, exit 2", () => {
  const run = twin(undefined, "count");
  expect(run.code).toBe(2);
  expect(run.out).toBe("");
  expect(run.err).toMatch(/^twin: S2S_TWIN_STATE is not set: [^\n]*$/);
});
