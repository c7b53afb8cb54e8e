// The seed's promise through the twin's Entra ID and EasyAuth: npm run smoke against the three
// stacks (e2e/smoke.ts), each case printed.
import assert from "node:assert/strict";
import { SHIPPED_PEOPLE } from "../env.ts";
import { formatCases, smokeStacks, type StackOutputs } from "../smoke.ts";
import { outputs, step } from "./context.ts";

export const smoke = step({
  name: "smoke: npm run smoke against dev, test and prod through the twin's Entra ID and EasyAuth",
  run: async ({ ws, io }) => {
    const stacks = await Promise.all(
      (["dev", "test", "prod"] as const).map(async (stack) => ({
        stack,
        outputs: (await outputs(ws, stack)) as unknown as StackOutputs,
        developerAllowed: stack === "dev",
      })),
    );
    const cases = await smokeStacks(ws, stacks, SHIPPED_PEOPLE.users[0]!);
    io.stderr(`${formatCases(cases)}\n`);
    const failed = cases.filter((c) => !c.ok);
    assert(cases.length > 0, "no smoke case ran");
    assert(failed.length === 0, `${failed.length} case(s) broke the promise:\n${formatCases(failed)}`);
    return `${cases.length} cases, each as the seed promises`;
  },
});
