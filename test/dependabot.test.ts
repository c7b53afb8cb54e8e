// .github/dependabot.yml: every dependency manifest of the repository is kept up to date by a pull
// request CI judges: each npm package directory (the twin is a workspace of the root lockfile), the
// workflows' actions and each Go module.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";

const ROOT = resolve(import.meta.dirname, "..");

interface Update {
  "package-ecosystem": string;
  directory?: string;
  directories?: string[];
  schedule?: { interval?: string };
}

const config = parse(readFileSync(join(ROOT, ".github", "dependabot.yml"), "utf8")) as {
  version: number;
  updates: Update[];
};
const tracked = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
  .split("\n")
  .filter((path) => path !== "" && !path.includes("node_modules/"));
const covered = (ecosystem: string) =>
  new Set(
    config.updates
      .filter((u) => u["package-ecosystem"] === ecosystem)
      .flatMap((u) => [...(u.directory === undefined ? [] : [u.directory]), ...(u.directories ?? [])]),
  );
const dirOf = (path: string) => `/${dirname(path)}`.replace(/\/\.$/, "/");
const workspaces = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { workspaces?: string[] })
  .workspaces;

test("version 2, every update on a schedule", () => {
  expect(config.version).toBe(2);
  expect(config.updates.every((u) => u.schedule?.interval !== undefined)).toBe(true);
});

test("every npm package with dependencies, but the root lockfile's workspaces, is covered", () => {
  const packages = tracked
    .filter((path) => path.endsWith("package.json"))
    .filter((path) => {
      const manifest = JSON.parse(readFileSync(join(ROOT, path), "utf8")) as Record<string, unknown>;
      return manifest["dependencies"] !== undefined || manifest["devDependencies"] !== undefined;
    })
    .map(dirOf)
    .filter((dir) => !(workspaces ?? []).some((w) => dir === `/${w}`));
  expect(packages).toContain("/");
  expect(packages.filter((dir) => !covered("npm").has(dir))).toEqual([]);
});

test("the workflows' actions and every Go module are covered", () => {
  expect(tracked.some((path) => path.startsWith(".github/workflows/"))).toBe(true);
  expect(covered("github-actions").has("/")).toBe(true);
  const modules = tracked.filter((path) => path.endsWith("go.mod")).map(dirOf);
  expect(modules.length).toBeGreaterThan(0);
  expect(modules.filter((dir) => !covered("gomod").has(dir))).toEqual([]);
});
