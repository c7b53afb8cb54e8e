// tools/plan/chain.ts: the longest chain of dependent operations, on small hand-made graphs.
import { invokeSource, placeholder } from "../../../model/index.ts";
import { deployChain, type GraphResource } from "../../../tools/plan/chain.ts";

/** A custom resource `urn` whose property `p` (or dependsOn, when `via` says so) uses each of `on`. */
function op(urn: string, on: string[] = [], extra: Partial<GraphResource> = {}): GraphResource {
  return {
    urn,
    custom: true,
    dependencies: on,
    propertyDependencies: on.length > 0 ? { p: on } : {},
    ...extra,
  };
}
const component = (urn: string, parent?: string): GraphResource => ({
  urn,
  custom: false,
  parent,
  dependencies: [],
  propertyDependencies: {},
});
const urns = (resources: GraphResource[]) => deployChain(resources).links.map((l) => l.urn);

test("an empty graph has no chain", () => {
  expect(deployChain([])).toEqual({ operations: 0, links: [], perStep: [] });
});

test("a line of dependencies is the chain, with the property that makes each link", () => {
  const chain = deployChain([op("c", ["b"]), op("a"), op("b", ["a"])]);
  expect(chain.links).toEqual([
    { urn: "a", because: [], through: [] },
    { urn: "b", because: ["p"], through: [] },
    { urn: "c", because: ["p"], through: [] },
  ]);
  expect(chain.operations).toBe(3);
  expect(chain.perStep).toEqual([1, 1, 1]);
});

test("the longest of two paths wins, whichever comes first", () => {
  // d waits for a directly and for a through b and c.
  expect(urns([op("a"), op("d", ["a", "c"]), op("b", ["a"]), op("c", ["b"])])).toEqual(["a", "b", "c", "d"]);
  expect(urns([op("a"), op("b", ["a"]), op("c", ["b"]), op("d", ["c", "a"])])).toEqual(["a", "b", "c", "d"]);
});

test("of chains that tie, the one of the earliest registered resources is reported", () => {
  expect(urns([op("x"), op("y"), op("z", ["y", "x"])])).toEqual(["x", "z"]);
  expect(urns([op("x"), op("y"), op("u", ["y"]), op("v", ["x"])])).toEqual(["y", "u"]);
});

test("operations per step count every operation at the earliest step it can run", () => {
  const chain = deployChain([op("rg"), op("app"), op("plan", ["rg"]), op("site1", ["plan"]), op("site2", ["plan"])]);
  expect(chain.perStep).toEqual([2, 1, 2]);
});

test("components are no operations: a dependency on one waits for every operation under it", () => {
  const resources = [
    component("box"),
    component("inner", "box"),
    op("deep", [], { parent: "inner" }),
    op("first", [], { parent: "box" }),
    op("before-deep"),
    { ...op("deep"), urn: "deep2", parent: "inner", dependencies: ["before-deep"], propertyDependencies: {} },
    op("after", ["box"]),
  ];
  const chain = deployChain(resources);
  expect(chain.operations).toBe(5);
  expect(chain.links).toEqual([
    { urn: "before-deep", because: [], through: [] },
    { urn: "deep2", because: ["dependsOn"], through: [] },
    { urn: "after", because: ["p"], through: [] },
  ]);
});

test("a component parent is no wait; a custom parent is", () => {
  expect(urns([component("box"), op("child", [], { parent: "box" })])).toEqual(["child"]);
  const chain = deployChain([op("site"), op("slot", [], { parent: "site" })]);
  expect(chain.links.map((l) => [l.urn, l.because])).toEqual([
    ["site", []],
    ["slot", ["parent"]],
  ]);
});

test("a link names every reason it waits: properties, and dependsOn for what no property uses", () => {
  const chain = deployChain([
    op("a"),
    op("b", [], { dependencies: ["a"], propertyDependencies: { name: ["a"], location: ["a"] } }),
    op("c", [], { dependencies: ["b"], propertyDependencies: {} }),
  ]);
  expect(chain.links.map((l) => l.because)).toEqual([[], ["name", "location"], ["dependsOn"]]);
});

test("a link through a data source names it, when the value's placeholder passes through its arguments", () => {
  // Placeholders name URNs (model/placeholder.ts).
  const site = "urn:pulumi:s::p::azure-native:web:WebApp::site";
  const token = "azuread:index/getServicePrincipal:getServicePrincipal";
  const lookup = placeholder(invokeSource(token, { objectId: placeholder(site, "identity.principalId") }), "objectId");
  const grant = deployChain([op(site), op("grant", [site], { inputs: { p: lookup } })]);
  expect(grant.links[1]).toEqual({ urn: "grant", because: ["p"], through: [token] });
  const direct = deployChain([op(site), op("other", [site], { inputs: { p: [{ deep: placeholder(site, "name") }] } })]);
  expect(direct.links[1]).toEqual({ urn: "other", because: ["p"], through: [] });
});

test("dependencies on what is not in the graph (providers) are no operations", () => {
  expect(urns([op("a", ["provider"]), op("b", ["a"])])).toEqual(["a", "b"]);
});

test("a dependency on itself is ignored, a cycle is refused", () => {
  expect(urns([op("a", ["a"])])).toEqual(["a"]);
  expect(() => deployChain([op("a", ["b"]), op("b", ["a"])])).toThrow(/cycle runs through/);
});
