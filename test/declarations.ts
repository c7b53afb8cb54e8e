// The declaration log under its former path, for test files that still import it; defined in
// test/fixtures/declarations.ts.
export * from "./fixtures/declarations.ts";
