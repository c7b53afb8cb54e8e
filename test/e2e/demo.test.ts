// npm run demo's table (e2e/demo.ts): each call, what the seed promises, what happened, marked.
import { BY_HAND, callTable } from "../../e2e/demo.ts";

test("each call is one row, marked by whether it went as promised, its columns aligned", () => {
  const table = callTable([
    { who: "the-caller's managed identity", callee: "the-callee", expected: "200", got: "200" },
    { who: "no token", callee: "the-callee", expected: "401", got: "200" },
  ]);
  expect(table.split("\n")).toEqual([
    "    call                           callee      expected  got",
    "  ✔ the-caller's managed identity  the-callee  200       200",
    "  ✘ no token                       the-callee  401       200",
  ]);
});

test("going on by hand starts with the twin's environment and ends with --down", () => {
  expect(BY_HAND[0]).toMatch(/^eval "\$\(npm run -s twin:env\)"/);
  expect(BY_HAND.at(-1)).toMatch(/^npm run demo -- --down/);
});
