// bootstrap/index.ts: the bootstrap project (the pipeline's identities in one tenant, and the
// GitHub environments they trust) planned offline from its shipped stack files: what each
// identity trusts and holds, the custom key roles, the GitHub side, its outputs and its config
// validation. The trust zones' findings have their own file (trustZones.test.ts).
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseBootstrapConfig, SHARED_TENANT_ACKNOWLEDGEMENT } from "../../bootstrap/config.ts";
import { ENVIRONMENT_VARIABLES, REPOSITORY_VARIABLES } from "../../bootstrap/github.ts";
import { ASSIGNED_ROLE_IDS, CUSTOM_ROLES, grantsFor, identitiesFor } from "../../bootstrap/permissions.ts";
import { FEDERATION_AUDIENCE, GITHUB_OIDC_ISSUER } from "../../components/federation.ts";
import { ConfigError } from "../../config.ts";
import { RESOURCE_TYPE, type PlannedResource } from "../../model/index.ts";
import { AZURE_ROLES, GRAPH_PERMISSIONS, writingOperations } from "../../model/roles.ts";
import { evaluate } from "../../policy/rules/index.ts";
import type { Recording } from "../../tools/plan/recorder.ts";
import { recordProgram } from "../../tools/plan/recorder.ts";
import main from "../../bootstrap/index.ts";
import {
  bootstrapConfig,
  type BootstrapStack,
  rawBootstrapConfig,
  recordBootstrap,
  under,
} from "../fixtures/bootstrap.ts";
import { configErrorFrom } from "../fixtures/configError.ts";

const APP_ROLE_ASSIGNMENT = RESOURCE_TYPE.appRoleAssignment;
const plans = {} as Record<BootstrapStack, Recording>;
beforeAll(async () => {
  for (const stack of ["dev-tenant", "prod-tenant", "one-tenant"] as const) plans[stack] = await recordBootstrap(stack);
});

const resourcesOf = (stack: BootstrapStack) => plans[stack].resources;
const subjects = (stack: BootstrapStack, identity: string) =>
  under(resourcesOf(stack), identity, RESOURCE_TYPE.federatedIdentityCredential).map((r) =>
    String(r.inputs["subject"]).replace(/^repo:[^:]+:/, ""),
  );
const roleAssignments = (stack: BootstrapStack, identity: string) =>
  under(resourcesOf(stack), identity, RESOURCE_TYPE.roleAssignment);
const graphIds = (stack: BootstrapStack, identity: string) =>
  under(resourcesOf(stack), identity, APP_ROLE_ASSIGNMENT).map((r) => r.inputs["appRoleId"]);
const guidOf = (r: PlannedResource) => String(r.inputs["roleDefinitionId"]).split("/").pop();
const identityNames = (stack: BootstrapStack) =>
  resourcesOf(stack)
    .filter((r) => r.type === RESOURCE_TYPE.pipelineIdentity)
    .map((r) => r.name);

describe("the shipped stacks", () => {
  it("one per tenant: the dev tenant holds review and dev, the prod tenant prod alone", () => {
    expect(identityNames("dev-tenant")).toEqual(["deploy-review", "preview-dev", "deploy-dev"]);
    expect(identityNames("prod-tenant")).toEqual(["preview-prod", "deploy-prod"]);
    expect(identityNames("one-tenant")).toEqual([
      "deploy-review",
      "preview-dev",
      "deploy-dev",
      "preview-prod",
      "deploy-prod",
    ]);
  });

  it("the two-tenant pair passes every rule; the one-tenant example only warns of the shared tenant", () => {
    expect(evaluate(resourcesOf("dev-tenant"), { environment: "prod" })).toEqual([]);
    expect(evaluate(resourcesOf("prod-tenant"), { environment: "prod" })).toEqual([]);
    expect(
      evaluate(resourcesOf("one-tenant"), { environment: "prod" }).map(
        (f) => `${f.severity} ${f.policy} ${f.urn.split("::").pop()}`,
      ),
    ).toEqual([
      "warning tenant-prod-graph-shared deploy-dev-graph-AppRoleAssignment.ReadWrite.All",
      "warning tenant-prod-graph-shared deploy-review-graph-AppRoleAssignment.ReadWrite.All",
    ]);
  });

  it("federates with GitHub's issuer and Entra's exchange audience, no secrets", () => {
    const fics = resourcesOf("one-tenant").filter((r) => r.type === RESOURCE_TYPE.federatedIdentityCredential);
    expect(fics.length).toBe(6);
    for (const f of fics)
      expect([f.inputs["issuer"], f.inputs["audiences"]]).toEqual([GITHUB_OIDC_ISSUER, [FEDERATION_AUDIENCE]]);
    expect(resourcesOf("one-tenant").filter((r) => /Password|Certificate/.test(r.type))).toEqual([]);
  });

  it("pull requests reach only preview-dev; every writer trusts only its own GitHub environments", () => {
    expect(Object.fromEntries(identityNames("one-tenant").map((name) => [name, subjects("one-tenant", name)]))).toEqual(
      {
        "deploy-review": ["environment:review", "environment:review-cleanup"],
        "preview-dev": ["pull_request"],
        "deploy-dev": ["environment:dev"],
        "preview-prod": ["environment:prod-preview"],
        "deploy-prod": ["environment:prod"],
      },
    );
  });

  it("each identity holds exactly its grants, on its own environment's subscription, container and key", () => {
    const cfg = rawBootstrapConfig("one-tenant") as {
      environments: Record<string, { subscriptionId: string; stateContainerId: string; secretsKeyId: string }>;
    };
    for (const environment of ["review", "dev", "prod"] as const) {
      const own = cfg.environments[environment]!;
      for (const spec of identitiesFor(environment)) {
        const assignments = roleAssignments("one-tenant", spec.name);
        expect({ identity: spec.name, scopes: [...new Set(assignments.map((r) => r.inputs["scope"]))].sort() }).toEqual(
          {
            identity: spec.name,
            scopes: [`/subscriptions/${own.subscriptionId}`, own.stateContainerId, own.secretsKeyId].sort(),
          },
        );
        expect(graphIds("one-tenant", spec.name).sort()).toEqual(
          grantsFor(spec.role, environment)
            .filter((g) => g.kind === "graph")
            .map((g) => (g.permission as { id: string }).id)
            .sort(),
        );
        expect(assignments.length).toBe(grantsFor(spec.role, environment).filter((g) => g.kind === "azure").length);
      }
    }
    // User lookups by UPN happen in dev stacks and their review copies only.
    expect(graphIds("one-tenant", "deploy-prod")).not.toContain(GRAPH_PERMISSIONS.userReadAll.id);
    expect(graphIds("one-tenant", "preview-prod")).not.toContain(GRAPH_PERMISSIONS.userReadAll.id);
    expect(graphIds("one-tenant", "deploy-review")).toContain(GRAPH_PERMISSIONS.userReadAll.id);
  });

  it("the state key's roles are the stack's own: deployers encrypt and decrypt, previews only decrypt", () => {
    const definitions = resourcesOf("one-tenant").filter((r) => r.type === RESOURCE_TYPE.roleDefinition);
    expect(definitions.map((d) => d.inputs["permissions"])).toEqual([
      [{ ...CUSTOM_ROLES.stateKeyReader.permissions }],
      [{ ...CUSTOM_ROLES.stateKeyUser.permissions }],
    ]);
    for (const d of definitions) {
      expect(d.inputs["roleType"]).toBe("CustomRole");
      // Assignable only in the keys' resource group, named for the repository (names are unique per tenant).
      expect(d.inputs["assignableScopes"]).toEqual([
        "/subscriptions/00000000-0000-0000-0000-00000000a0f0/resourceGroups/pulumi-state",
      ]);
      expect(String(d.inputs["roleName"])).toMatch(/ \(contoso-placeholder\/s2s-auth\)$/);
    }
    expect(writingOperations(CUSTOM_ROLES.stateKeyReader.permissions)).toEqual([]);
    const keyGrant = (identity: string) =>
      roleAssignments("one-tenant", identity).find((r) => String(r.inputs["scope"]).includes("/keys/"))!;
    const guidOfRole = (role: { name: string }) =>
      definitions.find((d) => String(d.inputs["roleName"]).startsWith(`${role.name} (`))!.inputs["roleDefinitionId"];
    expect(guidOf(keyGrant("preview-prod"))).toBe(guidOfRole(CUSTOM_ROLES.stateKeyReader));
    expect(guidOf(keyGrant("deploy-prod"))).toBe(guidOfRole(CUSTOM_ROLES.stateKeyUser));
  });

  it("role-assignment rights: the program's roles, to service principals, none of the stack's identities", () => {
    const principals = resourcesOf("one-tenant")
      .filter((r) => r.type === RESOURCE_TYPE.servicePrincipal)
      .map((sp) => `\${${sp.urn}#objectId}`);
    expect(principals.length).toBe(5);
    for (const env of ["review", "dev", "prod"]) {
      const admin = roleAssignments("one-tenant", `deploy-${env}`).find(
        (r) => guidOf(r) === AZURE_ROLES.rbacAdministrator.id,
      )!;
      expect(admin.inputs["conditionVersion"]).toBe("2.0");
      const condition = String(admin.inputs["condition"]);
      const lists = (operator: string) =>
        [...condition.matchAll(new RegExp(`${operator} \\{((?:\\$\\{[^}]*\\}|[^}])*)\\}`, "g"))].map((m) =>
          m[1]!.split(", ").sort(),
        );
      expect(lists("GuidEquals")).toEqual([[...ASSIGNED_ROLE_IDS].sort(), [...ASSIGNED_ROLE_IDS].sort()]);
      expect(lists("StringEqualsIgnoreCase")).toEqual([["'ServicePrincipal'"], ["'ServicePrincipal'"]]);
      expect(lists("GuidNotEquals")).toEqual([[...principals].sort(), [...principals].sort()]);
      expect(condition).toContain("ActionMatches{'Microsoft.Authorization/roleAssignments/write'}");
      expect(condition).toContain("ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}");
    }
  });

  it("declares each identity's GitHub environments: main only, reviewers on review and prod, no admin bypass", () => {
    const environments = resourcesOf("one-tenant").filter((r) => r.type === RESOURCE_TYPE.githubEnvironment);
    expect(environments.map((e) => e.inputs["environment"]).sort()).toEqual(
      ["review", "review-cleanup", "dev", "prod-preview", "prod"].sort(),
    );
    for (const e of environments) {
      expect(e.inputs["deploymentBranchPolicy"]).toEqual({ protectedBranches: false, customBranchPolicies: true });
      expect(e.inputs["canAdminsBypass"]).toBe(false);
    }
    const reviewed = Object.fromEntries(
      environments.filter((e) => e.inputs["reviewers"] !== undefined).map((e) => [e.inputs["environment"], e.inputs]),
    );
    expect(Object.keys(reviewed).sort()).toEqual(["prod", "review"]);
    expect(reviewed["review"]).toMatchObject({ reviewers: [{ users: [], teams: [1000001] }], preventSelfReview: true });
    expect(reviewed["prod"]).toMatchObject({ reviewers: [{ users: [], teams: [1000002] }], preventSelfReview: true });
    expect(
      resourcesOf("one-tenant")
        .filter((r) => r.type === RESOURCE_TYPE.githubDeploymentPolicy)
        .map((p) => `${String(p.inputs["environment"])}:${String(p.inputs["branchPattern"])}`)
        .sort(),
    ).toEqual(["dev:main", "prod-preview:main", "prod:main", "review-cleanup:main", "review:main"]);
    // The repository is the config's, its owner the provider's.
    expect(resourcesOf("one-tenant").find((r) => r.type === "pulumi:providers:github")?.inputs["owner"]).toBe(
      "contoso-placeholder",
    );
    expect(new Set(environments.map((e) => e.inputs["repository"]))).toEqual(new Set(["s2s-auth"]));
  });

  it("outputs and declares exactly the variables the workflows read, each environment's from its own zone", () => {
    const workflowVars = readWorkflowVariables();
    expect([...new Set([...ENVIRONMENT_VARIABLES, ...REPOSITORY_VARIABLES])].sort()).toEqual(workflowVars);
    const out = plans["dev-tenant"].outputs as {
      repositoryVariables: Record<string, unknown>;
      environmentVariables: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(out.repositoryVariables).sort()).toEqual([...REPOSITORY_VARIABLES].sort());
    expect(out.repositoryVariables["PULUMI_PREVIEW_BACKEND_URL"]).toBe("azblob://dev?storage_account=contosodevstate");
    expect(Object.keys(out.environmentVariables)).toEqual(["review", "review-cleanup", "dev"]);
    expect(out.environmentVariables["review"]).toMatchObject({
      AZURE_TENANT_ID: "00000000-0000-0000-0000-00000000d000",
      AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-00000000d001",
      PULUMI_BACKEND_URL: "azblob://review?storage_account=contosodevstate",
      PULUMI_SECRETS_PROVIDER: "azurekeyvault://contoso-dev-pulumi.vault.azure.net/keys/review",
    });
    const prod = plans["prod-tenant"].outputs as typeof out;
    // The prod tenant declares no repository variable: pull requests read nothing of prod.
    expect(prod.repositoryVariables).toEqual({});
    expect(Object.keys(prod.environmentVariables)).toEqual(["prod-preview", "prod"]);
    const declared = (stack: BootstrapStack) =>
      resourcesOf(stack)
        .filter((r) => r.type === RESOURCE_TYPE.githubEnvironmentVariable || r.type === RESOURCE_TYPE.githubVariable)
        .map((r) => `${String(r.inputs["environment"] ?? "repository")}:${String(r.inputs["variableName"])}`)
        .sort();
    expect(declared("prod-tenant")).toEqual(
      ["prod-preview", "prod"].flatMap((e) => ENVIRONMENT_VARIABLES.map((v) => `${e}:${v}`)).sort(),
    );
  });

  it("protects every identity, grant, role and GitHub setting", () => {
    for (const stack of ["dev-tenant", "prod-tenant"] as const)
      expect(
        resourcesOf(stack)
          .filter((r) => !r.protect && r.type !== "pulumi:pulumi:Stack")
          .map((r) => r.name),
      ).toEqual([]);
  });
});

it("the entry point exports only its default main (the real engine refuses both kinds of export)", async () => {
  const entry = await import("../../bootstrap/index.ts");
  expect(Object.keys(entry).filter((key) => key !== "__esModule")).toEqual(["default"]);
});

describe("bootstrap config", () => {
  const error = (config: Record<string, unknown>, deploying = false) =>
    configErrorFrom(() => parseBootstrapConfig("one-tenant", config, deploying));
  // The config as YAML gives it: nested maps the cases below edit in place.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Tree = Record<string, any>;
  const raw = () => rawBootstrapConfig("one-tenant") as Tree;
  const changed = (change: (c: Tree) => void) => {
    const c = raw();
    change(c);
    return c;
  };

  it("refuses the placeholder repository on `pulumi up`, in one line naming the key, declaring nothing", async () => {
    await expect(
      recordProgram({
        project: "s2s-auth-bootstrap",
        stack: "dev-tenant",
        config: bootstrapConfig("dev-tenant"),
        program: main,
        preview: false,
      }),
    ).rejects.toThrow(
      /^Invalid configuration for stack "dev-tenant": s2s-auth-bootstrap:repository: "contoso-placeholder\/s2s-auth" is the shipped placeholder/,
    );
    expect(parseBootstrapConfig("x", { ...raw(), repository: "my-org/s2s-auth" }, true).repository).toBe(
      "my-org/s2s-auth",
    );
  });

  it.each<[string, (c: Tree) => void, string, RegExp]>([
    ["a repository without owner", (c) => (c["repository"] = "no-slash"), "repository", /./],
    ["a tenant that is no GUID", (c) => (c["tenantId"] = "contoso"), "tenantId", /GUID/],
    ["no environment", (c) => (c["environments"] = {}), "environments", /at least one of review, dev, prod/],
    [
      "an unknown environment",
      (c) => (c["environments"]["test"] = c["environments"]["dev"]),
      "environments.test",
      /unknown key/,
    ],
    [
      "two environments in one subscription",
      (c) => (c["environments"]["prod"]["subscriptionId"] = c["environments"]["dev"]["subscriptionId"]),
      "environments.prod.subscriptionId",
      /must differ from environments.dev.subscriptionId: each environment has its own/,
    ],
    [
      "one state container for two environments",
      (c) => (c["environments"]["prod"]["stateContainerId"] = c["environments"]["dev"]["stateContainerId"]),
      "environments.prod.stateContainerId",
      /must differ from environments.dev.stateContainerId/,
    ],
    [
      "one key for two environments",
      (c) => (c["environments"]["dev"]["secretsKeyId"] = c["environments"]["review"]["secretsKeyId"]),
      "environments.dev.secretsKeyId",
      /must differ from environments.review.secretsKeyId/,
    ],
    [
      "prod's state inside dev's subscription",
      (c) =>
        (c["environments"]["prod"]["stateContainerId"] = String(c["environments"]["prod"]["stateContainerId"]).replace(
          "00000000-0000-0000-0000-00000000a0f0",
          c["environments"]["dev"]["subscriptionId"],
        )),
      "environments.prod.stateContainerId",
      /must live outside environments.dev.subscriptionId: dev's deploy identity could reach it there/,
    ],
    [
      "the bootstrap state shared with prod",
      (c) => (c["bootstrapState"]["secretsKeyId"] = c["environments"]["prod"]["secretsKeyId"]),
      "bootstrapState.secretsKeyId",
      /must differ from environments.prod.secretsKeyId: the bootstrap state is nobody's/,
    ],
    [
      "the bootstrap state inside review's subscription",
      (c) =>
        (c["bootstrapState"]["stateContainerId"] = String(c["bootstrapState"]["stateContainerId"]).replace(
          "00000000-0000-0000-0000-00000000a0f0",
          c["environments"]["review"]["subscriptionId"],
        )),
      "bootstrapState.stateContainerId",
      /must live outside environments.review.subscriptionId/,
    ],
    [
      "prod without reviewers",
      (c) => delete c["environments"]["prod"]["reviewers"],
      "environments.prod.reviewers",
      /every prod run waits for one of them to approve it/,
    ],
    [
      "review with an empty list of reviewers",
      (c) => (c["environments"]["review"]["reviewers"] = { users: [], teams: [] }),
      "environments.review.reviewers",
      /must name at least one GitHub user or team id/,
    ],
    [
      "an acknowledgement in other words",
      (c) => (c["sharedTenant"] = "yes"),
      "sharedTenant",
      new RegExp(SHARED_TENANT_ACKNOWLEDGEMENT.slice(0, 20)),
    ],
    [
      "an acknowledgement where prod is alone",
      (c) => {
        delete c["environments"]["dev"];
        delete c["environments"]["review"];
      },
      "sharedTenant",
      /keeps prod alone/,
    ],
    ["an unknown key", (c) => (c["extra"] = 1), "extra", /unknown key/],
  ])("refuses %s, in one line naming the key", (_what, change, key, message) => {
    const err = error(changed(change));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.key).toBe(`s2s-auth-bootstrap:${key}`);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain("\n");
  });
});

/** Every `vars.NAME` the workflows read, sorted. */
function readWorkflowVariables(): string[] {
  const dir = resolve(import.meta.dirname, "../../.github/workflows");
  const names = new Set<string>();
  for (const f of [
    "azure-settings.yml",
    "ci.yml",
    "deploy.yml",
    "plan-comment.yml",
    "preview.yml",
    "review-stacks.yml",
  ]) {
    for (const m of readFileSync(join(dir, f), "utf8").matchAll(/vars\.([A-Z_]+)/g)) names.add(m[1]!);
  }
  return [...names].sort();
}
