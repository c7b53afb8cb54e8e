import {
  canonicalJson,
  invokeSource,
  parseReference,
  parseReferences,
  placeholder,
  referencedUrns,
} from "../../model/index.ts";
import { reveal } from "../../plan/placeholders.ts";

const SITE = "urn:pulumi:dev::p::a:b:Comp$azure-native:web:WebApp::site";

describe("placeholders", () => {
  it("names the source and the output path", () => {
    expect(placeholder(SITE, "identity.principalId")).toBe(`\${${SITE}#identity.principalId}`);
  });

  it("writes invoke arguments as canonical JSON, keys sorted at every level", () => {
    expect(invokeSource("pkg:index/getX:getX", { b: 1, a: { d: 2, c: 3 } })).toBe(
      'invoke:pkg:index/getX:getX({"a":{"c":3,"d":2},"b":1})',
    );
    expect(canonicalJson({ y: [{ b: 1, a: 2 }], x: undefined })).toBe('{"y":[{"a":2,"b":1}]}');
  });

  it("finds placeholders composed into larger strings", () => {
    const refs = parseReferences(`api://${placeholder(SITE, "clientId")}/x and ${placeholder(SITE, "name")}`);
    expect(refs.map((r) => r.kind === "resource" && [r.urn, r.path])).toEqual([
      [SITE, "clientId"],
      [SITE, "name"],
    ]);
  });

  it("parses an invoke whose arguments hold another placeholder", () => {
    const inner = placeholder(SITE, "identity.principalId");
    const outer = placeholder(
      invokeSource("azuread:index/getServicePrincipal:getServicePrincipal", { objectId: inner }),
      "clientId",
    );
    const ref = parseReference(outer);
    expect(ref).toMatchObject({
      kind: "invoke",
      token: "azuread:index/getServicePrincipal:getServicePrincipal",
      path: "clientId",
      args: { objectId: inner },
    });
    expect([...referencedUrns({ list: [outer] })]).toEqual([SITE]);
  });

  it("does not take plain strings for placeholders", () => {
    expect(parseReferences("api://example, ${not closed")).toEqual([]);
    expect(parseReference("${no-hash}")).toBeUndefined();
  });
});

describe("reveal", () => {
  const identity = reveal(SITE, "identity", {
    type: "SystemAssigned",
    nested: { known: 1 },
    list: [{ a: 1 }],
  }) as Record<string, unknown>;

  it("keeps known values and turns missing ones into placeholders", () => {
    expect(identity["type"]).toBe("SystemAssigned");
    expect(identity["principalId"]).toBe(placeholder(SITE, "identity.principalId"));
  });

  it("reveals nested objects and array elements with their full path", () => {
    expect((identity["nested"] as Record<string, unknown>)["known"]).toBe(1);
    expect((identity["nested"] as Record<string, unknown>)["missing"]).toBe(
      placeholder(SITE, "identity.nested.missing"),
    );
    expect((identity["list"] as Record<string, unknown>[])[0]!["b"]).toBe(placeholder(SITE, "identity.list[0].b"));
  });

  it("is not mistaken for a promise, an Output or a Resource", async () => {
    expect(identity["then"]).toBeUndefined();
    expect(identity["__pulumiOutput"]).toBeUndefined();
    expect(await Promise.resolve(identity)).toBe(identity);
    expect(Object.keys(identity)).toEqual(["type", "nested", "list"]);
  });
});
