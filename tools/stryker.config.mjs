// Mutation testing (npm run test:mutation; docs/reliability.md). Three parts, chosen by
// STRYKER_PART, each naming the files it mutates and the tests that judge them
// (tools/scripts/mutationParts.ts):
// - "config": config.ts, by the config tests and the container-app name collision test;
// - "components": components/ and model/azureNames.ts, by the tests that run the program;
// - "policy": policy/ (the rules, the stack index, the pack's wiring), by the policy tests.
//   policy/index.ts is left out: it only constructs the PolicyPack, which starts the analyzer's
//   gRPC server, so only pack.server.deep.test.ts runs it, in a child process out of Stryker's reach.
//
// The tests run as npm test runs them: jest with jest-light-runner (package.json "jest"), in plain
// Node worker threads that load the sources with Node's type stripping. Stryker's jest runner tells
// the code which mutant is active through an environment variable, which the instrumented modules
// read as they load; it also runs jest in band, where the light runner would keep one process's
// modules from one mutant to the next, so tools/scripts/jest-mutation-runner.js keeps it in new
// worker threads for every run.
// Per-test coverage needs Stryker's jest environment, which the light runner does not use: every
// mutant runs the part's test files that import the mutated file (jest's findRelatedTests).
import { selectedPart } from "./scripts/mutationParts.ts";

const { name: part, mutate, tests } = selectedPart();

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "jest",
  jest: {
    projectType: "custom",
    // package.json's "jest", with only the part's tests, in new worker threads for every run.
    config: {
      testMatch: tests.map((glob) => `<rootDir>/${glob}`),
      runner: "<rootDir>/tools/scripts/jest-mutation-runner.js",
    },
    enableFindRelatedTests: true,
  },
  coverageAnalysis: "off",
  mutate,
  // The machine has two cores shared with other work; each run's tests use both.
  concurrency: 2,
  // A busy machine slows runs down; a mutant that loops forever still ends.
  timeoutMS: 30000,
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
