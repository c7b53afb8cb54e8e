// Records every resource the program declares, at the moment its constructor runs: type, name
// and the options after Pulumi applied the parent's defaults (protect is inherited there).
// The mock monitor only hears of a resource later, asynchronously, so counting here is what
// proves that nothing was declared before a config error was thrown.
import * as resourceRuntime from "@pulumi/pulumi/runtime/resource.js";

export interface Declaration {
  type: string;
  name: string;
  protect: boolean | undefined;
  retainOnDelete: boolean | undefined;
  ignoreChanges: string[] | undefined;
}

export interface DeclarationLog {
  /** Declarations since {@link DeclarationLog.clear}, in order. */
  readonly all: () => Declaration[];
  /** The output names each component registered (`registerOutputs`), by resource name. */
  readonly componentOutputs: () => Record<string, string[]>;
  clear(): void;
  restore(): void;
}

/** Starts recording declarations (call in beforeAll; `restore` in afterAll). */
export function recordDeclarations(): DeclarationLog {
  const spy = jest.spyOn(resourceRuntime, "registerResource");
  const outputs = jest.spyOn(resourceRuntime, "registerResourceOutputs");
  return {
    componentOutputs: () => {
      const names = new Map(spy.mock.calls.map(([res, , , name]) => [res, name]));
      return Object.fromEntries(
        outputs.mock.calls.map(([res, out]) => [names.get(res) ?? "?", Object.keys(out).sort()]),
      );
    },
    all: () =>
      spy.mock.calls.map(([, , type, name, , , , , opts]) => ({
        type,
        name,
        protect: opts.protect,
        retainOnDelete: opts.retainOnDelete,
        ignoreChanges: opts.ignoreChanges,
      })),
    clear: () => {
      spy.mockClear();
      outputs.mockClear();
    },
    restore: () => {
      spy.mockRestore();
      outputs.mockRestore();
    },
  };
}
