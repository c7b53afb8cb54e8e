// The seed's rules on a callee whose app registration exists (`existingApplication`): judged by what
// the program read of the app and its service principal, where it could be read (at `pulumi preview`;
// tools/plan's run offline has placeholders, and finds nothing to report).
import { evaluate } from "../../../policy/rules/index.ts";
import { existingApp, existingConfig, runProgram, type ExistingSettings } from "../../fixtures/index.ts";
import { toPlanned } from "../stacks.ts";

async function findings(settings: ExistingSettings): Promise<string[]> {
  const run = await runProgram("test", existingConfig("test"), { call: existingApp(settings) });
  return evaluate(run.resources.map(toPlanned), { environment: "test" }).map(
    (f) => `${f.policy} ${f.urn.split("::").pop()!}: ${f.message}`,
  );
}

test("an app set up as the seed says (assignment required, hidden, no implicit grant) breaks no rule", async () => {
  expect(await findings({})).toEqual([]);
});

test("each setting the seed forbids is one finding at the callee, naming the app and the fix", async () => {
  const found = await findings({
    appRoleAssignmentRequired: false,
    hide: false,
    implicitAccess: true,
    implicitId: true,
  });
  expect(found).toEqual([
    "app-implicit-grant-off the-callee: app registration 2b4d6f80-1a3c-4e5f-8a9b-0c1d2e3f4a5b (existingApplication) " +
      "issues ID tokens by implicit grant. Fix: turn implicit grant off for access and ID tokens on its " +
      "Authentication page; tokens must only come from the token endpoint.",
    "app-implicit-grant-off the-callee: app registration 2b4d6f80-1a3c-4e5f-8a9b-0c1d2e3f4a5b (existingApplication) " +
      "issues access tokens by implicit grant. Fix: turn implicit grant off for access and ID tokens on its " +
      "Authentication page; tokens must only come from the token endpoint.",
    "callee-sp-assignment-required the-callee: the service principal of app registration " +
      "2b4d6f80-1a3c-4e5f-8a9b-0c1d2e3f4a5b (existingApplication) does not require an app role assignment, so any " +
      'identity in the tenant can get a token for the callee. Fix: set "Assignment required?" to Yes on its ' +
      "enterprise application.",
    "callee-sp-hidden the-callee: the service principal of app registration 2b4d6f80-1a3c-4e5f-8a9b-0c1d2e3f4a5b " +
      '(existingApplication) is visible to users (in My Apps). Fix: set "Visible to users?" to No on its ' +
      "enterprise application.",
  ]);
});

test("an app with no identifier URI is the one finding the rules make of it (the program refuses it too)", async () => {
  const run = await runProgram("test", existingConfig("test"), { call: existingApp() });
  const resources = run.resources.map(toPlanned);
  const callee = resources.find((r) => r.name === "the-callee")!;
  (callee.inputs["existingApplication"] as Record<string, unknown>)["identifierUris"] = [];
  expect(evaluate(resources, { environment: "test" }).map((f) => f.policy)).toEqual(["app-identifier-uri"]);
});
