// tools/cli/moduleCache.ts: the type-stripping cache serves what Node would strip, keyed by the
// source, and leaves everything else to Node.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripTypes, typeStrippingCache } from "../../../tools/cli/moduleCache.ts";

const TS = "const answer: number = 42;\nexport default answer;\n";
const URL_OF = "file:///project/tools/thing.ts";
// What Node passes a load hook (the format its resolver guessed).
const CONTEXT = { conditions: [], importAttributes: {}, format: undefined };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "s2s-module-cache-test-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What Node's own loader answers for a module: its format and raw source. */
function nodeLoads(format: string, source: string) {
  return jest.fn(() => ({ format, source: Buffer.from(source) }));
}

test("a TypeScript module is served stripped, from the cache once it has been stripped", () => {
  const strip = jest.fn(stripTypes);
  const load = typeStrippingCache(dir, strip);
  const first = load(URL_OF, CONTEXT, nodeLoads("module-typescript", TS));
  const second = load(URL_OF, CONTEXT, nodeLoads("module-typescript", TS));
  expect(first).toEqual({ format: "module", source: stripTypes(TS), shortCircuit: true });
  expect(second).toEqual(first);
  expect(strip).toHaveBeenCalledTimes(1);
  expect(readdirSync(dir)).toHaveLength(1);
});

test("a changed source is stripped again, never served from an older one", () => {
  const strip = jest.fn(stripTypes);
  const load = typeStrippingCache(dir, strip);
  load(URL_OF, CONTEXT, nodeLoads("module-typescript", TS));
  const changed = TS.replace("42", "43");
  const result = load(URL_OF, CONTEXT, nodeLoads("module-typescript", changed));
  expect(result.source).toBe(stripTypes(changed));
  expect(strip).toHaveBeenCalledTimes(2);
});

test("stripping keeps every line and column where it was", () => {
  const stripped = stripTypes(TS);
  expect(stripped.split("\n").map((line) => line.length)).toEqual(TS.split("\n").map((line) => line.length));
  expect(stripped).toContain("const answer         = 42;");
});

test.each([
  ["JavaScript", URL_OF.replace(".ts", ".js"), "module"],
  ["CommonJS", URL_OF.replace(".ts", ".cjs"), "commonjs"],
  [
    "TypeScript under node_modules (Node refuses to strip it)",
    "file:///project/node_modules/x/index.ts",
    "module-typescript",
  ],
])("%s is left to Node as it loaded it", (_, url, format) => {
  const strip = jest.fn(stripTypes);
  const next = nodeLoads(format, TS);
  const result = typeStrippingCache(dir, strip)(url, CONTEXT, next);
  expect(result).toBe(next.mock.results[0]!.value);
  expect(strip).not.toHaveBeenCalled();
  expect(readdirSync(dir)).toEqual([]);
});
