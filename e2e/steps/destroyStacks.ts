// dev, test and prod destroyed side by side (prod unprotected first): the twin must hold nothing of
// them, only what bootstrap/ made.
import assert from "node:assert/strict";
import { remains, stackEnv, step, total } from "./context.ts";

export const destroyStacks = step({
  name: "dev, test and prod: destroy leaves nothing of the stacks in the twin, then stack rm",
  needs: ["bootstrap"],
  run: async ({ ws, bootstrap }) => {
    await ws.pulumi("prod", ["state", "unprotect", "--all", "--yes"]);
    await Promise.all(
      ["dev", "test", "prod"].map((stack) =>
        ws.pulumi(stack, ["destroy", "--yes", "--skip-preview", "--remove"], { env: stackEnv(bootstrap, stack) }),
      ),
    );
    const left = await remains(ws);
    assert(
      total(left) === bootstrap.objects,
      `left in the twin beyond bootstrap's identities: ${JSON.stringify(left)}`,
    );
    return (
      `only bootstrap's ${bootstrap.objects} objects left; soft-deleted Entra objects: ` +
      `${JSON.stringify(left.softDeleted)}`
    );
  },
});
