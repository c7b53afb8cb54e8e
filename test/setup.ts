// Runs once in every test worker, before its first test file (package.json "jest"
// setupFilesAfterEnv). jest-light-runner runs the files in plain Node workers that keep their
// modules between files: the Pulumi SDK and the program load once per worker, not once per file,
// and Node's own type stripping loads the sources, as `npm run plan` and `pulumi` do.
import { registerHooks } from "node:module";
import { bind } from "jest-each";

// Node strips TypeScript's types without moving code, so stack traces already point at the right
// lines; no source map lookups for the stack trace the SDK takes per resource.
process.setSourceMapsEnabled(false);

// The SDK requires all of TypeScript (9 MB, about 1 s to load) as it starts, for closure
// serialization that the tests never reach: its typescript-shim is answered with
// lazyTypescript.cjs, which loads TypeScript on first use.
const lazyTypescript = new URL("./lazyTypescript.cjs", import.meta.url).href;
registerHooks({
  resolve(specifier, context, next) {
    if (/(^|\/)typescript-shim$/.test(specifier) && context.parentURL?.includes("/@pulumi/pulumi/")) {
      return { url: lazyTypescript, format: "commonjs", shortCircuit: true };
    }
    return next(specifier, context);
  },
});

/**
 * How long a test or hook may run before it fails: it only catches a hang (jest-light-runner
 * applies no timeout of its own). A deep test starts Node processes (CLIs, servers, plugins),
 * seconds each; a unit test that records the program several times takes 1-2 s alone and several
 * times that while CI's other lanes share the two cores. A test may pass its own as the third
 * argument, as with jest.
 */
export const TEST_TIMEOUT_MS = process.env["S2S_TEST_DEPTH"] === "deep" ? 60_000 : 30_000;

type Body = (this: unknown) => unknown;

/** `body`, failing with a clear message if it has not settled after `ms`. */
export function withTimeout(body: Body, ms: number, what: string): Body {
  return function (this: unknown) {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    });
    return Promise.race([Promise.resolve().then(() => body.call(this)), expired]).finally(() => clearTimeout(timer));
  };
}

type TestFn = (name: string, body?: Body, timeout?: number) => void;
type Hook = (body: Body, timeout?: number) => void;

/** A test function (test, it, test.only) whose bodies run under the timeout, with its `.each`. */
function timed(original: TestFn): TestFn & { each: ReturnType<typeof bind> } {
  const wrapped = (name: string, body?: Body, timeout = TEST_TIMEOUT_MS) =>
    original(name, body && withTimeout(body, timeout, `test "${name}"`));
  return Object.assign(wrapped, { each: bind(wrapped as Parameters<typeof bind>[0]) });
}

const tests = globalThis as unknown as Record<"test" | "it", TestFn & { skip: unknown; todo: unknown; only: TestFn }>;
for (const name of ["test", "it"] as const) {
  const original = tests[name];
  tests[name] = Object.assign(timed(original), {
    skip: original.skip,
    todo: original.todo,
    only: timed(original.only),
  });
}
const hooks = globalThis as unknown as Record<"beforeAll" | "afterAll" | "beforeEach" | "afterEach", Hook>;
for (const name of ["beforeAll", "afterAll", "beforeEach", "afterEach"] as const) {
  const original = hooks[name];
  hooks[name] = (body, timeout = TEST_TIMEOUT_MS) => original(withTimeout(body, timeout, name));
}
