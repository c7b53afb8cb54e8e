// Stands in for @pulumi/pulumi's typescript-shim under jest (jest.config.json moduleNameMapper):
// the SDK requires all of TypeScript (9 MB) as it starts, for closure serialization that the
// tests never reach, and jest loads it again for every test file. This loads TypeScript on
// first use instead, so a test file that does serialize a function still gets the real thing.
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
