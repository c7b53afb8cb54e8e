// The front door and the pages behind it, read against the repository: README.md stays a front
// door (at most 200 lines; the quick start's two commands, the ones CI runs; a map naming every
// folder and only paths that exist); the full layout names every folder; and what
// docs/deploying.md and docs/configuration.md tell operators about grants matches the program
// and the documentation it cites: the wait line `pulumi up` prints, which errors are waited for,
// and what group assignment needs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { REPLICATION_BACKOFF_MS, retryLookup } from "../components/principal.ts";

const ROOT = resolve(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
/** Folders that are installed, built or written by tools, not kept in git. */
const IGNORED_FOLDERS = new Set(["node_modules", "reports", "coverage"]);

/** The repository's top-level folders, the ones a layout must name. */
function topLevelFolders(): string[] {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith(".") && !IGNORED_FOLDERS.has(e.name))
    .map((e) => e.name);
}

describe("README.md, the front door", () => {
  const readme = read("README.md");
  const section = (heading: string) => {
    const start = readme.indexOf(`\n${heading}\n`);
    expect(start).toBeGreaterThan(0);
    const level = heading.split(" ")[0]!;
    const next = readme.slice(start + heading.length + 2).search(new RegExp(`^#{1,${level.length}} `, "m"));
    return readme.slice(start, next < 0 ? undefined : start + heading.length + 2 + next);
  };

  test("has at most 200 lines", () => {
    expect(readme.trimEnd().split("\n").length).toBeLessThanOrEqual(200);
  });

  test("the quick start is two commands, the plan and the tests, and CI runs both", () => {
    const block = /```sh\n([\s\S]*?)```/.exec(section("## Quick start"))?.[1];
    const commands = block!
      .trimEnd()
      .split("\n")
      .map((line) => line.replace(/#.*/, "").trim());
    expect(commands).toEqual(["npm ci && npm run plan", "npm test"]);
    const ci = read(".ci/run");
    expect(ci).toMatch(/ npm test$/m);
    expect(ci).toMatch(/ npm run plan -- --stack dev$/m);
  });

  test("the map names every folder of the repository, and the newcomer's map only paths that exist", () => {
    const map = section("## The map");
    const folders = topLevelFolders();
    expect(folders.length).toBeGreaterThanOrEqual(8);
    for (const folder of folders) expect(map).toContain(`\`${folder}/`);
    const newcomers = section("### A newcomer's map");
    const paths = [...newcomers.matchAll(/`([\w./-]+(?:\.(?:ts|md|yaml)|\/))`/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});

test("docs/development.md's layout names every folder of the repository", () => {
  const development = read("docs/development.md");
  const layout = development.slice(
    development.indexOf("## Layout"),
    development.indexOf("\n## ", development.indexOf("## Layout") + 1),
  );
  const folders = topLevelFolders();
  expect(folders.length).toBeGreaterThanOrEqual(8);
  for (const folder of folders) expect(layout).toContain(`\`${folder}/`);
});

test("the wait line docs/deploying.md quotes is the one the lookup logs with the default policy", async () => {
  const quoted = /`(managed identity <id> not yet visible in Entra ID \(lookup n of \d+\); next lookup in [^`]+)`/.exec(
    read("docs/deploying.md"),
  )?.[1];
  expect(quoted).toBeDefined();
  const logged: string[] = [];
  let calls = 0;
  const lookup = async (id: string) => {
    if (++calls <= REPLICATION_BACKOFF_MS.length)
      throw new Error(`Service principal with object ID "${id}" was not found`);
    return { objectId: id, clientId: "c" };
  };
  await retryLookup(
    "mi",
    lookup,
    async () => undefined,
    REPLICATION_BACKOFF_MS,
    (m) => void logged.push(m),
  );
  const asQuoted = logged.map((line) =>
    line.replace("managed identity mi ", "managed identity <id> ").replace(/\(lookup \d+ of/, "(lookup n of"),
  );
  expect(asQuoted).toContain(quoted);
});

test("docs/deploying.md does not blame a too-early app role assignment on PrincipalNotFound (Azure RBAC's)", () => {
  const deploying = read("docs/deploying.md");
  expect(deploying).not.toMatch(/app role assignment[^.]*fails with `PrincipalNotFound`/);
  expect(deploying).toMatch(/azuread's own create already retries/);
});

test("docs/configuration.md says group assignment needs Entra ID P1/P2 and that nested groups do not count", () => {
  const configuration = read("docs/configuration.md");
  expect(configuration).toMatch(/Microsoft Entra ID P1 or P2/);
  expect(configuration).toMatch(/nested groups do not count/);
});
