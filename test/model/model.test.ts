// model/: it loads no Pulumi SDK (the policy pack and scripts import it cheaply), findings sort
// errors first in code-unit order, URNs are made and read alike, and an unknown environment is
// judged as prod.
const SDK_PACKAGES = ["@pulumi/pulumi", "@pulumi/policy", "@pulumi/azure-native", "@pulumi/azuread"];
for (const name of SDK_PACKAGES) {
  jest.mock(name, () => {
    throw new Error(`loaded ${name}`);
  });
}

describe("the model", () => {
  test("loads without any Pulumi SDK", async () => {
    await expect(import("../../model/index.ts")).resolves.toHaveProperty("RESOURCE_TYPE");
  });

  test("the check above would see an SDK import (the recorder loads one)", async () => {
    await expect(import("../../plan/recorder.ts")).rejects.toThrow(/loaded @pulumi\//);
  });
});

describe("compareFindings", () => {
  test("errors first, then rule, URN and message in code-unit order", async () => {
    const { compareFindings } = await import("../../model/index.ts");
    const f = (severity: "error" | "warning", policy: string, urn: string, message: string) => ({
      severity,
      policy,
      urn,
      message,
    });
    const sorted = [
      f("warning", "a", "u", "m"),
      f("error", "b", "u", "m"),
      f("error", "a", "v", "m"),
      f("error", "a", "u", "n"),
      f("error", "a", "u", "M"),
      f("error", "a", "U", "m"),
    ].sort(compareFindings);
    expect(sorted.map((x) => [x.severity, x.policy, x.urn, x.message].join(" "))).toEqual([
      "error a U m",
      "error a u M",
      "error a u n",
      "error a v m",
      "error b u m",
      "warning a u m",
    ]);
  });
});

describe("URNs", () => {
  const nested = "urn:pulumi:dev::p::a:b:Outer$a:b:Inner::inner";
  test("urnOf chains every ancestor's type and the readers take it apart again", async () => {
    const { urnOf, urnName, urnType, urnTypeChain, urnStackAndProject } = await import("../../model/index.ts");
    const leaf = urnOf("p", "dev", nested, "x:y:Leaf", "leaf");
    expect(leaf).toBe("urn:pulumi:dev::p::a:b:Outer$a:b:Inner$x:y:Leaf::leaf");
    expect(urnName(leaf)).toBe("leaf");
    expect(urnType(leaf)).toBe("x:y:Leaf");
    expect(urnTypeChain(leaf)).toBe("a:b:Outer$a:b:Inner$x:y:Leaf");
    expect(urnStackAndProject(leaf)).toEqual({ stack: "dev", project: "p" });
    expect(urnStackAndProject("not-a-urn")).toBeUndefined();
  });

  test("the root stack, a renamed resource and a sibling of another type", async () => {
    const { rootStackUrn, renamedUrn, siblingUrn } = await import("../../model/index.ts");
    expect(rootStackUrn("p", "dev")).toBe("urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev");
    expect(renamedUrn(nested, "other")).toBe("urn:pulumi:dev::p::a:b:Outer$a:b:Inner::other");
    expect(siblingUrn(nested, "x:y:Leaf", "leaf")).toBe("urn:pulumi:dev::p::a:b:Outer$x:y:Leaf::leaf");
  });
});

describe("resourceReference", () => {
  test("reads exactly one resource placeholder, nothing else", async () => {
    const { placeholder, resourceReference, invokeSource } = await import("../../model/index.ts");
    const urn = "urn:pulumi:dev::p::t::app";
    expect(resourceReference(placeholder(urn, "clientId"))).toEqual({ urn, output: "clientId" });
    expect(resourceReference(placeholder(urn, ""))).toBeUndefined();
    expect(resourceReference(`api://${placeholder(urn, "clientId")}`)).toBeUndefined();
    expect(resourceReference(placeholder(invokeSource("t:m:f", {}), "id"))).toBeUndefined();
    expect(resourceReference(42)).toBeUndefined();
  });
});
