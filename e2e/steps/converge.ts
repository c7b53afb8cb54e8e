// `pulumi up` of a stack, then proof that it converged: the next preview (and for dev a refresh)
// finds no changes.
import { step } from "./context.ts";

export const devUp = step({
  name: "dev: pulumi up converges (then preview and refresh find no changes)",
  run: async ({ ws }) => {
    await ws.pulumi("dev", ["up", "--yes", "--skip-preview"]);
    await ws.pulumi("dev", ["preview", "--expect-no-changes"]);
    await ws.pulumi("dev", ["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
    return undefined;
  },
});

export const testUp = step({
  name: "test: pulumi up converges",
  run: async ({ ws }) => {
    await ws.pulumi("test", ["up", "--yes", "--skip-preview"]);
    await ws.pulumi("test", ["preview", "--expect-no-changes"]);
    return undefined;
  },
});
