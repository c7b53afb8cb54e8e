// Mutation testing (npm run test:mutation; docs/reliability.md). Two parts, chosen by
// STRYKER_PART, because Stryker must run every test for a "static" mutant (code that runs when
// a module loads), and most of config.ts is its zod schema, built at load time:
// - "config": config.ts, judged by the config tests alone (each static mutant costs ~1 s, not
//   a whole suite of Pulumi program runs);
// - "program": components/ and policy/, judged by every test; per-test coverage picks the
//   tests that reach each mutant. Globs that match no file (policy rules not merged yet) are fine.
const part = process.env.STRYKER_PART ?? "program";
const parts = {
  config: {
    mutate: ["config.ts"],
    testMatch: ["<rootDir>/test/config*.test.ts", "<rootDir>/test/fuzz/config*.test.ts"],
  },
  program: {
    mutate: ["components/**/*.ts", "policy/**/*.ts", "!**/*.test.ts"],
    testMatch: ["<rootDir>/test/**/*.test.ts"],
  },
};
if (!(part in parts)) throw new Error(`STRYKER_PART must be one of: ${Object.keys(parts).join(", ")}`);

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "jest",
  jest: {
    projectType: "custom",
    configFile: "jest.config.json",
    // Root: the whole project, so that jest's related-test search also follows tests that reach
    // the components through index.ts (the default root, test/, does not index index.ts).
    config: { roots: ["<rootDir>"], testMatch: parts[part].testMatch },
    enableFindRelatedTests: true,
  },
  coverageAnalysis: "perTest",
  mutate: parts[part].mutate,
  // The machine has two cores shared with other work.
  concurrency: 2,
  // A busy machine slows runs down; a mutant that loops forever still ends.
  timeoutMS: 20000,
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${part}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${part}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false, reportMutants: false, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: 80 },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
