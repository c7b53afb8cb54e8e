// tools/plan/prComment.ts: the PR comment, rendered by the base branch's code (plan-comment.yml) from
// the plans a pull request's ci run uploaded, and saying so.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializePlan } from "../../../tools/plan/document.ts";
import { PLAN_MACHINERY, renderPrComment } from "../../../tools/plan/prComment.ts";
import { notText } from "./gfm.ts";
import { planStack } from "./stacks.ts";

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pr-comment-"));
  for (const side of ["base", "head"]) mkdirSync(join(dir, side));
  const [dev, prod] = [await planStack("dev"), await planStack("prod")];
  writeFileSync(join(dir, "base", "dev.json"), serializePlan(dev));
  writeFileSync(join(dir, "base", "prod.json"), serializePlan(prod));
  writeFileSync(join(dir, "head", "dev.json"), serializePlan(dev));
  writeFileSync(join(dir, "head", "prod.json"), serializePlan({ ...prod, access: [...prod.access, dev.access[1]!] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const render = (changedFiles: string[] = ["Pulumi.prod.yaml"]) =>
  renderPrComment({
    baseDir: join(dir, "base"),
    headDir: join(dir, "head"),
    baseRef: "main",
    stacks: ["dev", "prod"],
    changedFiles,
    fullPlan: "the plans artifact",
  });

// Issue 23, item 1: the comment was rendered in the pull request's own context and posted as the bot,
// so a PR could post any text under the bot's name. Now the base branch renders it, and it says
// plainly which part the PR's code computed.
test("says what the base branch's code did and that the head plans are the PR's own", () => {
  const md = render();
  expect(md.split("\n").slice(0, 6)).toEqual([
    "### Offline plan: this pull request against `main`",
    "",
    "> [!IMPORTANT]",
    "> Rendered by `main`'s own code (plan-comment.yml), which also planned the base. The head plans below " +
      "were computed by this pull request's code in its ci run: any file it changes can change what they say.",
    "",
    "#### dev",
  ]);
  expect(md).toContain("#### prod\n\n### Offline plan diff: `s2s-auth` stack `prod`");
  expect(md).toContain("**This change grants new access in `prod`**");
  expect(notText(md)).toEqual([]);
});

test("warns first when the pull request changes what computes or uploads the plans", () => {
  const md = render(["components/api/protectedApi.ts", "tools/plan/recorder.ts", ".github/workflows/ci.yml"]);
  expect(md).toContain(
    "> [!CAUTION]\n> **This pull request changes what computes or uploads its plans:** " +
      "`.github/workflows/ci.yml`, `tools/plan/recorder.ts`. Read those changes before you trust the plans below.\n",
  );
  expect(md.indexOf("[!CAUTION]")).toBeLessThan(md.indexOf("#### dev"));
  expect(render(["components/api/protectedApi.ts"])).not.toContain("[!CAUTION]");
  expect(PLAN_MACHINERY.some((p) => "package-lock.json".startsWith(p))).toBe(true);
});

test("a head plan that is not a plan document, or a base plan that failed, is one line, not a diff", () => {
  writeFileSync(join(dir, "head", "broken.json"), '{"project": 1}');
  mkdirSync(join(dir, "nobase"), { recursive: true });
  const md = renderPrComment({
    baseDir: join(dir, "nobase"),
    headDir: join(dir, "head"),
    baseRef: "main",
    stacks: ["broken", "dev", "missing"],
    changedFiles: [],
    fullPlan: "x",
  });
  expect(md).toContain(
    "#### broken\n\nNo valid plan of this pull request: `` broken.json: not a plan document (project: not a string)",
  );
  expect(md).toContain("#### dev\n\nThe base branch's `dev` plan failed: no diff.\n");
  expect(md).toContain("#### missing\n\nNo valid plan of this pull request: `missing.json: cannot read it (ENOENT)`");
});
