// Adopting an app registration made by hand (docs/reusing.md): config may give a role the id it has on
// the app, which the program then declares and grants, so `pulumi import` of the app and its
// assignments is followed by updates only, never a new role or a replaced assignment.
import { baseConfig, runProgram } from "../fixtures/index.ts";

const HAND_MADE_ROLE = "4640684f-9beb-4d72-a5c1-8734b2b609f4";

test("a role's id in config is its id on the app and in every grant of it", async () => {
  const run = await runProgram("test", {
    ...baseConfig("test"),
    "s2s-auth:callees": [{ name: "the-callee", appRoles: [{ value: "Invoke", id: HAND_MADE_ROLE.toUpperCase() }] }],
  });
  const roles = run.named("the-callee-app").inputs["appRoles"] as { id: string; value: string }[];
  expect(roles.map((r) => [r.value, r.id])).toEqual([["Invoke", HAND_MADE_ROLE]]);
  expect(run.named("the-caller_to_the-callee-assignment").inputs["appRoleId"]).toBe(HAND_MADE_ROLE);
});

test("without an id in config, the role's id is the one derived from the names, as before", async () => {
  const run = await runProgram("test", baseConfig("test"));
  const roles = run.named("the-callee-app").inputs["appRoles"] as { id: string }[];
  expect(roles[0]!.id).not.toBe(HAND_MADE_ROLE);
  expect(run.named("the-caller_to_the-callee-assignment").inputs["appRoleId"]).toBe(roles[0]!.id);
});
