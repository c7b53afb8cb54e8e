// The unit tests (npm test) and, with S2S_TEST_DEPTH=deep, the deep ones (npm run test:deep: the
// *.deep.test.ts files, which run CLIs and servers, and the fuzz tests at full depth).
//
// Tests load the sources as `npm run plan` and `pulumi` do: with Node's own type stripping, not
// Vite's transform (viteModuleRunner: false), so no source maps, and no code runs that the
// program does not. The workers keep their modules between test files (isolate: false): the
// Pulumi SDK and the program load once per worker, not once per file. Every recording starts its
// own mock runtime (tools/plan/recorder.ts), so files do not see each other's resources.
import { defineConfig } from "vitest/config";

const deep = process.env["S2S_TEST_DEPTH"] === "deep";

export default defineConfig({
  test: {
    include: deep
      ? ["{test,twin/test}/**/*.deep.test.ts", "test/**/*.fuzz.test.ts"]
      : ["{test,twin/test}/**/*.test.ts"],
    exclude: deep ? ["**/node_modules/**"] : ["**/node_modules/**", "**/*.deep.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Timeouts only catch a hang. A deep test starts Node processes (CLIs, servers, plugins),
    // seconds each; a unit test that records the program several times takes 1-2 s alone and
    // several times that while CI's other lanes share the two cores.
    testTimeout: deep ? 60_000 : 30_000,
    // The machine has two cores.
    maxWorkers: 2,
    // The SDK makes short-lived promises and Outputs by the thousand per recording: a larger young
    // generation collects them less often (about a tenth less CPU per recording, measured).
    execArgv: ["--max-semi-space-size=64"],
    isolate: false,
    experimental: { viteModuleRunner: false },
  },
});
