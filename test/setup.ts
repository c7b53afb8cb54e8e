// Runs before every test file, in every test worker (vitest.config.ts setupFiles).
import { registerHooks } from "node:module";

// Pulumi's SDK records a stack trace on every promise it creates; the tests run the program
// dozens of times, so they use the same limit as Pulumi.yaml's nodeargs (--stack-trace-limit=1),
// which halves the cost (docs/performance.md). Assertion failures still name the failing line.
Error.stackTraceLimit = 1;

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
