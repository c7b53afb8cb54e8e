// The pack must fail a preview when it finds a mandatory violation: the dev stack judged as a test
// stack breaks the env-* rules (its developer access is dev-only). With --json the engine still fails
// the preview ("preview failed") but leaves the policy report out of the JSON (pulumi/pulumi#20232),
// so the text preview is what names the rule.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENT_POLICY } from "../../policy/pack.ts";
import { environmentRules } from "../../policy/rules/environment.ts";
import { step } from "./context.ts";

export const devJudgedAsTest = step({
  name: "dev judged as test by the pack: pulumi preview fails, with --json too, on env-no-preauthorized-clients",
  run: async ({ ws }) => {
    const config = join(ws.dir, ".policy-as-test.json");
    // Every policy that reads the environment, so a renamed or new one is judged as test too.
    const judged = [ENVIRONMENT_POLICY, ...environmentRules.map((rule) => rule.id)];
    writeFileSync(config, JSON.stringify(Object.fromEntries(judged.map((id) => [id, { environment: "test" }]))));
    const preview = (json: string[]) =>
      ws.pulumi("dev", ["preview", ...json, "--policy-pack", "policy", "--policy-pack-config", config], {
        allowFailure: true,
      });
    const asJson = await preview(["--json"]);
    assert(asJson.code !== 0, `the --json preview passed:\n${asJson.stdout.slice(-2000)}`);
    assert(asJson.stdout.includes("preview failed"), `no "preview failed" in:\n${asJson.stdout.slice(-2000)}`);
    const asText = await preview([]);
    const text = asText.stdout + asText.stderr;
    assert(asText.code !== 0, `the text preview passed:\n${text.slice(-2000)}`);
    assert(text.includes("env-no-preauthorized-clients"), `no env-no-preauthorized-clients in:\n${text.slice(-2000)}`);
    return `both exit non-zero (${asJson.code}, ${asText.code}); the text names env-no-preauthorized-clients`;
  },
});
