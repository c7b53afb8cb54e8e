// act's side of npm run e2e:workflows: a stand-in for exactly the actions the workflows use (each
// saying what it replaces), act's command line, and what its JSON log says of each job.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import {
  ACTIONS_DIR,
  actArguments,
  actionRepository,
  actOnPath,
  BUILT_ACT,
  jobLabel,
  readLog,
  standInFor,
  type ActRun,
} from "../../../e2e/workflows/act.ts";
import { parseWorkflow } from "../../../e2e/workflows/github/facts.ts";

const WORKFLOWS = join(import.meta.dirname, "../../../.github/workflows");
const used = readdirSync(WORKFLOWS)
  .filter((f) => f.endsWith(".yml"))
  .flatMap((f) => Object.values(parseWorkflow(readFileSync(join(WORKFLOWS, f), "utf8"), f).jobs))
  .flatMap((job) => (job.steps ?? []).map((s) => s.uses))
  .filter((uses): uses is string => uses !== undefined && actionRepository(uses) !== undefined);
const standIns = readdirSync(ACTIONS_DIR, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith("action.yml"))
  .map((f) => relative(ACTIONS_DIR, join(ACTIONS_DIR, f, "..")));

test("every action the workflows use has a stand-in, and every stand-in is used", () => {
  expect(used.filter((uses) => standInFor(uses) === undefined)).toEqual([]);
  expect([...standIns].sort()).toEqual([...new Set(used.map((u) => actionRepository(u)!.repository))].sort());
});

test("each stand-in says what it replaces and that only the e2e uses it", () => {
  for (const dir of standIns) {
    const text = readFileSync(join(ACTIONS_DIR, dir, "action.yml"), "utf8");
    expect({ dir, says: text.startsWith(`# Stand-in for ${dir}`) }).toEqual({ dir, says: true });
    expect({ dir, scoped: /used only by npm run e2e:workflows/.test(text.replace(/\n# /g, " ")) }).toEqual({
      dir,
      scoped: true,
    });
  }
});

test("actionRepository: owner/repo@ref, not local or docker actions", () => {
  expect(actionRepository("actions/checkout@abc")).toEqual({ repository: "actions/checkout", ref: "abc" });
  expect(actionRepository("./.github/actions/x")).toBeUndefined();
  expect(actionRepository("docker://alpine")).toBeUndefined();
});

const run = (over: Partial<ActRun> = {}): ActRun => ({
  dir: "/w",
  event: "push",
  eventFile: "/w/event.json",
  workflowFile: "ci.yml",
  sha: "c".repeat(40),
  runId: 101,
  repository: "o/r",
  variables: { A: "1" },
  inputs: { stack: "dev" },
  uses: [used[0]!, used[0]!],
  env: {},
  actionCache: "/w/cache",
  ...over,
});

test("act's command line: on the host, the run's facts, variables, inputs and each stand-in once", () => {
  const args = actArguments(run());
  const after = (flag: string) => args.filter((_, i) => args[i - 1] === flag);
  expect(args.slice(0, 7)).toEqual([
    "push",
    "-e",
    "/w/event.json",
    "-W",
    ".github/workflows/ci.yml",
    "-P",
    "ubuntu-latest=-self-hosted",
  ]);
  expect(after("--env")).toEqual([`SHA_REF=${"c".repeat(40)}`, "GITHUB_RUN_ID=101", "GITHUB_REPOSITORY=o/r"]);
  expect(after("--var")).toEqual(["A=1"]);
  expect(after("--input")).toEqual(["stack=dev"]);
  expect(after("--local-repository")).toEqual([`${used[0]}=${standInFor(used[0]!)}`]);
  expect(() => actArguments(run({ uses: ["someone/unknown@v1"] }))).toThrow(/no stand-in for someone\/unknown@v1/);
});

test("act's JSON log: jobs in order, their results, matrix values and output; act's own errors", () => {
  const log = [
    JSON.stringify({ job: "ci/check", jobID: "check", matrix: {}, msg: "⭐ Run Main npm test" }),
    JSON.stringify({ job: "ci/check", jobID: "check", matrix: {}, raw_output: true, msg: "line 1\nline 2\n" }),
    JSON.stringify({ job: "settings/azure-settings.yml/check", jobID: "check", matrix: {}, jobResult: "success" }),
    JSON.stringify({ job: "preview/preview-1  ", jobID: "preview", matrix: { stack: "dev" }, jobResult: "failure" }),
    JSON.stringify({ job: "ci/check", jobID: "check", matrix: {}, jobResult: "success" }),
    JSON.stringify({ level: "error", msg: "Job 'preview' failed" }),
    "not json",
  ];
  const { jobs, other } = readLog(log);
  expect(jobs.map((j) => [jobLabel(j), j.result])).toEqual([
    ["check", "success"],
    ["settings/check", "success"],
    ["preview (dev)", "failure"],
  ]);
  expect(jobs[0]!.output).toEqual(["line 1", "line 2"]);
  expect(other).toEqual(["Job 'preview' failed", "not json"]);
});

test("a user's own act is the first on PATH; the one act:install built is not theirs", () => {
  const dir = mkdtempSync(join(tmpdir(), "act-path-"));
  writeFileSync(join(dir, "act"), "#!/bin/sh\n");
  chmodSync(join(dir, "act"), 0o755);
  expect(actOnPath(`/nowhere:${dir}`)).toBe(join(dir, "act"));
  expect(actOnPath(`${join(BUILT_ACT, "..")}:/nowhere`)).toBeUndefined();
  expect(actOnPath("/nowhere")).toBeUndefined();
});

test("the stand-ins are never used outside the e2e: no file elsewhere names their folder", () => {
  const root = join(import.meta.dirname, "../../..");
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\n")
    // Only files: a checkout whose node_modules is a link lists that link as untracked.
    .filter(
      (f) =>
        f !== "" && !/^(e2e|test|docs)\//.test(f) && existsSync(join(root, f)) && lstatSync(join(root, f)).isFile(),
    );
  const naming = files.filter((f) => readFileSync(join(root, f), "utf8").includes("e2e/workflows/actions"));
  expect(naming).toEqual([]);
});
