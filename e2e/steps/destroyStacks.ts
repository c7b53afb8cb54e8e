// dev, test and prod destroyed side by side (prod unprotected first), dev by docs/deploying.md's own
// lines: the twin must hold nothing of them, only what bootstrap/ made, and each stack file (committed
// config) must still be there as it was.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { documentedScript } from "../docs.ts";
import { remains, stackEnv, step, total } from "./context.ts";

const STACKS = ["dev", "test", "prod"];

export const destroyStacks = step({
  name: "dev, test and prod: destroy leaves nothing of the stacks in the twin, then stack rm keeps their config",
  needs: ["bootstrap"],
  run: async ({ ws, bootstrap }) => {
    const file = (stack: string) => join(ws.dir, `Pulumi.${stack}.yaml`);
    const before = Object.fromEntries(STACKS.map((stack) => [stack, readFileSync(file(stack), "utf8")]));
    await ws.pulumi("prod", ["state", "unprotect", "--all", "--yes"]);
    const documented = documentedScript(join(ws.dir, "docs", "deploying.md"), "## Destroying a dev stack");
    await Promise.all([
      ws.run("bash", ["-euo", "pipefail", "-c", documented], { env: stackEnv(bootstrap, "dev") }),
      ...["test", "prod"].map(async (stack) => {
        await ws.pulumi(stack, ["destroy", "--yes", "--skip-preview"], { env: stackEnv(bootstrap, stack) });
        await ws.run("pulumi", ["stack", "rm", stack, "--preserve-config", "--yes"]);
      }),
    ]);
    const stacks = JSON.parse((await ws.run("pulumi", ["stack", "ls", "--json"])).stdout) as { name: string }[];
    assert.deepEqual(
      stacks.map((s) => s.name).filter((name) => STACKS.includes(name)),
      [],
      "a destroyed stack is still listed",
    );
    for (const stack of STACKS)
      assert.equal(readFileSync(file(stack), "utf8"), before[stack], `Pulumi.${stack}.yaml changed or went`);
    const left = await remains(ws);
    assert(
      total(left) === bootstrap.objects,
      `left in the twin beyond bootstrap's identities: ${JSON.stringify(left)}`,
    );
    return (
      `only bootstrap's ${bootstrap.objects} objects left, the three stack files as they were; soft-deleted ` +
      `Entra objects: ${JSON.stringify(left.softDeleted)}`
    );
  },
});
