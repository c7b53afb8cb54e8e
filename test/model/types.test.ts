// model/types.ts: every component of the program and of the bootstrap project takes its type token
// from RESOURCE_TYPE, the token names the module the component's file sits in, and no token of
// ours is listed that no component declares.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { RESOURCE_TYPE } from "../../model/types.ts";

const ROOT = join(import.meta.dirname, "..", "..");

interface Component {
  file: string;
  className: string;
  /** The key of RESOURCE_TYPE its constructor passes to `super`, if it passes one. */
  key: string | undefined;
}

/** Every `class … extends pulumi.ComponentResource` in these sources, with the token key it uses. */
export function componentsIn(files: { path: string; source: string }[]): Component[] {
  return files.flatMap(({ path, source }) =>
    [...source.matchAll(/class (\w+) extends pulumi\.ComponentResource\b/g)].map((m) => ({
      file: path,
      className: m[1]!,
      key: /\bsuper\(\s*RESOURCE_TYPE\.(\w+)\s*,/.exec(source.slice(m.index))?.[1],
    })),
  );
}

/** The module a component's file belongs to: its folder under components/, or `bootstrap`. */
function moduleOf(file: string): string {
  return file.startsWith("bootstrap/") ? "bootstrap" : basename(dirname(file));
}

const sources = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "components", "bootstrap"], {
  cwd: ROOT,
  encoding: "utf8",
})
  .split("\n")
  .filter((path) => path.endsWith(".ts"))
  .map((path) => ({ path, source: readFileSync(join(ROOT, path), "utf8") }));
const components = componentsIn(sources);
const ours = Object.entries(RESOURCE_TYPE).filter(([, token]) => token.startsWith("s2s-auth:"));

describe("component type tokens", () => {
  test("every component passes RESOURCE_TYPE's token for its module and class to super", () => {
    expect(components.length).toBeGreaterThan(0);
    for (const c of components) {
      expect({ file: c.file, token: c.key && (RESOURCE_TYPE as Record<string, string>)[c.key] }).toEqual({
        file: c.file,
        token: `s2s-auth:${moduleOf(c.file)}:${c.className}`,
      });
    }
  });

  test("every token of ours in RESOURCE_TYPE is some component's", () => {
    expect(ours.map(([key]) => key).sort()).toEqual(components.map((c) => c.key).sort());
  });

  test("the scan sees a component that spells its token itself, and one that passes none", () => {
    const found = componentsIn([
      {
        path: "components/app/x.ts",
        source: 'class X extends pulumi.ComponentResource {\n super("s2s-auth:app:X", n);',
      },
      { path: "components/app/y.ts", source: "class Y extends pulumi.ComponentResource {}" },
    ]);
    expect(found).toEqual([
      { file: "components/app/x.ts", className: "X", key: undefined },
      { file: "components/app/y.ts", className: "Y", key: undefined },
    ]);
  });
});
