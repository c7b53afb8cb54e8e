// tools/plan/sdkLoading.ts: a deferred CommonJS module loads on first use, once, and is then the
// real module for everyone; the SDK's TypeScript shim is where sdkLoading.ts expects it.
import { createRequire } from "node:module";
import { deferLoading, TYPESCRIPT_SHIM } from "../../../tools/plan/sdkLoading.ts";

const require = createRequire(import.meta.url);
const FIXTURE = "./fixtures/countsLoads.cjs";
const loads = () => (globalThis as { countsLoads?: number }).countsLoads ?? 0;

test("a deferred module runs on its first property read, once, and later requires get the real module", () => {
  const file = require.resolve(FIXTURE);
  delete require.cache[file];
  const before = loads();
  deferLoading(FIXTURE, import.meta.url);
  const standIn = require(FIXTURE) as { answer: number; loads: () => number };
  expect(loads()).toBe(before);
  expect("answer" in standIn).toBe(true);
  expect(loads()).toBe(before + 1);
  expect(standIn.answer).toBe(42);
  expect(standIn.loads()).toBe(before + 1);
  const real = require(FIXTURE) as object;
  expect(real).not.toBe(standIn);
  expect(real).toEqual({ answer: 42, loads: expect.any(Function) });
  expect(loads()).toBe(before + 1);
});

test("a module loaded already is left as it is", () => {
  const real = require(FIXTURE) as object;
  deferLoading(FIXTURE, import.meta.url);
  expect(require(FIXTURE)).toBe(real);
});

test("the SDK's TypeScript shim is a module of the installed SDK that exports the compiler", () => {
  const shim = require(require.resolve(TYPESCRIPT_SHIM)) as { createSourceFile?: unknown; version?: unknown };
  expect(typeof shim.createSourceFile).toBe("function");
  expect(typeof shim.version).toBe("string");
});
