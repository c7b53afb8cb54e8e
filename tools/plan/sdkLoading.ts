// What the plan does before it loads @pulumi/pulumi: the SDK loads TypeScript's compiler (9 MB of
// JavaScript) as it starts, only to serialize function closures, which a plan never does. Loading
// it was half the CPU of a bare `require('@pulumi/pulumi')` and a sixth of a plan's
// (docs/performance.md). With sdk.ts, the only file that reaches into the SDK's internals; it
// must not import the SDK itself.
import { createRequire, Module } from "node:module";

/** The SDK's module that loads the compiler (its closure serializer requires it as it loads). */
export const TYPESCRIPT_SHIM = "@pulumi/pulumi/typescript-shim.js";

/**
 * Makes the SDK's TypeScript shim load the compiler on first use instead of as the SDK loads.
 * Does nothing once the SDK has loaded it.
 */
export function deferTypeScriptCompiler(): void {
  deferLoading(TYPESCRIPT_SHIM, import.meta.url);
}

/**
 * Makes `specifier` (a CommonJS module, resolved from `from`) load on first use: until then,
 * whoever requires it gets a stand-in whose every property read or `in` test loads the real
 * module and asks it. Does nothing when the module is loaded already.
 */
export function deferLoading(specifier: string, from: string): void {
  const require = createRequire(from);
  const file = require.resolve(specifier);
  if (require.cache[file] !== undefined) return;
  let real: object | undefined;
  const load = (): object => {
    if (real === undefined) {
      // The real module replaces the stand-in in the module cache, for every later require.
      delete require.cache[file];
      real = require(file) as object;
    }
    return real;
  };
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = new Proxy(
    {},
    { get: (_, property) => Reflect.get(load(), property), has: (_, property) => Reflect.has(load(), property) },
  );
  require.cache[file] = standIn;
}
