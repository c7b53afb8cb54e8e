// Runs before every test file, in every test worker (vitest.config.ts setupFiles).
import { registerHooks } from "node:module";

// Node strips TypeScript's types without moving code, so stack traces already point at the right
// lines. Vitest turns source maps on, which makes every stack trace (the SDK takes one per
// resource) look up maps that do not exist.
process.setSourceMapsEnabled(false);

// The SDK requires all of TypeScript (9 MB, about 1 s to load) as it starts, for closure
// serialization that the tests never reach: its typescript-shim is answered with
// lazyTypescript.cjs, which loads TypeScript on first use. Workers keep their modules between
// files (isolate: false), so the hook is registered once per worker.
const HOOKED = Symbol.for("s2s-auth.test.lazyTypescript");
const worker = globalThis as { [HOOKED]?: true };
if (!worker[HOOKED]) {
  worker[HOOKED] = true;
  const lazyTypescript = new URL("./lazyTypescript.cjs", import.meta.url).href;
  registerHooks({
    resolve(specifier, context, next) {
      if (/(^|\/)typescript-shim$/.test(specifier) && context.parentURL?.includes("/@pulumi/pulumi/")) {
        return { url: lazyTypescript, format: "commonjs", shortCircuit: true };
      }
      return next(specifier, context);
    },
  });
}
