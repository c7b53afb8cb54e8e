// tools/plan/placeholders.ts: how the recorder reveals deploy-time values as traceable placeholders.
import { placeholder } from "../../../model/index.ts";
import { reveal } from "../../../tools/plan/placeholders.ts";

const SITE = "urn:pulumi:dev::p::a:b:Comp$azure-native:web:WebApp::site";

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
