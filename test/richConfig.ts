// The rich dev config under its former path, for test files that still import it; defined in
// test/fixtures/configs.ts.
export { byUrn, richDevConfig } from "./fixtures/configs.ts";
