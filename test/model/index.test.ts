// model/index.ts: the model loads no Pulumi SDK, so the policy pack and scripts import it cheaply.
// Checked in a fresh Node process: the test workers share one module cache, where the SDK is
// long loaded by the time this file runs.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

/** Imports `module` in a fresh Node and returns the @pulumi packages it asked for, sorted. */
function sdkPackagesLoadedBy(module: string): string[] {
  // A resolve hook sees every import and require, ESM and CommonJS alike (Node ≥ 22.15). An SDK
  // package is noted and answered with an empty module: loading the real one takes a second.
  const script = `
    import { registerHooks } from "node:module";
    const loaded = new Set();
    registerHooks({
      resolve(specifier, context, next) {
        const sdk = /^@pulumi\\/[^/]+/.exec(specifier);
        if (!sdk) return next(specifier, context);
        loaded.add(sdk[0]);
        return { url: "data:text/javascript,export default {};", shortCircuit: true };
      },
    });
    await import(${JSON.stringify(join(ROOT, module))});
    process.stdout.write(JSON.stringify([...loaded].sort()));
  `;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  return JSON.parse(out) as string[];
}

describe("the model", () => {
  test("loads without any Pulumi SDK", () => {
    expect(sdkPackagesLoadedBy("model/index.ts")).toEqual([]);
  });

  test("the check above would see an SDK import (the recorder loads one)", () => {
    expect(sdkPackagesLoadedBy("tools/plan/recorder.ts")).toContain("@pulumi/pulumi");
  });
});
