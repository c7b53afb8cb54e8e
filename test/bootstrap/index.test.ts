// bootstrap/index.ts: the bootstrap project (the pipeline's identities) planned offline from its
// shipped stack file: what each identity trusts and holds, its outputs, its config validation, and
// the identity rules broken one at a time.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import main from "../../bootstrap/index.ts";
import { parseBootstrapConfig } from "../../bootstrap/config.ts";
import { ASSIGNED_ROLE_IDS, deployerGrants, PREVIEW_GRANTS } from "../../bootstrap/permissions.ts";
import { AZURE_ROLES, GRAPH_PERMISSIONS } from "../../model/roles.ts";
import { PROJECT_DIR } from "../../bootstrap/project.ts";
import { BOOTSTRAP_STACK, RESOURCE_TYPE } from "../../model/index.ts";
import { FEDERATION_AUDIENCE, GITHUB_OIDC_ISSUER } from "../../components/federation.ts";
import { ConfigError } from "../../config.ts";
import { configErrorFrom } from "../fixtures/configError.ts";
import { recordProgram, type Recording } from "../../tools/plan/recorder.ts";
import { readStackFiles } from "../../tools/plan/stackConfig.ts";
import type { PlannedResource } from "../../model/index.ts";
import { evaluate } from "../../policy/rules/index.ts";

const APP_ROLE_ASSIGNMENT = "azuread:index/appRoleAssignment:AppRoleAssignment";
const files = readStackFiles(PROJECT_DIR, BOOTSTRAP_STACK);
const record = (preview: boolean, config: Record<string, string> = files.config) =>
  recordProgram({ project: files.project, stack: BOOTSTRAP_STACK, config, program: main, preview });

let plan: Recording;
beforeAll(async () => {
  plan = await record(true);
});

const under = (identity: string, type: string) =>
  plan.resources.filter((r) => r.type === type && r.parent?.endsWith(`::${identity}`));
const subjects = (identity: string) =>
  under(identity, RESOURCE_TYPE.federatedIdentityCredential).map((r) => r.inputs["subject"]);
const roleIds = (identity: string) =>
  under(identity, RESOURCE_TYPE.roleAssignment).map((r) => String(r.inputs["roleDefinitionId"]).split("/").pop());
const graphIds = (identity: string) => under(identity, APP_ROLE_ASSIGNMENT).map((r) => r.inputs["appRoleId"]);

describe("the shipped bootstrap plan", () => {
  it("passes every rule, the identity rules included", () => {
    expect(evaluate(plan.resources, { environment: "prod" })).toEqual([]);
  });

  it("federates with GitHub's issuer and Entra's exchange audience, no secrets", () => {
    const fics = plan.resources.filter((r) => r.type === RESOURCE_TYPE.federatedIdentityCredential);
    expect(fics.length).toBe(4);
    for (const f of fics)
      expect([f.inputs["issuer"], f.inputs["audiences"]]).toEqual([GITHUB_OIDC_ISSUER, [FEDERATION_AUDIENCE]]);
    expect(plan.resources.filter((r) => /Password|Certificate/.test(r.type))).toEqual([]);
  });

  it(
    "preview trusts pull requests and main; deploy-dev only environment:dev; " + "deploy-prod only environment:prod",
    () => {
      expect(subjects("preview")).toEqual([
        "repo:contoso-placeholder/s2s-auth:pull_request",
        "repo:contoso-placeholder/s2s-auth:ref:refs/heads/main",
      ]);
      expect(subjects("deploy-dev")).toEqual(["repo:contoso-placeholder/s2s-auth:environment:dev"]);
      expect(subjects("deploy-prod")).toEqual(["repo:contoso-placeholder/s2s-auth:environment:prod"]);
    },
  );

  it("preview holds read-only roles: Reader on both subscriptions, state reader, key user, Graph reads", () => {
    expect(roleIds("preview")).toEqual([
      AZURE_ROLES.reader.id,
      AZURE_ROLES.reader.id,
      AZURE_ROLES.blobDataReader.id,
      AZURE_ROLES.keyVaultCryptoUser.id,
    ]);
    expect(graphIds("preview")).toEqual([GRAPH_PERMISSIONS.applicationReadAll.id, GRAPH_PERMISSIONS.userReadAll.id]);
    expect(PREVIEW_GRANTS.every((g) => g.permission.readOnly)).toBe(true);
  });

  it("each deploy identity holds exactly its environment's grants, on its own subscription only", () => {
    for (const env of ["dev", "prod"] as const) {
      const grants = deployerGrants(env);
      expect(roleIds(`deploy-${env}`).sort()).toEqual(
        grants
          .filter((g) => g.kind === "azure")
          .map((g) => g.permission.id)
          .sort(),
      );
      expect(graphIds(`deploy-${env}`).sort()).toEqual(
        grants
          .filter((g) => g.kind === "graph")
          .map((g) => g.permission.id)
          .sort(),
      );
      const subscription = JSON.parse(files.config["s2s-auth-bootstrap:subscriptions"]!)[env];
      const subscriptionScopes = under(`deploy-${env}`, RESOURCE_TYPE.roleAssignment)
        .map((r) => String(r.inputs["scope"]))
        .filter((s) => /^\/subscriptions\/[^/]+$/.test(s));
      expect(new Set(subscriptionScopes)).toEqual(new Set([`/subscriptions/${subscription}`]));
    }
    // User lookups by UPN happen only in dev stacks.
    expect(graphIds("deploy-prod")).not.toContain(GRAPH_PERMISSIONS.userReadAll.id);
    expect(graphIds("deploy-dev")).toContain(GRAPH_PERMISSIONS.userReadAll.id);
  });

  it("role-assignment rights carry a condition naming exactly the roles the program assigns", () => {
    for (const env of ["dev", "prod"]) {
      const admin = under(`deploy-${env}`, RESOURCE_TYPE.roleAssignment).find((r) =>
        String(r.inputs["roleDefinitionId"]).endsWith(AZURE_ROLES.rbacAdministrator.id),
      )!;
      expect(admin.inputs["conditionVersion"]).toBe("2.0");
      const condition = String(admin.inputs["condition"]);
      const lists = [...condition.matchAll(/GuidEquals \{([^}]*)\}/g)].map((m) => m[1]!.split(", ").sort());
      expect(lists).toEqual([[...ASSIGNED_ROLE_IDS].sort(), [...ASSIGNED_ROLE_IDS].sort()]);
      expect(condition).toContain("ActionMatches{'Microsoft.Authorization/roleAssignments/write'}");
      expect(condition).toContain("ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}");
      expect(
        [...condition.matchAll(/:PrincipalType\] ForAnyOfAnyValues:StringEqualsIgnoreCase \{([^}]*)\}/g)].map(
          (m) => m[1],
        ),
      ).toEqual(["'ServicePrincipal'", "'ServicePrincipal'"]);
    }
  });

  it("outputs exactly the variables the workflows read, by repository and environment", () => {
    expect(Object.keys(plan.outputs).sort()).toEqual(["environmentVariables", "repositoryVariables"]);
    expect(plan.outputs["repositoryVariables"]).toMatchObject({
      PULUMI_BACKEND_URL: "azblob://pulumi-state?storage_account=contosostate",
      PULUMI_SECRETS_PROVIDER: "azurekeyvault://contoso-pulumi.vault.azure.net/keys/state",
    });
    const workflowVars = readWorkflowVariables();
    const env = plan.outputs["environmentVariables"] as Record<string, Record<string, unknown>>;
    const names = new Set([
      ...Object.keys(plan.outputs["repositoryVariables"] as object),
      ...Object.values(env).flatMap((v) => Object.keys(v)),
    ]);
    expect([...names].sort()).toEqual(workflowVars);
    expect(Object.keys(env).sort()).toEqual(["dev", "prod"]);
  });

  it("protects every identity and grant", () => {
    expect(plan.resources.filter((r) => !r.protect).map((r) => r.name)).toEqual([]);
  });
});

it("the entry point exports only its default main (the real engine refuses both kinds of export)", async () => {
  const entry = await import("../../bootstrap/index.ts");
  expect(Object.keys(entry).filter((key) => key !== "__esModule")).toEqual(["default"]);
});

describe("bootstrap config", () => {
  const raw = () => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(files.config)) {
      if (k.startsWith("s2s-auth-bootstrap:"))
        out[k.slice("s2s-auth-bootstrap:".length)] = v.startsWith("{") || v.startsWith("[") ? JSON.parse(v) : v;
    }
    return out;
  };
  const error = (config: Record<string, unknown>, deploying = false) =>
    configErrorFrom(() => parseBootstrapConfig("pipeline", config, deploying));

  it(
    "refuses the placeholder repository on `pulumi up`, as one line naming the key, " + "before anything is declared",
    async () => {
      await expect(record(false)).rejects.toThrow(
        /^Invalid configuration for stack "pipeline": s2s-auth-bootstrap:repository: "contoso-placeholder\/s2s-auth" is the shipped placeholder/,
      );
      expect(parseBootstrapConfig("pipeline", { ...raw(), repository: "my-org/s2s-auth" }, true).repository).toBe(
        "my-org/s2s-auth",
      );
    },
  );

  it.each([
    [{ repository: "no-slash" }, "s2s-auth-bootstrap:repository"],
    [
      { subscriptions: { dev: "00000000-0000-0000-0000-000000000001", prod: "00000000-0000-0000-0000-000000000001" } },
      "s2s-auth-bootstrap:subscriptions.prod",
    ],
    [{ stateContainerId: "/subscriptions/x" }, "s2s-auth-bootstrap:stateContainerId"],
    [{ secretsKeyId: "https://vault/keys/k" }, "s2s-auth-bootstrap:secretsKeyId"],
    [{ previewBranches: [] }, "s2s-auth-bootstrap:previewBranches"],
    [{ extra: 1 }, "s2s-auth-bootstrap:extra"],
  ])("refuses %j at %s", (change, key) => {
    const err = error({ ...raw(), ...change });
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.key).toBe(key);
    expect(err.message).not.toContain("\n");
  });
});

it.each([
  [
    "stateContainerId",
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/state/providers/" +
      "Microsoft.Storage/storageAccounts/devstate/blobServices/default/containers/pulumi",
  ],
  [
    "secretsKeyId",
    "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/state/providers/" +
      "Microsoft.KeyVault/vaults/prod-vault/keys/state",
  ],
])("refuses %s inside a deploy identity's subscription", (key, value) => {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(files.config))
    raw[k.slice("s2s-auth-bootstrap:".length)] = v.startsWith("{") || v.startsWith("[") ? JSON.parse(v) : v;
  expect(() => parseBootstrapConfig("pipeline", { ...raw, [key]: value }, false)).toThrow(
    `Invalid configuration for stack "pipeline": s2s-auth-bootstrap:${key}: must live in a subscription ` +
      "other than subscriptions.dev and subscriptions.prod: their deploy identities could reach it there",
  );
});

describe("the identity rules, each broken once", () => {
  const broken = (change: (resources: PlannedResource[]) => void) => {
    const resources = structuredClone(plan.resources);
    change(resources);
    return evaluate(resources, { environment: "prod" }).map((f) => `${f.policy} ${f.urn.split("::").pop()}`);
  };
  const fic = (resources: PlannedResource[], name: string) => resources.find((r) => r.name === name)!;

  it("a writing identity trusting pull_request", () => {
    expect(
      broken(
        (rs) =>
          (fic(rs, "deploy-dev-fic-environment:dev").inputs["subject"] =
            "repo:contoso-placeholder/s2s-auth:pull_request"),
      ),
    ).toEqual(["identity-writer-not-pr-trusted deploy-dev-fic-environment:dev"]);
  });

  it("a writing identity trusting a branch ref", () => {
    expect(
      broken(
        (rs) =>
          (fic(rs, "deploy-dev-fic-environment:dev").inputs["subject"] =
            "repo:contoso-placeholder/s2s-auth:ref:refs/heads/main"),
      ),
    ).toEqual(["identity-writer-not-pr-trusted deploy-dev-fic-environment:dev"]);
  });

  it("the prod identity trusting environment:dev", () => {
    expect(
      broken(
        (rs) =>
          (fic(rs, "deploy-prod-fic-environment:prod").inputs["subject"] =
            "repo:contoso-placeholder/s2s-auth:environment:dev"),
      ),
    ).toEqual(["identity-prod-writer-prod-only deploy-prod-fic-environment:prod"]);
  });

  it("the dev identity also trusting environment:prod becomes a prod writer that trusts dev", () => {
    const findings = broken((rs) => {
      const extra = structuredClone(fic(rs, "deploy-dev-fic-environment:dev"));
      extra.name = "deploy-dev-fic-environment:prod";
      extra.urn = extra.urn.replace(/::deploy-dev-fic-environment:dev$/, "::deploy-dev-fic-environment:prod");
      extra.inputs["subject"] = "repo:contoso-placeholder/s2s-auth:environment:prod";
      rs.push(extra);
    });
    expect(findings).toEqual(["identity-prod-writer-prod-only deploy-dev-fic-environment:dev"]);
  });

  it("the preview identity given Contributor (it trusts pull requests)", () => {
    const findings = broken((rs) => {
      const reader = rs.find((r) => r.type === RESOURCE_TYPE.roleAssignment && r.name.startsWith("preview-reader"))!;
      reader.inputs["roleDefinitionId"] = String(reader.inputs["roleDefinitionId"]).replace(
        AZURE_ROLES.reader.id,
        AZURE_ROLES.contributor.id,
      );
    });
    expect(findings).toEqual([
      "identity-writer-not-pr-trusted preview-fic-pull_request",
      "identity-writer-not-pr-trusted preview-fic-ref:refs/heads/main",
    ]);
  });

  it("the preview identity given a Graph write permission", () => {
    const findings = broken((rs) => {
      const read = rs.find((r) => r.name === "preview-graph-Application.Read.All")!;
      read.inputs["appRoleId"] = GRAPH_PERMISSIONS.appRoleAssignmentReadWriteAll.id;
    });
    expect(findings).toEqual([
      "identity-writer-not-pr-trusted preview-fic-pull_request",
      "identity-writer-not-pr-trusted preview-fic-ref:refs/heads/main",
    ]);
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
