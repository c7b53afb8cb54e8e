// The preview-versus-plan comparison of npm run e2e: what counts as a difference, and what is the
// provider's own addition.
import { comparePreviewToPlan, failures, UNKNOWN, type PlanLikeDocument } from "../../e2e/compare.ts";

const URN = "urn:pulumi:dev::s2s-auth::azure-native:web:WebApp::site";
const PARENT = "urn:pulumi:dev::s2s-auth::pulumi:pulumi:Stack::s2s-auth-dev";

function doc(
  inputs: Record<string, unknown>,
  state: { protect?: boolean; parent?: string; type?: string } = {},
): PlanLikeDocument {
  return {
    steps: [
      {
        urn: URN,
        newState: {
          type: state.type ?? "azure-native:web:WebApp",
          parent: state.parent ?? PARENT,
          protect: state.protect,
          inputs,
        },
      },
    ],
  };
}

describe("comparePreviewToPlan", () => {
  test("identical documents have no difference", () => {
    expect(comparePreviewToPlan(doc({ httpsOnly: true }), doc({ httpsOnly: true }))).toEqual([]);
  });

  test("an absent protect in the engine's JSON is false (omitempty)", () => {
    expect(comparePreviewToPlan(doc({}), doc({}, { protect: false }))).toEqual([]);
    expect(comparePreviewToPlan(doc({}), doc({}, { protect: true }))).toEqual([
      { kind: "resource", urn: URN, path: "protect", plan: true, preview: false },
    ]);
  });

  test("type and parent must agree", () => {
    const kinds = comparePreviewToPlan(doc({}, { type: "a:b:C", parent: "urn:x" }), doc({})).map((d) => [
      d.kind,
      d.path,
    ]);
    expect(kinds).toEqual([
      ["resource", "type"],
      ["resource", "parent"],
    ]);
  });

  test("a value one side cannot know yet matches anything", () => {
    const preview = doc({ siteConfig: UNKNOWN, serverFarmId: UNKNOWN });
    const plan = doc({
      siteConfig: { minTlsVersion: "1.2" },
      serverFarmId: "${urn:pulumi:dev::s2s-auth::azure-native:web:AppServicePlan::plan#id}",
    });
    expect(comparePreviewToPlan(preview, plan)).toEqual([]);
  });

  test("different known values are a failure, with the path of the input", () => {
    const differences = comparePreviewToPlan(
      doc({ siteConfig: { ftpsState: "AllAllowed" } }),
      doc({ siteConfig: { ftpsState: "Disabled" } }),
    );
    expect(differences).toEqual([
      { kind: "input", urn: URN, path: "inputs.siteConfig.ftpsState", plan: "Disabled", preview: "AllAllowed" },
    ]);
    expect(failures(differences)).toHaveLength(1);
  });

  test("an input only the preview has is the provider's addition, reported but not a failure", () => {
    const differences = comparePreviewToPlan(doc({ name: "site1a2b3c4d", httpsOnly: true }), doc({ httpsOnly: true }));
    expect(differences).toEqual([{ kind: "provider-added", urn: URN, path: "inputs.name", preview: "site1a2b3c4d" }]);
    expect(failures(differences)).toEqual([]);
  });

  test("an input the plan has and the preview lost is a failure", () => {
    expect(failures(comparePreviewToPlan(doc({}), doc({ httpsOnly: true })))).toEqual([
      { kind: "input", urn: URN, path: "inputs.httpsOnly", plan: true },
    ]);
  });

  test("a resource on one side only is a failure either way", () => {
    const empty: PlanLikeDocument = { steps: [] };
    expect(comparePreviewToPlan(empty, doc({})).map((d) => d.kind)).toEqual(["missing-in-preview"]);
    expect(comparePreviewToPlan(doc({}), empty).map((d) => d.kind)).toEqual(["missing-in-plan"]);
  });

  test("lists are compared element by element", () => {
    expect(comparePreviewToPlan(doc({ a: [1, UNKNOWN, 3] }), doc({ a: [1, 2, 3] }))).toEqual([]);
    expect(comparePreviewToPlan(doc({ a: [1, 2] }), doc({ a: [1, 2, 3] })).map((d) => d.path)).toEqual(["inputs.a"]);
  });
});
