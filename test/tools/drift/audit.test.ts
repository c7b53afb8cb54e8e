// The drift audit: the policy rules judge a stack's refreshed state, and assignments on its service
// principals that it does not manage are listed.
import {
  audit,
  formatReport,
  managedServicePrincipals,
  toPlanned,
  type ExportedResource,
  type GraphAssignment,
} from "../../../tools/drift/audit.ts";
import { plannedResources } from "../../policy/stacks.ts";

const SP_TYPE = "azuread:index/servicePrincipal:ServicePrincipal";
const ASSIGNMENT_TYPE = "azuread:index/appRoleAssignment:AppRoleAssignment";

/** The dev stack as `pulumi stack export` would list it after a clean `up`, with ids the cloud gave. */
async function exportedDev(): Promise<ExportedResource[]> {
  const resources = await plannedResources("dev");
  return resources.map((r, i) => ({
    urn: r.urn,
    type: r.type,
    custom: r.custom,
    parent: r.parent,
    protect: r.protect,
    inputs: structuredClone(r.inputs),
    ...(r.type === SP_TYPE ? { id: `/servicePrincipals/sp-${i}`, outputs: { objectId: `sp-${i}` } } : {}),
    ...(r.type === ASSIGNMENT_TYPE ? { id: `/servicePrincipals/sp-x/appRoleAssignedTo/managed-${i}` } : {}),
  }));
}

const stranger = (resourceId: string): GraphAssignment => ({
  id: "unknown-grant",
  appRoleId: "role",
  principalId: "someone",
  principalType: "ServicePrincipal",
  resourceId,
});

describe("audit", () => {
  test("a clean dev state has no finding", async () => {
    expect(audit(await exportedDev(), [], { environment: "dev" })).toEqual({ findings: [], unmanaged: [] });
  });

  test("assignment required switched off in the refreshed state is reported by the rule that guards it", async () => {
    const resources = await exportedDev();
    const sp = resources.find((r) => r.type === SP_TYPE && r.inputs?.["appRoleAssignmentRequired"] === true)!;
    sp.inputs!["appRoleAssignmentRequired"] = false;
    const { findings } = audit(resources, [], { environment: "dev" });
    expect(findings.map((f) => [f.policy, f.urn])).toEqual([["callee-sp-assignment-required", sp.urn]]);
  });

  test("EasyAuth set to AllowAnonymous in the refreshed state is reported", async () => {
    const resources = await exportedDev();
    const auth = resources.find((r) => r.type === "azure-native:web:WebAppAuthSettingsV2")!;
    auth.inputs!["globalValidation"] = { requireAuthentication: false, unauthenticatedClientAction: "AllowAnonymous" };
    const { findings } = audit(resources, [], { environment: "dev" });
    expect(findings.map((f) => f.policy)).toContain("callee-site-auth-required");
    expect(findings.every((f) => f.urn === auth.urn)).toBe(true);
  });

  test(
    "an assignment on a managed service principal that the state does not hold is unmanaged; the state's own " +
      "are not",
    async () => {
      const resources = await exportedDev();
      const [sp] = managedServicePrincipals(resources);
      const managed = resources.find((r) => r.type === ASSIGNMENT_TYPE)!;
      const own: GraphAssignment = { ...stranger(sp!), id: managed.id!.split("/").at(-1)! };
      const elsewhere = { ...stranger("not-this-stacks-sp"), id: "other" };
      expect(audit(resources, [own, stranger(sp!), elsewhere], { environment: "dev" }).unmanaged).toEqual([
        stranger(sp!),
      ]);
    },
  );

  test("the report names the assignment and how to remove it; nothing drifted is an empty report", async () => {
    const resources = await exportedDev();
    const [sp] = managedServicePrincipals(resources);
    const text = formatReport("dev", audit(resources, [stranger(sp!)], { environment: "dev" }));
    expect(text).toContain("unmanaged app role assignment unknown-grant");
    expect(text).toContain(`servicePrincipals/${sp}/appRoleAssignedTo/unknown-grant`);
    expect(formatReport("dev", { findings: [], unmanaged: [] })).toBe("");
  });
});

describe("toPlanned", () => {
  test("secrets of an export with --show-secrets are read as their plaintext", () => {
    const [r] = toPlanned([
      {
        urn: "urn:pulumi:dev::p::t::n",
        type: "t",
        inputs: {
          a: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '{"b":true}' },
        },
      },
    ]);
    expect(r!.inputs).toEqual({ a: { b: true } });
    expect(r!.name).toBe("n");
  });
});
