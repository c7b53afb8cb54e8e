// A pull request's review stack, made and removed by review-stacks.yml's own scripts: the workflow
// step that creates it (read from the workflow file) and tools/scripts/destroy-review-stacks.sh.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stepScript } from "../workflow.ts";
import { step } from "./context.ts";

export const reviewStack = step({
  name: "review stack: review-stacks.yml's own scripts create, update and destroy dev-pr-7",
  run: async ({ ws }) => {
    const stack = "dev-pr-7";
    const workflow = join(ws.dir, ".github", "workflows", "review-stacks.yml");
    const summary = join(ws.dir, ".review-summary.md");
    // The workspace plays both checkouts: the pull request's program and the default branch's pack.
    const env = {
      STACK: stack,
      PULUMI_SECRETS_PROVIDER: "passphrase",
      GITHUB_STEP_SUMMARY: summary,
      PROGRAM_DIR: ws.dir,
      POLICY_PACK: join(ws.dir, "policy"),
    };
    await ws.run(
      "bash",
      ["-euo", "pipefail", "-c", stepScript(workflow, "Create or select the review stack, config from dev, pulumi up")],
      { env },
    );
    await ws.run("bash", ["tools/scripts/destroy-review-stacks.sh", stack], { env });
    const stacks = JSON.parse((await ws.run("pulumi", ["stack", "ls", "--json"])).stdout) as { name: string }[];
    assert(!stacks.some((s) => s.name === stack), `${stack} is still listed after the destroy script`);
    return readFileSync(summary, "utf8").trim();
  },
});
