// npm run demo as a new user runs it, in a copy of the project of its own (its own .twin/), with the
// built CLI in .tools as a fresh clone gets it copied in: four calls as the seed promises, then
// `--down` leaves the twin holding nothing of the stack and Pulumi.dev.yaml as it was.
import assert from "node:assert/strict";
import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../env.ts";
import { Workspace } from "../workspace.ts";
import { step } from "./context.ts";

export const demo = step({
  name: "demo: npm run demo in a fresh copy calls the callee four ways as promised; --down empties the twin",
  run: async () => {
    const copy = Workspace.create();
    try {
      symlinkSync(join(ROOT, ".tools"), join(copy.dir, ".tools"));
      const stackFile = readFileSync(join(copy.dir, "Pulumi.dev.yaml"), "utf8");
      // The caller's own PATH, as a user's shell has it: the demo sets up the twin's environment itself.
      const env = { PATH: process.env["PATH"] ?? "" };
      const up = await copy.run(process.execPath, [join(copy.dir, "e2e", "demo.ts")], { env });
      const rows = up.stdout.split("\n").filter((line) => /^ {2}[✔✘] /.test(line));
      assert.equal(rows.length, 4, `expected four calls:\n${up.stdout}`);
      assert(
        rows.every((row) => row.startsWith("  ✔")),
        `a call went otherwise than promised:\n${up.stdout}`,
      );
      const down = await copy.run(process.execPath, [join(copy.dir, "e2e", "demo.ts"), "--down"], { env });
      assert.match(down.stdout, /^The twin holds nothing of the stack/);
      assert.equal(readFileSync(join(copy.dir, "Pulumi.dev.yaml"), "utf8"), stackFile, "Pulumi.dev.yaml changed");
      return `${rows.length} calls as promised; --down: ${down.stdout.trim().split(";")[0]}`;
    } finally {
      copy.remove();
    }
  },
});
