// The config-error catcher under its former path, for test files that still import it; defined
// in test/fixtures/configError.ts.
export * from "./fixtures/configError.ts";
