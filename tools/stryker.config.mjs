// Mutation testing (npm run test:mutation; docs/reliability.md). Three parts, chosen by
// STRYKER_PART, because Stryker must run every test of a part for a "static" mutant: code that
// ran outside any test, when a module loaded or in a beforeAll. Most of config.ts is its zod
// schema, built at load time, and several suites run the program in beforeAll, which makes every
// component mutant static for them. Each part therefore names the tests that judge it
// (tools/scripts/mutationParts.ts):
// - "config": config.ts, by the config tests and the container-app name collision test (a static
//   mutant costs ~1 s, not a Pulumi suite);
// - "components": components/, by the tests that run the program inside each test;
// - "policy": policy/ (the rules, the stack index, the pack's wiring), by the policy tests (the
//   rules run inside tests; the program runs in their beforeAll are not mutated in this part).
//   policy/index.ts is left out: it only constructs the PolicyPack, which starts the analyzer's
//   gRPC server, so only pack.server.deep.test.ts runs it, in a child process out of Stryker's reach
//   (that suite is left out of this part for the same reason: it only judges the child).
import { selectedPart } from "./scripts/mutationParts.ts";

const { name: part, mutate } = selectedPart();

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  // Only the part's tests (vitest.mutation.config.ts), and of those only the ones whose imports
  // reach the mutated file.
  vitest: { configFile: "vitest.mutation.config.ts", related: true },
  coverageAnalysis: "perTest",
  mutate,
  // The machine has two cores shared with other work.
  concurrency: 2,
  // A busy machine slows runs down; a mutant that loops forever still ends.
  timeoutMS: 20000,
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${part}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${part}/mutation.json` },
  clearTextReporter: {
    allowColor: false,
    logTests: false,
    reportTests: false,
    reportMutants: false,
    reportScoreTable: true,
  },
  thresholds: { high: 90, low: 85, break: 80 },
  // A re-run tests only the mutants whose code or covering tests changed since the last run of
  // the part (the file is its memory; delete it, or pass --force, for a full run).
  incremental: true,
  incrementalFile: `reports/mutation/${part}/incremental.json`,
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
