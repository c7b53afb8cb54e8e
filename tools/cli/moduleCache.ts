// What a CLI pays to load its code, cached between runs: Node's compile cache (V8's code for
// every module) and a cache of Node's TypeScript type stripping. An offline plan loads about 50
// of our TypeScript files and some 500 modules of the SDKs; compiling them and stripping the
// types took about a third of its CPU, which both caches save from the second run on
// (docs/performance.md). NODE_DISABLE_COMPILE_CACHE=1 turns both off; NODE_COMPILE_CACHE moves them.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import module from "node:module";
import { join } from "node:path";

type LoadHook = NonNullable<Parameters<typeof module.registerHooks>[0]["load"]>;

/**
 * A module load hook that serves the type-stripped JavaScript of a TypeScript module from `dir`,
 * keyed by the source's SHA-256, and strips with `strip` (then keeps the result) when it is not
 * there. Only what Node itself would strip: ES modules outside node_modules (Node refuses to
 * strip those, and this hook must not make it accept them).
 */
export function typeStrippingCache(dir: string, strip: (source: string) => string): LoadHook {
  mkdirSync(dir, { recursive: true });
  return (url, context, nextLoad) => {
    const loaded = nextLoad(url, context);
    if (loaded.format !== "module-typescript" || url.includes("/node_modules/") || loaded.source === undefined)
      return loaded;
    const source =
      typeof loaded.source === "string" ? Buffer.from(loaded.source) : Buffer.from(loaded.source as Uint8Array);
    const file = join(dir, `${createHash("sha256").update(source).digest("hex")}.js`);
    let code: string;
    try {
      code = readFileSync(file, "utf8");
    } catch {
      code = strip(source.toString("utf8"));
      // Written whole under a temporary name, then renamed: a CLI running at the same moment
      // reads either nothing or the whole file.
      const partial = `${file}.${process.pid}`;
      writeFileSync(partial, code);
      renameSync(partial, file);
    }
    return { format: "module", source: code, shortCircuit: true };
  };
}

/**
 * Node's own type stripping (the function its loader uses, in the same "strip" mode), without
 * the warning that the public API is experimental: the loader uses it without one.
 */
export function stripTypes(source: string): string {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return module.stripTypeScriptTypes(source, { mode: "strip" });
  } finally {
    process.emitWarning = emitWarning;
  }
}

/**
 * Turns both caches on for the modules this process loads from now on: a CLI's static imports
 * are loaded already, what it imports in `main` (the SDK and the program) is not.
 */
export function enableModuleCaches(): void {
  module.enableCompileCache();
  // Node's directory for this Node version and its flags, or undefined when the cache is off.
  const directory = module.getCompileCacheDir();
  // Only where Node strips types itself (not with --experimental-transform-types).
  if (directory === undefined || process.features.typescript !== "strip") return;
  module.registerHooks({ load: typeStrippingCache(join(directory, "type-stripping"), stripTypes) });
}
