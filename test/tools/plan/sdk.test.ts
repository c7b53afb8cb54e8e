// tools/plan/sdk.ts: the SDK internals the recorder relies on are still there, and a one-resource
// program is recorded with its parent, protect and ignoreChanges. Fails loudly when an upgrade
// of @pulumi/pulumi changes what sdk.ts reaches into.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { recordProgram } from "../../../tools/plan/recorder.ts";
import {
  CHECKED_SDK_VERSIONS,
  type Declaration,
  resourceInternals,
  rpc,
  sdkRpc,
  watchDeclarations,
} from "../../../tools/plan/sdk.ts";

const installed = (
  JSON.parse(readFileSync(join(import.meta.dirname, "../../../node_modules/@pulumi/pulumi/package.json"), "utf8")) as {
    version: string;
  }
).version;

describe("the SDK internals the recorder uses", () => {
  test("the installed @pulumi/pulumi is a version tools/plan/sdk.ts was checked against", () => {
    expect(CHECKED_SDK_VERSIONS).toContain(installed);
  });

  test("the RPC functions exist with the arguments the recorder passes on", () => {
    expect(typeof sdkRpc.resolveProperties).toBe("function");
    // res, resolvers, type, name, allProps, deps, err, keepUnknowns
    expect(sdkRpc.resolveProperties.length).toBe(8);
    expect(typeof sdkRpc.deserializeProperties).toBe("function");
    expect(sdkRpc.deserializeProperties.length).toBe(2);
    expect(typeof rpc.specialSigKey).toBe("string");
    expect(typeof rpc.specialSecretSig).toBe("string");
  });

  test("the resource module's registerResource exists with the arguments the declaration hook reads", () => {
    // res, parent, type, name, custom, remote, newDependency, props, opts, sourcePosition, stackTrace, packageRef
    expect(resourceInternals.registerResource.length).toBe(12);
  });
});

class Thing extends pulumi.CustomResource {
  constructor(name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super("test:index:Thing", name, props, opts);
  }
}

class Box extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions) {
    super("test:index:Box", name, {}, opts);
    new Thing(`${name}-thing`, { size: 1 }, { parent: this, ignoreChanges: ["size"] });
    this.registerOutputs({ answer: 42 });
  }
}

describe("a one-resource program", () => {
  test.each([
    ["placeholders", undefined],
    ["stubbed outputs", { resource: () => ({}), call: () => ({}) }],
  ])("is recorded with parent, protect and ignoreChanges (%s)", async (_, stub) => {
    const recording = await recordProgram({
      project: "p",
      stack: "s",
      config: {},
      program: () => {
        new Box("box", { protect: true });
        return {};
      },
      ...(stub ? { stub } : {}),
    });
    const [box, thing] = recording.resources;
    expect(box).toMatchObject({ urn: "urn:pulumi:s::p::test:index:Box::box", custom: false, protect: true });
    expect(box!.parent).toBeUndefined();
    expect(thing).toMatchObject({
      urn: "urn:pulumi:s::p::test:index:Box$test:index:Thing::box-thing",
      parent: box!.urn,
      custom: true,
      protect: true,
      ignoreChanges: ["size"],
      inputs: { size: 1 },
    });
    expect(recording.componentOutputs.get(box!.urn)).toEqual({ answer: 42 });
  });

  test("is recorded with what each resource waits for: inputs, dependsOn (a component: its resources)", async () => {
    const recording = await recordProgram({
      project: "p",
      stack: "s",
      config: {},
      program: () => {
        const box = new Box("box", {});
        const first = new Thing("first", { size: 1 }, {});
        new Thing("second", { size: first.id, other: 2 }, { dependsOn: [box] });
        return {};
      },
    });
    const urn = (name: string) => recording.resources.find((r) => r.name === name)!.urn;
    const second = recording.resources.find((r) => r.name === "second")!;
    expect(second.propertyDependencies).toEqual({ size: [urn("first")] });
    expect([...second.dependencies].sort()).toEqual([urn("box-thing"), urn("first")].sort());
    expect(recording.resources.find((r) => r.name === "first")!.dependencies).toEqual([]);
  });

  test("is seen by the declaration hook as each constructor runs, with the options Pulumi applied", async () => {
    const declared: Declaration[] = [];
    const restore = watchDeclarations((d) => declared.push(d));
    try {
      await recordProgram({ project: "p", stack: "s", config: {}, program: () => new Box("box", { protect: true }) });
    } finally {
      restore();
    }
    expect(declared).toEqual([
      { type: "test:index:Box", name: "box", protect: true, retainOnDelete: undefined, ignoreChanges: undefined },
      {
        type: "test:index:Thing",
        name: "box-thing",
        protect: true,
        retainOnDelete: undefined,
        ignoreChanges: ["size"],
      },
    ]);
  });
});
