// The shared model (model/) under the path the policy files have always imported it from; it
// defines nothing itself.
export * from "../model/index.ts";
