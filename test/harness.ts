// The fixtures' program runner under its former path, for test files that still import it; the
// definitions are in test/fixtures/.
export { baseConfig, DEPLOYER_OBJECT_ID, SUBSCRIPTION_ID, TENANT_ID } from "./fixtures/configs.ts";
export * from "./fixtures/program.ts";
