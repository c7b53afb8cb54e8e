// The tests Stryker runs for one part of npm run test:mutation (STRYKER_PART; tools/stryker.config.mjs
// says which tests judge which files). Otherwise the unit tests' own config, but with every test
// file in fresh modules: Stryker's setup file, which tells the code which mutant is active, must
// run for each file and each mutant, and a module kept from an earlier run would not see it.
// Stryker runs vitest's worker threads, which take no V8 flags (execArgv).
import { defineConfig } from "vitest/config";
import { selectedPart } from "./tools/scripts/mutationParts.ts";
import unit from "./vitest.config.ts";

export default defineConfig({
  ...unit,
  test: { ...unit.test, include: selectedPart().tests, isolate: true, execArgv: [] },
});
