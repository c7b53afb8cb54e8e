// The config generators under their former path, for test files that still import them;
// defined in test/fixtures/arbitraries.ts.
export * from "../fixtures/arbitraries.ts";
