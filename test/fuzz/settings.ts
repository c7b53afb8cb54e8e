// The fuzz run parameters under their former path, for test files that still import them;
// defined in test/fixtures/fuzz.ts.
export * from "../fixtures/fuzz.ts";
