// `npm run plan` as a process, given a stack file with s2s-auth:__proto__: exit 1, nothing on
// stdout, one line on stderr (test/config/hostile.test.ts checks the same refusal in-process).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PROTO_REFUSAL, PROTO_STACK_FILE } from "../fixtures/index.ts";

describe("prototype keys", () => {
  const name = "npm run plan of a stack file with s2s-auth:__proto__ refuses it in one line";
  test(`${name} instead of planning dev while the program sees prod`, () => {
    const root = resolve(__dirname, "../..");
    const dir = mkdtempSync(join(tmpdir(), "proto-"));
    try {
      const file = join(dir, "Pulumi.proto.yaml");
      writeFileSync(file, PROTO_STACK_FILE);
      const result = spawnSync(
        join(root, "node_modules/.bin/node"),
        ["--stack-trace-limit=1", "plan/cli.ts", "--config", file],
        { cwd: root, encoding: "utf8", env: { ...process.env, INIT_CWD: root } },
      );
      expect({ code: result.status, stdout: result.stdout }).toEqual({ code: 1, stdout: "" });
      expect(result.stderr).toBe(`${PROTO_REFUSAL}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
