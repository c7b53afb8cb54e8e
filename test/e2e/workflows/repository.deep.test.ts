// The repository on "GitHub": the project as main's first commit, commits made without touching a
// worktree, and the refs GitHub keeps for a pull request (its head and the test merge).
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Repository } from "../../../e2e/workflows/repository.ts";

const repo = Repository.create(join(mkdtempSync(join(tmpdir(), "repo-")), "r"));
const main = repo.sha("main");

test("main is the project as git sees it", () => {
  expect(repo.read(main, "package.json")).toBe(
    readFileSync(join(import.meta.dirname, "../../../package.json"), "utf8").trimEnd(),
  );
  expect(repo.git("rev-list", "--count", "main")).toBe("1");
});

test("a commit changes, adds and deletes files on its parent; main stays where it was", () => {
  const next = repo.commit(main, { "Pulumi.dev.yaml": "changed\n", "new.txt": "new\n", "README.md": null }, "m");
  expect(repo.read(next, "Pulumi.dev.yaml")).toBe("changed");
  expect(repo.read(next, "new.txt")).toBe("new");
  expect(() => repo.read(next, "README.md")).toThrow();
  expect(repo.changedFiles(main, next).sort()).toEqual(["Pulumi.dev.yaml", "README.md", "new.txt"]);
  expect(repo.sha("main")).toBe(main);
});

test("a pull request's refs: its head, and a merge commit of head and base with the head's change", () => {
  const head = repo.commit(main, { "x.txt": "x\n" }, "x");
  const base = repo.commit(main, { "y.txt": "y\n" }, "y");
  const merge = repo.pullRefs(5, head, base);
  expect(repo.sha("refs/pull/5/head")).toBe(head);
  expect(repo.sha("refs/pull/5/merge")).toBe(merge);
  expect(repo.git("rev-parse", `${merge}^1`, `${merge}^2`).split("\n")).toEqual([base, head]);
  expect([repo.read(merge, "x.txt"), repo.read(merge, "y.txt")]).toEqual(["x", "y"]);
});

test("a commit's .github folder, written out", () => {
  const dest = mkdtempSync(join(tmpdir(), "github-"));
  repo.extractGithubDir(main, dest);
  expect(existsSync(join(dest, ".github", "workflows", "ci.yml"))).toBe(true);
});
