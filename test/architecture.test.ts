// The house's boundaries, checked on every tracked source file: the top-level parts (a folder or
// a top-level file such as index.ts or config.ts) never import each other both ways, and the twin
// is a package of its own: it imports nothing outside twin/ but its declared dependencies, and
// the program reaches it only through its package name, only from the test world.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, normalize, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const TWIN_PACKAGE = "@s2s-auth/twin";

/** The module specifiers a file imports: static, re-exported, side-effect and dynamic imports. */
export function specifiersOf(source: string): string[] {
  const found = source.matchAll(
    /^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm,
  );
  return [...found].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** The top-level part a repository path belongs to: its first segment. */
export function partOf(path: string): string {
  return path.split("/")[0]!;
}

interface Edge {
  from: string;
  to: string;
  file: string;
}

/** Part-to-part imports of these files; `@s2s-auth/twin` counts as an import of twin/. */
export function partEdges(files: { path: string; source: string }[]): Edge[] {
  const edges: Edge[] = [];
  for (const { path, source } of files) {
    for (const spec of specifiersOf(source)) {
      const target = spec.startsWith(".")
        ? normalize(join(dirname(path), spec))
        : spec === TWIN_PACKAGE || spec.startsWith(`${TWIN_PACKAGE}/`)
          ? "twin"
          : undefined;
      if (target === undefined) continue;
      if (partOf(target) !== partOf(path)) edges.push({ from: partOf(path), to: partOf(target), file: path });
    }
  }
  return edges;
}

/** Pairs of parts that import each other, each once, named with a file on each side. */
export function mutualImports(edges: Edge[]): string[] {
  const first = new Map<string, string>();
  for (const e of edges) if (!first.has(`${e.from}>${e.to}`)) first.set(`${e.from}>${e.to}`, e.file);
  const pairs: string[] = [];
  for (const [key, file] of first) {
    const [from, to] = key.split(">") as [string, string];
    const back = first.get(`${to}>${from}`);
    if (back !== undefined && from < to) pairs.push(`${from} <-> ${to} (${file}; ${back})`);
  }
  return pairs;
}

const tracked = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "*.ts", "*.mjs", "*.cjs", "*.js"], {
  cwd: ROOT,
  encoding: "utf8",
})
  .split("\n")
  .filter((path) => path !== "" && !path.includes("node_modules/"))
  .map((path) => ({ path, source: readFileSync(join(ROOT, path), "utf8") }));

describe("top-level parts", () => {
  test("no two top-level parts import each other", () => {
    expect(mutualImports(partEdges(tracked))).toEqual([]);
  });

  test("the check finds a planted pair, through relative paths and the twin's package name", () => {
    const planted = [
      { path: "components/a.ts", source: 'import { x } from "../config.ts";' },
      { path: "config.ts", source: 'export { y } from "./components/b.ts";' },
      { path: "e2e/run.ts", source: 'const t = await import("@s2s-auth/twin/state.ts");' },
      { path: "twin/src/x.ts", source: 'import "../../e2e/run.ts";' },
    ];
    expect(mutualImports(partEdges(planted))).toEqual([
      "components <-> config.ts (components/a.ts; config.ts)",
      "e2e <-> twin (e2e/run.ts; twin/src/x.ts)",
    ]);
  });
});

describe("the twin is a package of its own", () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, "twin", "package.json"), "utf8")) as {
    name: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.devDependencies ?? {}),
  ]);
  const builtins = new Set(builtinModules);
  const packageName = (spec: string) =>
    spec
      .split("/")
      .slice(0, spec.startsWith("@") ? 2 : 1)
      .join("/");

  test("its manifest names the package the test world imports", () => {
    expect(manifest.name).toBe(TWIN_PACKAGE);
  });

  test("twin/ imports nothing outside twin/ but node's modules and the dependencies its manifest declares", () => {
    const outside = tracked
      .filter((f) => partOf(f.path) === "twin")
      .flatMap((f) =>
        specifiersOf(f.source)
          .filter((spec) =>
            spec.startsWith(".")
              ? relative("twin", normalize(join(dirname(f.path), spec))).startsWith("..")
              : !spec.startsWith("node:") && !builtins.has(spec) && !declared.has(packageName(spec)),
          )
          .map((spec) => `${f.path}: ${spec}`),
      );
    expect(outside).toEqual([]);
  });

  test("only the test world (e2e/, test/) imports the twin, and only by its package name", () => {
    const reaching = partEdges(tracked).filter((e) => e.to === "twin" && e.from !== "twin");
    expect(reaching.length).toBeGreaterThan(0);
    expect(reaching.filter((e) => e.from !== "e2e" && e.from !== "test").map((e) => e.file)).toEqual([]);
    const byPath = tracked.filter(
      (f) =>
        partOf(f.path) !== "twin" && specifiersOf(f.source).some((s) => s.startsWith(".") && /(^|\/)twin\//.test(s)),
    );
    expect(byPath.map((f) => f.path)).toEqual([]);
  });
});
