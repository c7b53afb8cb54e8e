// Entry point for the Pulumi CLI. It loads a policy pack with require() after registering ts-node,
// whose CommonJS hook cannot load this ESM TypeScript; a dynamic import hands index.ts to
// Node's own loader (type stripping, Node >= 22.18) instead. The CLI awaits the exported promise.
module.exports = import("./index.ts");
