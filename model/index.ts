// The shared model: what the program's plan, the policy rules and pack, config, the components,
// the bench and the tests all mean by a resource, a finding, a type token, an environment, a
// placeholder, a URN, a service (its host, app roles, developer access), the shipped example values
// and string order. It
// loads no Pulumi SDK (test/model/index.test.ts checks), so the policy pack and scripts can
// import it cheaply.
export { compareCodeUnits, sortedByCodeUnits } from "./compare.ts";
export * from "./entra.ts";
export * from "./environment.ts";
export * from "./examples.ts";
export * from "./finding.ts";
export * from "./pipeline.ts";
export * from "./placeholder.ts";
export * from "./resource.ts";
export * from "./service.ts";
export * from "./types.ts";
export * from "./urn.ts";
