// The front door and the pages behind it, read against the repository: README.md stays a front
// door (at most 200 lines; the quick start's two commands, the ones CI runs; a map naming every
// folder and only paths that exist); every relative link in README.md and docs/*.md reaches a
// file (and a heading of it, when it names one); the full layout names every folder; and what
// docs/deploying.md and docs/configuration.md tell operators about grants matches the program
// and the documentation it cites: the wait line `pulumi up` prints, which errors are waited for,
// and what group assignment needs.
import GithubSlugger from "github-slugger";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { REPLICATION_BACKOFF_MS, retryLookup } from "../components/principal.ts";

const ROOT = resolve(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
/** The Markdown files whose links are checked: the front door and the pages it links to. */
const PAGES = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
/** Folders that are installed, built or written by tools, not kept in git. */
const IGNORED_FOLDERS = new Set(["node_modules", "reports", "coverage"]);

/** The repository's top-level folders, the ones a layout must name. */
function topLevelFolders(): string[] {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith(".") && !IGNORED_FOLDERS.has(e.name))
    .map((e) => e.name);
}

/** Markdown without its fenced code blocks and inline code spans, where `[x](y)` and `# x` are not Markdown. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
}

/** The anchors GitHub gives a Markdown file: one per heading (as GitHub slugs it), and every `<a id>`. */
function anchorsOf(markdown: string): Set<string> {
  const slugger = new GithubSlugger();
  const withoutFences = markdown.replace(/^```[\s\S]*?^```/gm, "");
  const headings = [...withoutFences.matchAll(/^#{1,6} +(.+?)\s*$/gm)].map((m) => slugger.slug(m[1]!));
  const explicit = [...markdown.matchAll(/<a (?:id|name)="([^"]+)"/g)].map((m) => m[1]!);
  return new Set([...headings, ...explicit]);
}

/** The relative links of a page (its repository path and text) that reach no file, or no heading of it. */
function brokenLinks(page: string, markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target))
    .filter((target) => {
      const [path, anchor] = target.split("#", 2) as [string, string | undefined];
      const file = path === "" ? page : relative(ROOT, resolve(ROOT, dirname(page), path));
      if (path !== "" && !existsSync(join(ROOT, file))) return true;
      return anchor !== undefined && !anchorsOf(path === "" ? markdown : read(file)).has(anchor);
    });
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

test("the pages checked are the README and every docs page", () => {
  expect(PAGES).toContain("docs/deploying.md");
  expect(PAGES.length).toBeGreaterThanOrEqual(10);
});

test.each(PAGES)("every relative link in %s reaches a file, and a heading of it when it names one", (page) => {
  expect(brokenLinks(page, read(page))).toEqual([]);
});

test("a link to a missing file or to a heading its file lacks is broken; code is not a link", () => {
  const page = [
    "# Here",
    "[ok](#here) [ok](deploying.md#zero-to-dev) [ok](../README.md) [ok](https://example.com/x#y)",
    "[missing](no-such-page.md) [no heading](deploying.md#no-such-heading) [no local](#elsewhere)",
    "`[code](nowhere.md)`",
    "```md\n[fenced](nowhere.md)\n```",
  ].join("\n");
  expect(brokenLinks("docs/made-up.md", page)).toEqual([
    "no-such-page.md",
    "deploying.md#no-such-heading",
    "#elsewhere",
  ]);
  expect([
    ...anchorsOf('## Runtime settings (`Pulumi.yaml`)\n```sh\n# a comment\n```\n<a id="permissions"></a>'),
  ]).toEqual(["runtime-settings-pulumiyaml", "permissions"]);
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

describe("removing a stack keeps its committed config (Pulumi.<stack>.yaml)", () => {
  // What users and workflows run: the pages, the scripts and the workflows. `pulumi stack rm` deletes the
  // stack file unless --preserve-config; `pulumi destroy --remove` always does (Pulumi 3.276,
  // cmd/pulumi/stack/stack_remove.go and operations/destroy.go).
  const files = [
    ...PAGES,
    ...readdirSync(join(ROOT, "tools", "scripts")).map((f) => `tools/scripts/${f}`),
    ...readdirSync(join(ROOT, ".github", "workflows")).map((f) => `.github/workflows/${f}`),
  ];
  // The commands only: a page's fenced blocks, a script's or workflow's lines that are not comments.
  const commands = (file: string, text: string) =>
    file.endsWith(".md")
      ? [...text.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].flatMap((m) => m[1]!.split("\n"))
      : text.split("\n").filter((line) => !line.trimStart().startsWith("#"));
  const offending = (lines: string[]) =>
    lines.filter(
      (line) =>
        (/\bpulumi\b.*\bstack rm\b/.test(line) && !line.includes("--preserve-config")) ||
        /\bpulumi destroy\b.*\s--remove\b/.test(line),
    );

  test("no page, script or workflow removes a stack with its file", () => {
    expect(files.length).toBeGreaterThan(PAGES.length);
    expect(
      files.flatMap((file) => offending(commands(file, read(file))).map((line) => `${file}: ${line.trim()}`)),
    ).toEqual([]);
  });

  test("the check finds both ways of losing the file", () => {
    const script = [
      'pulumi destroy --yes --stack "$s" --remove',
      'pulumi destroy --yes && pulumi stack rm --yes "$s"',
      "pulumi stack rm dev --preserve-config --yes",
      "# a comment on `pulumi destroy --remove`",
    ].join("\n");
    expect(offending(commands("x.sh", script))).toHaveLength(2);
    expect(
      offending(commands("x.md", `Prose on \`pulumi destroy --remove\`.\n\`\`\`sh\n${script}\n\`\`\`\n`)),
    ).toHaveLength(3);
  });
});
