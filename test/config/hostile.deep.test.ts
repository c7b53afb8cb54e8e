// Hostile config against other processes: `npm run plan` given a stack file with
// s2s-auth:__proto__ (exit 1, nothing on stdout, one line on stderr), and git agreeing with the
// refs config accepts and refuses (test/config/hostile.test.ts checks the same in-process).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BAD_GIT_REFS, GOOD_GIT_REFS, PROTO_REFUSAL, PROTO_STACK_FILE } from "../fixtures/index.ts";

describe("prototype keys", () => {
  const name = "npm run plan of a stack file with s2s-auth:__proto__ refuses it in one line";
  test(`${name} instead of planning dev while the program sees prod`, () => {
    const root = resolve(import.meta.dirname, "../..");
    const dir = mkdtempSync(join(tmpdir(), "proto-"));
    try {
      const file = join(dir, "Pulumi.proto.yaml");
      writeFileSync(file, PROTO_STACK_FILE);
      const result = spawnSync(
        join(root, "node_modules/.bin/node"),
        ["--stack-trace-limit=1", "tools/plan/cli.ts", "--config", file],
        { cwd: root, encoding: "utf8", env: { ...process.env, INIT_CWD: root } },
      );
      expect({ code: result.status, stdout: result.stdout }).toEqual({ code: 1, stdout: "" });
      expect(result.stderr).toBe(`${PROTO_REFUSAL}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("git refs in ciAccess subjects", () => {
  test.each(GOOD_GIT_REFS)("git accepts %s, as config does", (ref) => {
    expect(spawnSync("git", ["check-ref-format", ref]).status).toBe(0);
  });
  test.each(BAD_GIT_REFS)("git refuses %s, as config does", (ref) => {
    expect(spawnSync("git", ["check-ref-format", ref]).status).not.toBe(0);
  });
});
