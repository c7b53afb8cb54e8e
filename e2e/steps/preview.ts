// A stack's preview under the real engine, checked twice at once: its JSON must match the offline
// plan (`npm run plan --json`, e2e/compare.ts) and the policy pack must pass it.
import assert from "node:assert/strict";
import { comparePreviewToPlan, failures, type Difference, type PlanLikeDocument } from "../compare.ts";
import { stackEnv, step } from "./context.ts";

function describeDifference(d: Difference): string {
  const where = d.path ? ` ${d.path}` : "";
  return `${d.kind} ${d.urn}${where}: plan ${JSON.stringify(d.plan)} vs preview ${JSON.stringify(d.preview)}`;
}

/** The step for one stack: one preview does both checks. */
export const previewMatchesPlan = (stack: string) =>
  step({
    name: `${stack}: pulumi preview --json --policy-pack policy passes and matches npm run plan --json`,
    needs: ["bootstrap"],
    run: async ({ ws, bootstrap }) => {
      const [preview, plan] = await Promise.all([
        ws.pulumi(stack, ["preview", "--json", "--policy-pack", "policy"], { env: stackEnv(bootstrap, stack) }),
        ws.plan(stack),
      ]);
      const differences = comparePreviewToPlan(
        JSON.parse(preview.stdout) as PlanLikeDocument,
        plan as PlanLikeDocument,
      );
      const bad = failures(differences);
      assert(bad.length === 0, `${bad.length} difference(s):\n${bad.map(describeDifference).join("\n")}`);
      const added = [...new Set(differences.filter((d) => d.kind === "provider-added").map((d) => d.path))];
      return (
        `${(plan as PlanLikeDocument).steps.length} resources agree; inputs only the provider adds: ` +
        `${added.join(", ") || "none"}`
      );
    },
  });
