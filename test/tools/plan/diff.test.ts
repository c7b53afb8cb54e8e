// tools/plan/diff.ts: what changed between two plans, as text and as a PR comment, and reading plan files.
import {
  changedInputs,
  diffPlans,
  grantsProdAccess,
  renderDiffMarkdown,
  renderDiffText,
  asPlanDocument,
} from "../../../tools/plan/diff.ts";
import type { PlanDocument } from "../../../tools/plan/document.ts";
import { planStack } from "./stacks.ts";

function withoutGrant<T extends { grant: string }>(list: T[]): Omit<T, "grant">[] {
  return list.map(({ grant: _grant, ...rest }) => rest);
}

describe("changedInputs", () => {
  it("lists the leaf paths that differ, array elements by index, with both values", () => {
    expect(changedInputs({ a: 1, b: { c: [1, 2], d: "x" } }, { a: 1, b: { c: [1, 3, 4], d: "x" }, e: true })).toEqual([
      { path: "b.c[1]", from: 2, to: 3 },
      { path: "b.c[2]", from: undefined, to: 4 },
      { path: "e", from: undefined, to: true },
    ]);
    expect(changedInputs({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([]);
    expect(changedInputs({ a: { b: 1 } }, { a: "now a string" })).toEqual([
      { path: "a", from: { b: 1 }, to: "now a string" },
    ]);
  });
});

describe("diff of the real stacks", () => {
  let dev: PlanDocument;
  let prod: PlanDocument;
  beforeAll(async () => {
    dev = await planStack("dev");
    prod = await planStack("prod");
  });

  it("dev → prod revokes the developer access and grants nothing", () => {
    const diff = diffPlans(dev, prod);
    expect(withoutGrant(diff.revoked)).toEqual([
      { callee: "the-callee", principal: "azure-cli", principalType: "AuthorizedClient", role: "user_impersonation" },
      { callee: "the-callee", principal: "developer@contoso.example", principalType: "User", role: "Invoke" },
      {
        callee: "the-callee",
        principal: "11111111-2222-3333-4444-555555555555",
        principalType: "Group",
        role: "Invoke",
      },
    ]);
    expect(diff.granted).toEqual([]);
    expect(grantsProdAccess(diff)).toBe(false);
  });

  it("matches resources across stacks and reports what changed", () => {
    const diff = diffPlans(dev, prod);
    expect(diff.added).toEqual([]);
    const removed = diff.removed.map((r) => r.name);
    expect(removed.filter((n) => !n.startsWith("the-callee-dev-access")).every((n) => /^ci[-_]principal/.test(n))).toBe(
      true,
    );
    expect(removed.filter((n) => n.startsWith("the-callee-dev-access")).sort()).toEqual([
      "the-callee-dev-access",
      "the-callee-dev-access-client-azure-cli",
      "the-callee-dev-access-group-11111111-2222-3333-4444-555555555555",
      "the-callee-dev-access-group-11111111-2222-3333-4444-555555555555-assignment",
      "the-callee-dev-access-user-developer@contoso.example",
      "the-callee-dev-access-user-developer@contoso.example-assignment",
    ]);
    const plan = diff.changed.find((c) => c.name === "s2s-auth-plan")!;
    expect(plan).toMatchObject({
      type: "azure-native:web:AppServicePlan",
      changes: [{ path: "sku.name", from: "B1", to: "P0v3" }],
      protect: { from: false, to: true },
    });
    expect(plan.urn).toBe(prod.steps.find((s) => s.urn.endsWith("::s2s-auth-plan"))!.urn);
    expect(diff.changed.find((c) => c.name === "the-callee-app")!.changes.map((c) => c.path)).toContain(
      "appRoles[0].allowedMemberTypes[1]",
    );
    // Placeholders differ only by stack name: not a change.
    expect(diff.changed.find((c) => c.name === "the-callee-uri")!.changes).toEqual([]);
  });

  it("prod → dev grants it, with a warning only when the head is prod", () => {
    const diff = diffPlans(prod, dev);
    expect(diff.granted).toEqual(diffPlans(dev, prod).revoked);
    expect(grantsProdAccess(diff)).toBe(false);
    const intoProd = diffPlans({ ...prod, access: [] }, prod);
    expect(grantsProdAccess(intoProd)).toBe(true);
    expect(renderDiffMarkdown(intoProd)).toContain(
      "> **This change grants new access in `prod`** (1 new grant, stack `prod`).",
    );
    expect(renderDiffText(intoProd)).toContain("WARNING: this change grants new access in prod");
    expect(renderDiffMarkdown(diff)).not.toContain("[!WARNING]");
  });

  it("of a plan with itself is empty", () => {
    const diff = diffPlans(dev, dev);
    expect([diff.added, diff.removed, diff.changed, diff.granted, diff.revoked]).toEqual([[], [], [], [], []]);
    expect(renderDiffMarkdown(diff)).toContain("No resource changes.");
    expect(renderDiffMarkdown(diff)).toContain("No access changes.");
  });

  it("renders a PR comment with resource and access tables", () => {
    const md = renderDiffMarkdown(diffPlans(dev, prod));
    expect(md.split("\n")[0]).toBe("### Offline plan diff: `s2s-auth` `dev` → `prod`");
    expect(md).toMatch(/\*\*Access:\*\* 0 granted, 3 revoked · \*\*Resources:\*\* 0 added, \d+ removed, \d+ changed/);
    expect(md).toContain("| Change | Type | Name | Changed inputs |");
    expect(md).toContain(
      "| removed | `azuread:index/applicationPreAuthorized:ApplicationPreAuthorized` | " +
        "`the-callee-dev-access-client-azure-cli` |  |",
    );
    expect(md).toContain(
      "| changed | `azure-native:web:AppServicePlan` | `s2s-auth-plan` | " +
        'protect false → true; `sku.name`: `"B1"` → `"P0v3"` |',
    );
    expect(md).toContain(
      "#### Access revoked\n\n| Callee | Principal | Type | Role |\n|---|---|---|---|\n" +
        "| `the-callee` | `azure-cli` | `AuthorizedClient` | `user_impersonation` |",
    );
  });

  it("reads plan documents back from JSON", () => {
    expect(asPlanDocument(JSON.parse(JSON.stringify(dev)), "dev.json")).toEqual(dev);
    expect(() => asPlanDocument({ stack: "dev" }, "x.json")).toThrow(
      "x.json: not a plan document (project: missing); write one with `npm run plan -- --json x.json`",
    );
  });
});

// Issue 23, item 3: a diff named the input that changed (`allowedApplications[1]`) but not its values,
// so a reviewer could not tell whose client id came or went.
describe("changed inputs show the value before and after", () => {
  const AUTH = "azure-native:web:WebAppAuthSettingsV2";
  const ALLOWED = "identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy.allowedApplications";
  type Policy = { allowedApplications: string[] };
  const policyOf = (plan: PlanDocument): Policy => {
    const inputs = plan.steps.find((s) => s.newState.type === AUTH)!.newState.inputs as {
      identityProviders: { azureActiveDirectory: { validation: { defaultAuthorizationPolicy: Policy } } };
    };
    return inputs.identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy;
  };
  let dev: PlanDocument;
  beforeAll(async () => (dev = await planStack("dev")));

  it("an allowedApplications entry that went: whose client id it was, in the text and in the comment", () => {
    const head = structuredClone(dev);
    policyOf(head).allowedApplications.pop(); // the Azure CLI's client id
    const diff = diffPlans(dev, head);
    expect(diff.changed.map((c) => [c.name, c.changes])).toEqual([
      ["the-callee-auth", [{ path: `${ALLOWED}[1]`, from: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", to: undefined }]],
    ]);
    expect(renderDiffText(diff)).toContain(
      `  ~ ${AUTH}  the-callee-auth\n      ${ALLOWED}[1]: "04b07795-8ddb-461a-bbee-02f9e1bf7b46" → (none)\n`,
    );
    expect(renderDiffMarkdown(diff)).toContain(
      `| changed | \`${AUTH}\` | \`the-callee-auth\` | ` +
        `\`${ALLOWED}[1]\`: \`"04b07795-8ddb-461a-bbee-02f9e1bf7b46"\` → (none) |`,
    );
  });

  it("a caller that replaced another: both placeholders, named by the site they come from", () => {
    const head = structuredClone(dev);
    const allowed = policyOf(head).allowedApplications;
    allowed[0] = allowed[0]!.replace("the-caller-site", "another-caller-site");
    expect(renderDiffText(diffPlans(dev, head))).toContain(
      `      ${ALLOWED}[0]: "\${getServicePrincipal(\${the-caller-site#identity.principalId})#clientId}" → ` +
        `"\${getServicePrincipal(\${another-caller-site#identity.principalId})#clientId}"\n`,
    );
  });

  it("a long value is shortened, with a note saying the plan JSON holds it whole; a secret stays masked", () => {
    const head = structuredClone(dev);
    const app = head.steps.find((s) => s.newState.type === "azuread:index/application:Application")!;
    const roles = app.newState.inputs["appRoles"] as { description: string }[];
    roles[0]!.description = `${"a".repeat(60)} the end ${"z".repeat(40)}`;
    app.newState.inputs["secret"] = "[secret]";
    const diff = diffPlans(dev, head);
    const text = renderDiffText(diff);
    expect(text).toContain(
      `      appRoles[0].description: "Call the-callee as Invoke." → "${"a".repeat(54)}…${"z".repeat(19)}"\n`,
    );
    expect(text).toContain('      secret: (none) → "[secret]"\n');
    expect(text).toContain('(values over 80 characters are shortened with "…"; the plan JSON files hold them whole)');
    expect(renderDiffMarkdown(diff, { fullPlan: "the plans artifact" })).toContain(
      '> Changed inputs: values over 80 characters are shortened with "…"; the full plan: the plans artifact.',
    );
  });
});
