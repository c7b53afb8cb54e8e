// The rules the plan reports as findings: the same functions the policy pack and the tests run.
export { ruleFunctions as rules } from "../../policy/rules/index.ts";
