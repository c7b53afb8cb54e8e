// The harness's own rules: what a job's runner PATH keeps, and how act's job names map back to
// the keys under `jobs:` (a called workflow's jobs belong to the job that calls it).
import { delimiter } from "node:path";
import { ROOT } from "../../../e2e/env.ts";
import { runnerPath, topLevelJob } from "../../../e2e/workflows/harness.ts";

test("the runner's PATH: the gh stand-in first, none of this repository's tools or node_modules", () => {
  const path = runnerPath(["/usr/bin", `${ROOT}/.tools/bin`, "/x/node_modules/.bin", "", "/bin"].join(delimiter));
  const dirs = path.split(delimiter);
  expect(dirs[0]).toMatch(/e2e\/workflows\/runner\/bin$/);
  expect(dirs.slice(1)).toEqual(["/usr/bin", "/bin"]);
});

test("act's job names map to the workflow's jobs", () => {
  expect(topLevelJob({ name: "ci/check", jobId: "check" })).toBe("check");
  expect(topLevelJob({ name: "settings/azure-settings.yml/check", jobId: "check" })).toBe("settings");
  expect(topLevelJob({ name: "preview/preview-2", jobId: "preview" })).toBe("preview");
});
