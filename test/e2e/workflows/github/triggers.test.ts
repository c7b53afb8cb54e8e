// Which workflows an event starts: `on:` read as GitHub reads it (activity types and their
// defaults, branch filters, workflow_run's workflow names), on small workflows and on the
// repository's own files, whose table of events and workflows is the pipeline's design.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseWorkflow } from "../../../../e2e/workflows/github/facts.ts";
import { branchPattern, eventsOf, startsWorkflow, type Trigger } from "../../../../e2e/workflows/github/triggers.ts";

const wf = (on: string) => parseWorkflow(`on: ${on}\njobs: {}\n`, "w.yml");

test("on: as a name, a list or a map", () => {
  expect(Object.keys(eventsOf(wf("push")))).toEqual(["push"]);
  expect(Object.keys(eventsOf(wf("[push, pull_request]")))).toEqual(["push", "pull_request"]);
  expect(eventsOf(wf("{ push: { branches: [main] }, schedule: [{ cron: '1 * * * *' }] }"))).toEqual({
    push: { branches: ["main"] },
    schedule: {},
  });
});

test("pull request events without types start on opened, synchronize and reopened only", () => {
  const w = wf("pull_request");
  for (const action of ["opened", "synchronize", "reopened"])
    expect(startsWorkflow(w, { name: "pull_request", action, branch: "main" })).toBe(true);
  for (const action of ["closed", "labeled"])
    expect(startsWorkflow(w, { name: "pull_request", action, branch: "main" })).toBe(false);
  expect(
    startsWorkflow(wf("{ pull_request_target: { types: [closed] } }"), {
      name: "pull_request_target",
      action: "closed",
    }),
  ).toBe(true);
});

test("branch filters: patterns, exclusions and branches-ignore", () => {
  expect(branchPattern("main").test("main")).toBe(true);
  expect(branchPattern("releases/*").test("releases/1")).toBe(true);
  expect(branchPattern("releases/*").test("releases/1/a")).toBe(false);
  expect(branchPattern("releases/**").test("releases/1/a")).toBe(true);
  expect(branchPattern("v1.0").test("v1x0")).toBe(false);
  const w = wf("{ push: { branches: ['releases/**', '!releases/**-alpha'] } }");
  expect(startsWorkflow(w, { name: "push", branch: "releases/1" })).toBe(true);
  expect(startsWorkflow(w, { name: "push", branch: "releases/1-alpha" })).toBe(false);
  expect(startsWorkflow(wf("{ push: { branches-ignore: [main] } }"), { name: "push", branch: "main" })).toBe(false);
  expect(startsWorkflow(wf("{ push: { branches: [main] } }"), { name: "push" })).toBe(false);
});

test("workflow_run: only for the named workflows", () => {
  const w = wf("{ workflow_run: { workflows: [ci], types: [completed] } }");
  expect(startsWorkflow(w, { name: "workflow_run", action: "completed", workflow: "ci" })).toBe(true);
  expect(startsWorkflow(w, { name: "workflow_run", action: "completed", workflow: "deploy" })).toBe(false);
  expect(startsWorkflow(w, { name: "workflow_run", action: "requested", workflow: "ci" })).toBe(false);
});

describe("the repository's workflows", () => {
  const dir = join(import.meta.dirname, "../../../../.github/workflows");
  const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));
  const started = (trigger: Trigger) =>
    files.filter((f) => startsWorkflow(parseWorkflow(readFileSync(join(dir, f), "utf8"), f), trigger)).sort();

  test.each<[string, string[], Trigger]>([
    ["a pull request opened", ["ci.yml", "preview.yml"], { name: "pull_request", action: "opened", branch: "main" }],
    ["a pull request labelled", [], { name: "pull_request", action: "labeled", branch: "main" }],
    [
      "a pull request labelled, in the base's context",
      ["review-stacks.yml"],
      { name: "pull_request_target", action: "labeled", branch: "main" },
    ],
    ["a push to main", ["ci.yml"], { name: "push", branch: "main" }],
    ["a push to another branch", [], { name: "push", branch: "feature/x" }],
    [
      "ci completed on main",
      ["deploy.yml", "plan-comment.yml"],
      { name: "workflow_run", action: "completed", workflow: "ci", branch: "main" },
    ],
    [
      "ci completed on a pull request's branch",
      ["plan-comment.yml"],
      { name: "workflow_run", action: "completed", workflow: "ci", branch: "feature/x" },
    ],
    ["the schedule", ["review-stacks.yml"], { name: "schedule" }],
    ["a manual run", ["review-stacks.yml"], { name: "workflow_dispatch" }],
  ])("%s starts %j", (_, expected, trigger) => {
    expect(started(trigger)).toEqual(expected);
  });
});
