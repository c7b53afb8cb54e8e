// tools/plan/importFile.ts: the `pulumi import --file` document of a stack, what adopting a setup made
// by hand starts from (docs/reusing.md): every resource but the root stack, components as such, each
// resource's parent the program gives it, ids given or their type's form to fill in.
import { importFile, IMPORT_ID_FORMS } from "../../../tools/plan/importFile.ts";
import { planStack } from "./stacks.ts";

describe("the import file of the test stack", () => {
  test("lists every resource of the plan once, components as components, custom resources with an id", async () => {
    const plan = await planStack("test");
    const file = importFile(plan);
    expect(file.resources).toHaveLength(plan.steps.length - 1);
    expect(new Set(file.resources.map((r) => r.name)).size).toBe(file.resources.length);
    const byName = Object.fromEntries(file.resources.map((r) => [r.name, r]));
    expect(byName["the-callee"]).toEqual({
      type: "s2s-auth:api:ProtectedApi",
      name: "the-callee",
      logicalName: "the-callee",
      component: true,
    });
    expect(byName["the-caller_to_the-callee-assignment"]).toEqual({
      type: "azuread:index/appRoleAssignment:AppRoleAssignment",
      name: "the-caller_to_the-callee-assignment",
      logicalName: "the-caller_to_the-callee-assignment",
      parent: "the-caller_to_the-callee",
      id: "/servicePrincipals/<callee's service principal object id>/appRoleAssignedTo/<assignment id>",
    });
    expect(byName["the-caller_to_the-callee"]?.parent).toBe("the-callee");
    // Every parent is an entry of the file, so pulumi import builds each URN as the program does.
    for (const r of file.resources) if (r.parent !== undefined) expect(byName[r.parent]?.component).toBe(true);
    expect(file.resources.filter((r) => r.id !== undefined && r.component !== undefined)).toEqual([]);
  });

  test("takes ids by logical name, and has an id form for every type the program declares", async () => {
    const plan = await planStack("test");
    const site = "/subscriptions/s/resourceGroups/legacy-rg/providers/Microsoft.Web/sites/legacy-callee";
    const file = importFile(plan, { "the-callee-site": site });
    expect(file.resources.find((r) => r.name === "the-callee-site")?.id).toBe(site);
    const types = new Set(file.resources.filter((r) => r.component === undefined).map((r) => r.type));
    expect([...types].filter((type) => IMPORT_ID_FORMS[type] === undefined)).toEqual([]);
  });
});
