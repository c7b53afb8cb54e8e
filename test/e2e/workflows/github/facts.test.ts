// What GitHub knows of a job before it starts: its environment and its token's permissions, read
// from the workflow as GitHub resolves them (job over workflow over the repository's default, a
// called workflow never above its caller).
import {
  capped,
  environmentOf,
  jobPermissions,
  parseWorkflow,
  permissionsOf,
  RESTRICTED_DEFAULT,
  workflowName,
} from "../../../../e2e/workflows/github/facts.ts";

const wf = (text: string) => parseWorkflow(text, "w.yml");

test("permissions: read-all, write-all, {} and a map whose missing scopes are none", () => {
  expect(permissionsOf("read-all")!["id-token"]).toBe("read");
  expect(permissionsOf("write-all")!["pull-requests"]).toBe("write");
  expect(Object.values(permissionsOf({})!).every((l) => l === "none")).toBe(true);
  const map = permissionsOf({ "id-token": "write" })!;
  expect(map["id-token"]).toBe("write");
  expect(map["contents"]).toBe("none");
  expect(permissionsOf(undefined)).toBeUndefined();
  expect(() => permissionsOf(42)).toThrow(/not a permissions value/);
});

test("a job's permissions: its own, else its workflow's, else the restricted default", () => {
  const w = wf(`
on: push
permissions: { contents: read }
jobs:
  own: { runs-on: x, permissions: { id-token: write }, steps: [] }
  inherits: { runs-on: x, steps: [] }
`);
  expect(jobPermissions(w, w.jobs["own"]!)["id-token"]).toBe("write");
  expect(jobPermissions(w, w.jobs["own"]!)["contents"]).toBe("none");
  expect(jobPermissions(w, w.jobs["inherits"]!)).toEqual(permissionsOf({ contents: "read" }));
  const bare = wf("on: push\njobs:\n  j: { runs-on: x, steps: [] }\n");
  expect(jobPermissions(bare, bare.jobs["j"]!)).toEqual(RESTRICTED_DEFAULT);
});

test("a called workflow keeps or lowers its caller's permissions, never raises them", () => {
  const called = wf(`
on: workflow_call
permissions: { contents: write, id-token: write }
jobs:
  check: { runs-on: x, steps: [] }
  plain: { runs-on: x, permissions: { contents: read }, steps: [] }
`);
  const caller = permissionsOf({ contents: "read" })!;
  expect(jobPermissions(called, called.jobs["check"]!, caller)["contents"]).toBe("read");
  expect(jobPermissions(called, called.jobs["check"]!, caller)["id-token"]).toBe("none");
  expect(capped(permissionsOf({ contents: "read" })!, permissionsOf("write-all")!)["contents"]).toBe("read");
  const silent = wf("on: workflow_call\njobs:\n  j: { runs-on: x, steps: [] }\n");
  expect(jobPermissions(silent, silent.jobs["j"]!, caller)).toBe(caller);
});

test("the environment a job names, as a string or an object; the workflow's name or its path", () => {
  const w = wf(`
name: deploy
on: push
jobs:
  a: { runs-on: x, environment: dev, steps: [] }
  b: { runs-on: x, environment: { name: prod, url: "https://x" }, steps: [] }
  c: { runs-on: x, steps: [] }
`);
  expect(["a", "b", "c"].map((j) => environmentOf(w.jobs[j]!))).toEqual(["dev", "prod", undefined]);
  expect(workflowName(w, "deploy.yml")).toBe("deploy");
  expect(workflowName(wf("on: push\njobs: {}\n"), "x.yml")).toBe(".github/workflows/x.yml");
  expect(() => parseWorkflow("just: text\n", "t.yml")).toThrow(/t\.yml: not a workflow/);
});
