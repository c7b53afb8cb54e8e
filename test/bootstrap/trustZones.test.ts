// Issue 22's five findings, each as a test of the shipped pipeline (bootstrap's stacks and the
// workflows) that failed on the code before it: trust boundaries are where Entra ID and GitHub
// draw them. 1: pull request code ran as deploy-dev on a label; 2: deploy-dev could take the tenant
// and with it prod; 3: one state container and one key for everything; 4: a "read-only" preview
// that could disable the state key; 5: role-assignment rights open to any service principal,
// the deployer itself included.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseBootstrapConfig } from "../../bootstrap/config.ts";
import { identitiesFor } from "../../bootstrap/permissions.ts";
import { SHARED_TENANT_TAG, type PlannedResource } from "../../model/index.ts";
import { AZURE_ROLES, writingOperations } from "../../model/roles.ts";
import { environmentAssets, reachOf, servesOf } from "../../policy/reach.ts";
import { evaluate } from "../../policy/rules/index.ts";
import { indexStack } from "../../policy/stack.ts";
import { type Workflow } from "../../tools/threats/workflows.ts";
import { type BootstrapStack, rawBootstrapConfig, recordBootstrap, under } from "../fixtures/bootstrap.ts";
import { configErrorFrom } from "../fixtures/configError.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const STACKS = ["dev-tenant", "prod-tenant", "one-tenant"] as const;
const resources = {} as Record<BootstrapStack, PlannedResource[]>;
beforeAll(async () => {
  for (const stack of STACKS) resources[stack] = (await recordBootstrap(stack)).resources;
});
const identity = (stack: BootstrapStack, name: string) =>
  indexStack(resources[stack])
    .federatedIdentities()
    .find((i) => i.owner.name === name)!;
const reach = (stack: BootstrapStack, name: string) =>
  reachOf(identity(stack, name), indexStack(resources[stack])).map(
    (r) => `${r.access} ${r.asset.environment} ${r.asset.kind}`,
  );

describe("finding 1: pull request code ran as deploy-dev on a label", () => {
  const reviewStacks = parse(readFileSync(join(ROOT, ".github", "workflows", "review-stacks.yml"), "utf8")) as Workflow;
  const deploy = reviewStacks.jobs["deploy"]!;

  it("the job that runs a pull request's program waits for the review environment's reviewers, for that commit", () => {
    expect(deploy.environment).toBe("review");
    const prCheckout = deploy.steps!.find((s) => s.with?.["path"] === "pr")!;
    expect(prCheckout.with?.["ref"]).toBe("${{ github.event.pull_request.head.sha }}");
    const review = resources["dev-tenant"].find((r) => r.name === "review-environment")!;
    expect(review.inputs).toMatchObject({ preventSelfReview: true, canAdminsBypass: false });
    expect(review.inputs["reviewers"]).toEqual([{ users: [], teams: [1000001] }]);
  });

  it("its identity is deploy-review, which reaches review only; deploy-dev trusts no review run", () => {
    expect(identitiesFor("review").map((i) => [i.name, i.subjects])).toEqual([
      ["deploy-review", ["environment:review", "environment:review-cleanup"]],
    ]);
    expect(new Set(reach("dev-tenant", "deploy-review"))).toEqual(
      new Set(["write review subscription", "write review state", "use review key"]),
    );
    expect(identitiesFor("dev").flatMap((i) => i.subjects)).toEqual(["pull_request", "environment:dev"]);
  });
});

describe("finding 2: deploy-dev could take the tenant, and with it prod", () => {
  it("prod has a tenant of its own: the dev tenant holds no identity of prod, the prod tenant nothing else", () => {
    const served = (stack: BootstrapStack) => indexStack(resources[stack]).federatedIdentities().flatMap(servesOf);
    expect(new Set(served("dev-tenant"))).toEqual(new Set(["review", "dev"]));
    expect(new Set(served("prod-tenant"))).toEqual(new Set(["prod"]));
  });

  it("a tenant shared with prod is a mandatory finding, a warning on every plan once acknowledged", () => {
    const unacknowledged = structuredClone(resources["one-tenant"]);
    for (const app of unacknowledged.filter((r) => Array.isArray(r.inputs["tags"])))
      app.inputs["tags"] = (app.inputs["tags"] as string[]).filter((t) => t !== SHARED_TENANT_TAG);
    const findings = (rs: PlannedResource[]) =>
      evaluate(rs, { environment: "prod" }).map((f) => `${f.severity} ${f.policy} ${f.urn.split("::").pop()}`);
    expect(findings(unacknowledged)).toEqual([
      "error tenant-prod-graph-isolated deploy-dev-graph-AppRoleAssignment.ReadWrite.All",
      "error tenant-prod-graph-isolated deploy-review-graph-AppRoleAssignment.ReadWrite.All",
    ]);
    expect(findings(resources["one-tenant"])).toEqual([
      "warning tenant-prod-graph-shared deploy-dev-graph-AppRoleAssignment.ReadWrite.All",
      "warning tenant-prod-graph-shared deploy-review-graph-AppRoleAssignment.ReadWrite.All",
    ]);
  });
});

describe("finding 3: one state container and one key for everything", () => {
  it("in every shipped stack, no identity reaches another environment's subscription, state or key", () => {
    for (const stack of STACKS) {
      const view = indexStack(resources[stack]);
      for (const i of view.federatedIdentities()) {
        const foreign = reachOf(i, view).filter((r) => !servesOf(i).includes(r.asset.environment));
        expect({ stack, identity: i.owner.name, foreign }).toEqual({ stack, identity: i.owner.name, foreign: [] });
      }
    }
    // Each environment its own state container and key.
    const assets = environmentAssets(indexStack(resources["one-tenant"])).filter((a) => a.kind !== "subscription");
    expect(new Set(assets.map((a) => a.scope)).size).toBe(assets.length);
    expect(assets.length).toBe(6);
  });

  it("no identity reaches the bootstrap stacks' own state or key", () => {
    for (const stack of STACKS) {
      const own = rawBootstrapConfig(stack)["bootstrapState"] as Record<string, string>;
      const scopes = resources[stack]
        .filter((r) => r.type === "azure-native:authorization:RoleAssignment")
        .map((r) => String(r.inputs["scope"]).toLowerCase());
      for (const id of Object.values(own)) expect(scopes.filter((s) => id.toLowerCase().startsWith(s))).toEqual([]);
    }
  });

  it("the config refuses one container for two environments", () => {
    const raw = rawBootstrapConfig("one-tenant") as { environments: Record<string, Record<string, string>> };
    raw.environments["dev"]!["stateContainerId"] = raw.environments["prod"]!["stateContainerId"]!;
    expect(configErrorFrom(() => parseBootstrapConfig("one-tenant", raw, false)).key).toBe(
      "s2s-auth-bootstrap:environments.prod.stateContainerId",
    );
  });
});

describe("finding 4: the read-only preview could disable the state key", () => {
  it("Key Vault Crypto User writes, by its definition: it updates (can disable) and backs up keys", () => {
    expect(writingOperations(AZURE_ROLES.keyVaultCryptoUser.permissions)).toEqual([
      "Microsoft.KeyVault/vaults/keys/update/action",
      "Microsoft.KeyVault/vaults/keys/backup/action",
    ]);
  });

  it("every grant of a preview identity only reads, by its role's definition; its key role only decrypts", () => {
    const view = indexStack(resources["one-tenant"]);
    for (const name of ["preview-dev", "preview-prod"]) {
      expect(reach("one-tenant", name).filter((r) => !r.startsWith("read ") && !r.startsWith("use "))).toEqual([]);
      const keyRole = under(resources["one-tenant"], name, "azure-native:authorization:RoleAssignment").find((r) =>
        String(r.inputs["scope"]).includes("/keys/"),
      )!;
      const definition = view
        .ofType("azure-native:authorization:RoleDefinition")
        .find((d) => String(keyRole.inputs["roleDefinitionId"]).endsWith(String(d.inputs["roleDefinitionId"])))!;
      expect(definition.inputs["permissions"]).toEqual([
        {
          actions: [],
          notActions: [],
          dataActions: ["Microsoft.KeyVault/vaults/keys/decrypt/action"],
          notDataActions: [],
        },
      ]);
    }
  });
});

describe("finding 5: any service principal, itself included, could be given Storage Blob Data Owner", () => {
  it("every deployer's role-assignment rights exclude the stack's identities and allow only service principals", () => {
    for (const stack of STACKS) {
      const principals = resources[stack]
        .filter((r) => r.type === "azuread:index/servicePrincipal:ServicePrincipal")
        .map((sp) => `\${${sp.urn}#objectId}`);
      const admins = resources[stack].filter((r) =>
        String(r.inputs["roleDefinitionId"]).endsWith(AZURE_ROLES.rbacAdministrator.id),
      );
      expect(admins.length).toBeGreaterThan(0);
      for (const admin of admins) {
        const condition = String(admin.inputs["condition"]);
        for (const p of principals) expect(condition.split(p).length - 1).toBe(2); // the write and the delete side
        expect(condition).toContain("ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}");
      }
    }
  });

  it("the rule finds a condition that lets the deployer assign to itself", () => {
    const rs = structuredClone(resources["dev-tenant"]);
    const admin = rs.find((r) => r.name.startsWith("deploy-dev-role-based-access-control-administrator"))!;
    // The condition before this change: roles and principal type only.
    admin.inputs["condition"] = String(admin.inputs["condition"]).replace(
      / AND @(Request|Resource)\[Microsoft\.Authorization\/roleAssignments:PrincipalId\] ForAnyOfAllValues:GuidNotEquals \{(?:\$\{[^}]*\}|[^}])*\}/g,
      "",
    );
    expect(admin.inputs["condition"]).not.toContain("PrincipalId");
    expect(evaluate(rs, { environment: "prod" }).map((f) => f.policy)).toEqual([
      "identity-role-assignment-constrained",
    ]);
  });
});
