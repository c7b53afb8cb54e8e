// Stands in for @pulumi/pulumi's typescript-shim in the test workers (test/setup.ts): the SDK
// requires all of TypeScript (9 MB) as it starts, for closure serialization that the tests never
// reach. This loads TypeScript on first use instead.
"use strict";
let real;
// A synchronous require on purpose: the SDK reads the shim synchronously.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = () => (real ??= require("typescript"));
module.exports = new Proxy(
  {},
  {
    get: (_, key) => load()[key],
    has: (_, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  },
);
