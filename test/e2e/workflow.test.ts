// npm run e2e runs review-stacks.yml's own step script: it must find it, and say so when it cannot.
import { join } from "node:path";
import { stepScript } from "../../e2e/workflow.ts";

const WORKFLOW = join(import.meta.dirname, "..", "..", ".github", "workflows", "review-stacks.yml");

test("reads the run: script of a named step from the workflow file", () => {
  const script = stepScript(WORKFLOW, "Create or select the review stack, config from dev, pulumi up");
  expect(script).toMatch(/pulumi stack select --create "\$STACK"/);
  expect(script).toMatch(/grep -vE .* Pulumi\.dev\.yaml >> "Pulumi\.\$STACK\.yaml"/);
  expect(script).toMatch(/pulumi up --yes --stack "\$STACK" --policy-pack "\$POLICY_PACK"/);
});

test("a step that is not there is an error naming the file and the step", () => {
  expect(() => stepScript(WORKFLOW, "No such step")).toThrow(/review-stacks\.yml: no step named "No such step"/);
});
