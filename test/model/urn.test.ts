// model/urn.ts: URNs as the engine makes them, and their parts.
import { rootStackUrn, urnName, urnOf, urnStackAndProject, urnType, urnTypeChain } from "../../model/urn.ts";

describe("URNs", () => {
  const nested = "urn:pulumi:dev::p::a:b:Outer$a:b:Inner::inner";
  test("urnOf chains every ancestor's type and the readers take it apart again", () => {
    const leaf = urnOf("p", "dev", nested, "x:y:Leaf", "leaf");
    expect(leaf).toBe("urn:pulumi:dev::p::a:b:Outer$a:b:Inner$x:y:Leaf::leaf");
    expect(urnOf("p", "dev", "", "x:y:Leaf", "leaf")).toBe("urn:pulumi:dev::p::x:y:Leaf::leaf");
    expect(urnName(leaf)).toBe("leaf");
    expect(urnType(leaf)).toBe("x:y:Leaf");
    expect(urnTypeChain(leaf)).toBe("a:b:Outer$a:b:Inner$x:y:Leaf");
    expect(urnStackAndProject(leaf)).toEqual({ stack: "dev", project: "p" });
    expect(urnStackAndProject("not-a-urn")).toBeUndefined();
  });

  test("the root stack", () => {
    expect(rootStackUrn("p", "dev")).toBe("urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev");
  });
});
