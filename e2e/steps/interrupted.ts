// `pulumi up` stopped midway with SIGINT, as a person's Ctrl-C does, then run again: it must
// converge with no object made twice.
import assert from "node:assert/strict";
import { copyOfDev, step } from "./context.ts";

export const interrupted = step({
  name: "interrupted: pulumi up stopped midway (SIGINT) and run again converges, no duplicate",
  run: async ({ ws }) => {
    const stack = "dev-pr-8";
    await copyOfDev(ws, stack);
    const child = ws.start("pulumi", [
      "up",
      "--yes",
      "--skip-preview",
      "--stack",
      stack,
      "--non-interactive",
      "--color",
      "never",
    ]);
    let created = 0;
    let interrupted = false;
    child.stdout!.on("data", (d: Buffer) => {
      created += (d.toString().match(/ created /g) ?? []).length;
      if (created >= 8 && !interrupted) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert(interrupted, "pulumi up finished before it could be interrupted");
    assert(code !== 0, "the interrupted pulumi up exited 0");
    await ws.pulumi(stack, ["up", "--yes", "--skip-preview"]);
    await ws.pulumi(stack, ["preview", "--expect-no-changes"]);
    const apps = (await ws.twin(["find", "applications", "displayName", `the-callee-${stack}`])).stdout
      .trim()
      .split("\n")
      .filter(Boolean);
    assert(apps.length === 1, `${apps.length} applications named the-callee-${stack} in the twin`);
    await ws.pulumi(stack, ["destroy", "--yes", "--skip-preview", "--remove"]);
    return `stopped after ${created} creates (exit ${code}); the second up converged`;
  },
});
