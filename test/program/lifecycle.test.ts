// What `pulumi up` and `pulumi destroy` may do to an existing stack: prod refuses destroy, no
// resource outlives its stack unnoticed, and editing config that has nothing to do with access
// never moves a role, a scope or an assignment (a moved id means Entra replaces the grant, and
// the caller is locked out until the new one replicates).
import { DEV_SCOPE } from "../../model/index.ts";
import { stableGuid } from "../../components/stableId.ts";
import { recordDeclarations, type DeclarationLog } from "../fixtures/declarations.ts";
import { baseConfig, byUrn, richDevConfig, runProgram, type ProgramRun } from "../fixtures/index.ts";

/**
 * Resources allowed to set `retainOnDelete`, by type, with the reason (docs/reliability.md
 * lists them too). None today: destroying a stack removes everything it created.
 */
const RETAIN_ON_DELETE_ALLOWED: Readonly<Record<string, string>> = {};

const APPLICATION = "azuread:index/application:Application";
const ASSIGNMENT = "azuread:index/appRoleAssignment:AppRoleAssignment";
const PRE_AUTHORIZED = "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized";

/** Every access-defining id of a stack, keyed by the URN that owns it. */
function grantsOf(run: ProgramRun): Map<string, unknown> {
  const grants = new Map<string, unknown>();
  for (const app of run.ofType(APPLICATION)) {
    const roles = app.inputs["appRoles"] as { id: string; value: string }[];
    const scopes = (app.inputs["api"] as { oauth2PermissionScopes: { id: string; value: string }[] })
      .oauth2PermissionScopes;
    grants.set(app.urn, { roles: roles.map((r) => [r.value, r.id]), scopes: scopes.map((s) => [s.value, s.id]) });
  }
  for (const a of run.ofType(ASSIGNMENT)) {
    const { principalObjectId, resourceObjectId, appRoleId } = a.inputs;
    grants.set(a.urn, { principalObjectId, resourceObjectId, appRoleId });
  }
  for (const p of run.ofType(PRE_AUTHORIZED)) {
    const { applicationId, authorizedClientId, permissionIds } = p.inputs;
    grants.set(p.urn, { applicationId, authorizedClientId, permissionIds });
  }
  return grants;
}

/** URNs whose resource is missing, new or declared with other inputs in `after`. */
function changedResources(before: ProgramRun, after: ProgramRun): string[] {
  const a = byUrn(before.resources);
  const b = byUrn(after.resources);
  const urns = [...new Set([...a.keys(), ...b.keys()])].sort();
  return urns.filter((urn) => JSON.stringify(a.get(urn)) !== JSON.stringify(b.get(urn)));
}

/** A config edited by `edit`, the original left alone. */
function edited(edit: (config: Record<string, unknown>) => void): Record<string, unknown> {
  const config = structuredClone(richDevConfig());
  edit(config);
  return config;
}

type Callee = { name: string; appRoles?: { value: string; displayName?: string; description?: string }[] };
type Caller = { name: string; calls: { callee: string; role?: string }[] };
type DevAccess = { authorizedClients: string[]; users: string[]; groups: string[] };

const CONFIGS: Record<string, () => Record<string, unknown>> = {
  dev: richDevConfig,
  test: () => baseConfig("test"),
  prod: () =>
    edited((c) => {
      c["s2s-auth:environment"] = "prod";
      delete c["s2s-auth:devAccess"];
    }),
  sku: () => edited((c) => (c["s2s-auth:appServicePlanSku"] = "P1v3")),
  texts: () =>
    edited((c) => {
      for (const callee of c["s2s-auth:callees"] as Callee[]) {
        for (const role of callee.appRoles ?? []) {
          role.displayName = `${role.value} (renamed)`;
          role.description = "Reworded.";
        }
      }
    }),
  grown: () =>
    edited((c) => {
      (c["s2s-auth:callees"] as Callee[]).push({ name: "stock-api" });
      (c["s2s-auth:callers"] as Caller[]).push({
        name: "restocker",
        calls: [{ callee: "stock-api" }, { callee: "billing-api" }],
      });
      (c["s2s-auth:callers"] as Caller[])[0]!.calls.push({ callee: "stock-api" });
      const dev = c["s2s-auth:devAccess"] as DevAccess;
      dev.users.push("dev.two@contoso.example");
      dev.authorizedClients.push("azure-powershell");
    }),
  reordered: () =>
    edited((c) => {
      (c["s2s-auth:callees"] as Callee[]).reverse();
      (c["s2s-auth:callers"] as Caller[]).reverse();
      const dev = c["s2s-auth:devAccess"] as DevAccess;
      dev.users.reverse();
      dev.authorizedClients.reverse();
    }),
  callsReordered: () =>
    edited((c) => {
      for (const caller of c["s2s-auth:callers"] as Caller[]) caller.calls.reverse();
    }),
};

describe("safe lifecycle", () => {
  let declarations: DeclarationLog;

  /**
   * Runs a stack, with what it declared. Every test runs its own stacks: Stryker's per-test
   * coverage credits code to the test that runs it, so a run shared between tests would hide
   * which of them can catch a mutant (docs/reliability.md).
   */
  async function stack(label: keyof typeof CONFIGS) {
    declarations.clear();
    const run = await runProgram(label === "test" || label === "prod" ? label : "dev", CONFIGS[label]!());
    return { run, declared: declarations.all() };
  }

  function expectNothingRetained(label: string, { run, declared }: Awaited<ReturnType<typeof stack>>): void {
    expect(declared.length).toBe(run.resources.length);
    const retained = declared.filter((d) => d.retainOnDelete !== undefined && !(d.type in RETAIN_ON_DELETE_ALLOWED));
    expect(retained.map((d) => `${label}: ${d.type}::${d.name}`)).toEqual([]);
  }

  beforeAll(() => {
    declarations = recordDeclarations();
  });
  afterAll(() => {
    declarations.restore();
  });

  test("prod: every resource, components and children alike, refuses destroy; none is retained on delete", async () => {
    const prod = await stack("prod");
    expect(prod.run.resources.length).toBeGreaterThan(20);
    expect(prod.run.resources.filter((r) => !r.protect).map((r) => r.urn)).toEqual([]);
    expect(prod.declared.filter((d) => d.protect !== true).map((d) => d.name)).toEqual([]);
    expectNothingRetained("prod", prod);
  });

  test("dev and test: resources stay destroyable, and none is retained on delete", async () => {
    for (const label of ["dev", "test"] as const) {
      const s = await stack(label);
      expect(s.run.resources.length).toBeGreaterThan(10);
      expect(s.run.resources.filter((r) => r.protect).map((r) => r.urn)).toEqual([]);
      expectNothingRetained(label, s);
    }
  });

  test("edits that leave access alone move no role, scope, pre-authorization or assignment", async () => {
    const dev = (await stack("dev")).run;
    const devUrns = [...byUrn(dev.resources).keys()].sort();

    // a new SKU changes the plan and nothing else
    const sku = (await stack("sku")).run;
    expect([...byUrn(sku.resources).keys()].sort()).toEqual(devUrns);
    expect(changedResources(dev, sku)).toEqual([
      "urn:pulumi:dev::s2s-auth::s2s-auth:hosting:Hosting$azure-native:web:AppServicePlan::s2s-auth-plan",
    ]);
    expect(sku.named("s2s-auth-plan").inputs["sku"]).toEqual({ name: "P1v3" });
    expect(grantsOf(sku)).toEqual(grantsOf(dev));

    // renaming or rewording a role keeps its id and every grant of it
    const texts = (await stack("texts")).run;
    expect(grantsOf(texts)).toEqual(grantsOf(dev));
    expect([...byUrn(texts.resources).keys()].sort()).toEqual(devUrns);

    // adding callees, callers and developers leaves every existing grant as it was
    const grown = (await stack("grown")).run;
    const before = grantsOf(dev);
    const after = grantsOf(grown);
    expect(after.size).toBeGreaterThan(before.size);
    for (const [urn, grant] of before) expect(after.get(urn)).toEqual(grant);
    const grownUrns = byUrn(grown.resources);
    expect(devUrns.filter((urn) => !grownUrns.has(urn))).toEqual([]);

    // listing the same callees, callers and developers in another order changes nothing
    expect(changedResources(dev, (await stack("reordered")).run)).toEqual([]);

    // listing a caller's calls in another order only reorders its app settings (an in-place
    // update of the site; no grant moves)
    const callsReordered = (await stack("callsReordered")).run;
    expect(grantsOf(callsReordered)).toEqual(grantsOf(dev));
    expect(changedResources(dev, callsReordered)).toEqual([
      "urn:pulumi:dev::s2s-auth::s2s-auth:app:CallerApp$azure-native:web:WebApp::web-frontend-site",
    ]);
  });

  test("role and scope ids are the ones already deployed: the UUID namespace never changes", () => {
    // Pinned values: a different namespace or derivation would move every id in every tenant.
    expect(stableGuid("the-callee", "app-role", "Invoke")).toBe("13d0770a-6cd8-5c67-80fe-3e5a4cfd6f49");
    expect(stableGuid("the-callee", "scope", DEV_SCOPE)).toBe("7c32bfe7-d384-54c6-b2db-b7b2f1c3278a");
    expect(stableGuid("orders-api", "app-role", "Orders.Read")).toBe("bdd7e895-44ec-5d61-a389-057113c09ada");
  });
});
