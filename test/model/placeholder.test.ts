// model/placeholder.ts: the placeholder grammar, made and parsed in one place.
import {
  canonicalJson,
  invokeSource,
  parseReference,
  parseReferences,
  placeholder,
  referencedUrns,
  resourceReference,
} from "../../model/placeholder.ts";

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

describe("resourceReference", () => {
  test("reads exactly one resource placeholder, nothing else", () => {
    const urn = "urn:pulumi:dev::p::t::app";
    expect(resourceReference(placeholder(urn, "clientId"))).toEqual({ urn, output: "clientId" });
    expect(resourceReference(placeholder(urn, ""))).toBeUndefined();
    expect(resourceReference(`api://${placeholder(urn, "clientId")}`)).toBeUndefined();
    expect(resourceReference(placeholder(invokeSource("t:m:f", {}), "id"))).toBeUndefined();
    expect(resourceReference(42)).toBeUndefined();
  });
  test.each([
    ["plain text", "the-callee-app-client-id"],
    ["text around a placeholder", "api://${urn:pulumi:dev::p::t::app#clientId}"],
    ["not a Pulumi URN", "${arn:aws:iam::1#id}"],
    ["no output", "${urn:pulumi:dev::p::t::app}"],
    ["an empty output", "${urn:pulumi:dev::p::t::app#}"],
  ])("is undefined for %s", (_what, value) => {
    expect(resourceReference(value)).toBeUndefined();
  });
});
