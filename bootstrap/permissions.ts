// What the pipeline's identities may do and who may reach them, stated once. `bootstrap/index.ts`
// grants exactly this and declares the GitHub environments named here, the identity policy rules
// judge what it grants, and docs/deploying.md's permission table is rendered from it
// (test/bootstrap/permissions.test.ts keeps the three in step, and checks that every resource type
// and data source the program declares is covered by a line here).
import { HOST_STORAGE_ROLES } from "../components/hosting/functionApp.ts";
import { INVOKE_TOKEN, RESOURCE_TYPE } from "../model/index.ts";
import { AZURE_ROLES, GRAPH_PERMISSIONS, type KnownRole, OPERATIONS, type RolePermissions } from "../model/roles.ts";
import type { PipelineEnvironment } from "./config.ts";

export type { PipelineEnvironment as Environment } from "./config.ts";

/** Where a grant applies. */
export type GrantScope = "subscription" | "state container" | "secrets key" | "tenant (Microsoft Graph)";

/** A role this project defines itself: bootstrap declares it (a RoleDefinition) in each tenant. */
export interface CustomRole {
  custom: true;
  name: string;
  description: string;
  permissions: RolePermissions;
  source: string;
}

/** One line of an identity's permissions: what, where, why (the tokens that need it) and the source. */
export interface Grant {
  permission: KnownRole | CustomRole;
  kind: "azure" | "graph";
  scope: GrantScope;
  /** Role-assignment rights held with the ABAC condition of {@link constrainRolesCondition}. */
  constrained?: true;
  /**
   * The resource types and data sources (Pulumi tokens) that need it, or `pulumi-state` for the
   * Pulumi CLI's own use of the backend and secrets provider.
   */
  neededBy: readonly string[];
  /** Only in these environments (a need that only some stacks have); all when absent. */
  environments?: readonly PipelineEnvironment[];
  /** Why this permission and no smaller one, with its source. */
  why: string;
  source: string;
}

/** The roles the program assigns itself (function app hosts' storage data roles), in a stable order. */
export const ASSIGNED_ROLE_IDS: readonly string[] = Object.values(HOST_STORAGE_ROLES);

const CONDITIONS = "https://learn.microsoft.com/azure/role-based-access-control";

/**
 * The ABAC condition that limits role-assignment rights to `roleIds`, assigned to service
 * principals (managed identities are) other than `excludedPrincipalIds` (the pipeline's own
 * identities, so none can give itself or another of them a data role): create and delete only
 * such assignments (Learn, "Examples to delegate Azure role assignment management with
 * conditions": constrain roles and principal types, constrain roles and principals; the delete
 * side reads the @Resource attributes). The attributes a condition on role assignments can read
 * are the role, the principal and the principal type (Learn, "Actions and attributes for Azure
 * role assignment conditions"): not the scope, which stays the subscription.
 */
export function constrainRolesCondition(roleIds: readonly string[], excludedPrincipalIds: readonly string[]): string {
  const ids = roleIds.join(", ");
  const excluded = excludedPrincipalIds.join(", ");
  const side = (action: string, source: string) =>
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/${action}'})) OR ` +
    `(${source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ids}} AND ` +
    `${source}[Microsoft.Authorization/roleAssignments:PrincipalType] ` +
    "ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'} AND " +
    `${source}[Microsoft.Authorization/roleAssignments:PrincipalId] ForAnyOfAllValues:GuidNotEquals {${excluded}}))`;
  return `${side("write", "@Request")} AND ${side("delete", "@Resource")}`;
}
/** Where the condition's forms come from. */
export const CONDITION_SOURCE = `${CONDITIONS}/delegate-role-assignments-examples`;

const AZUREAD_DOCS = "https://www.pulumi.com/registry/packages/azuread/api-docs";
// The Key Vault secrets provider (gocloud.dev secrets/azurekeyvault, akv.go) calls only the key's
// Encrypt and Decrypt operations.
const GOCLOUD_AKV = "https://github.com/google/go-cloud/blob/master/secrets/azurekeyvault/akv.go";

/**
 * The state key's roles, defined here because no built-in role fits: Key Vault Crypto User also
 * updates (can disable) and backs up keys. Deployers encrypt a new stack's data key and decrypt
 * it; readers only decrypt it.
 */
export const CUSTOM_ROLES = {
  stateKeyUser: {
    custom: true,
    name: "s2s-auth state key user",
    description: "Encrypts and decrypts Pulumi stacks' data keys with a Key Vault key; cannot change the key.",
    permissions: {
      actions: [],
      notActions: [],
      dataActions: [OPERATIONS.encrypt, OPERATIONS.decrypt],
      notDataActions: [],
    },
    source: GOCLOUD_AKV,
  },
  stateKeyReader: {
    custom: true,
    name: "s2s-auth state key reader",
    description: "Decrypts Pulumi stacks' data keys with a Key Vault key; cannot encrypt or change the key.",
    permissions: { actions: [], notActions: [], dataActions: [OPERATIONS.decrypt], notDataActions: [] },
    source: GOCLOUD_AKV,
  },
} as const satisfies Record<string, CustomRole>;

/** A Microsoft Graph application permission, needed by `neededBy`: always granted tenant-wide. */
function graph(
  permission: KnownRole,
  neededBy: readonly string[],
  grant: Pick<Grant, "why" | "source" | "environments">,
): Grant {
  return { permission, neededBy, ...grant, kind: "graph", scope: "tenant (Microsoft Graph)" };
}
/** Pseudo token for the Pulumi CLI's use of the Blob backend and the Key Vault secrets provider. */
export const PULUMI_STATE = "pulumi-state";

/** Environments whose stacks look users up by UPN (devAccess): dev, and review stacks, which are copies of dev. */
const WITH_DEV_ACCESS: readonly PipelineEnvironment[] = ["review", "dev"];

/**
 * What a deploy identity (deploy-review, deploy-dev, deploy-prod) holds:
 * nothing else is needed, nothing less works.
 */
export const DEPLOYER_GRANTS: readonly Grant[] = [
  {
    permission: AZURE_ROLES.contributor,
    kind: "azure",
    scope: "subscription",
    neededBy: [
      RESOURCE_TYPE.resourceGroup,
      RESOURCE_TYPE.appServicePlan,
      RESOURCE_TYPE.webApp,
      RESOURCE_TYPE.authSettingsV2,
      RESOURCE_TYPE.ftpAllowed,
      RESOURCE_TYPE.scmAllowed,
      RESOURCE_TYPE.storageAccount,
      RESOURCE_TYPE.managedEnvironment,
      RESOURCE_TYPE.containerApp,
      RESOURCE_TYPE.containerAppAuth,
    ],
    why: "creates the resource group, plan, sites, storage accounts and container apps; it cannot assign roles",
    source: AZURE_ROLES.contributor.source,
  },
  {
    permission: AZURE_ROLES.rbacAdministrator,
    kind: "azure",
    scope: "subscription",
    constrained: true,
    neededBy: [RESOURCE_TYPE.roleAssignment],
    why:
      "function app hosts get Storage Blob Data Owner, Storage Queue Data Contributor and Storage Table Data " +
      "Contributor on their storage; Contributor cannot assign roles, and the condition allows these three, to " +
      "service principals other than the pipeline's own identities, and nothing else",
    source: `${CONDITION_SOURCE}#example-constrain-roles-and-principal-types`,
  },
  {
    permission: AZURE_ROLES.blobDataContributor,
    kind: "azure",
    scope: "state container",
    neededBy: [PULUMI_STATE],
    why: "reads and writes its environment's stacks' state and their locks in the Blob backend",
    source: "https://www.pulumi.com/docs/iac/concepts/state-and-backends/#azure-blob-storage",
  },
  {
    permission: CUSTOM_ROLES.stateKeyUser,
    kind: "azure",
    scope: "secrets key",
    neededBy: [PULUMI_STATE],
    why: "encrypts and decrypts its environment's stacks' secrets (encrypt, decrypt; no update or backup of the key)",
    source: GOCLOUD_AKV,
  },
  graph(
    GRAPH_PERMISSIONS.applicationReadWriteOwnedBy,
    [
      RESOURCE_TYPE.application,
      RESOURCE_TYPE.identifierUri,
      RESOURCE_TYPE.preAuthorized,
      RESOURCE_TYPE.federatedIdentityCredential,
      RESOURCE_TYPE.servicePrincipal,
    ],
    {
      why:
        "creates the callees' app registrations and service principals and changes only those it owns (every app " +
        "registration and service principal the program creates lists its creator as an owner, set once at creation: " +
        "components/appRegistration.ts)",
      source: `${AZUREAD_DOCS}/application/#api-permissions`,
    },
  ),
  graph(GRAPH_PERMISSIONS.appRoleAssignmentReadWriteAll, [RESOURCE_TYPE.appRoleAssignment], {
    why:
      "grants callers, the CI principal and developers their app roles; Graph has no narrower application " +
      "permission for it, and it lets its holder grant itself any permission in the tenant: hence a tenant per zone",
    source: `${AZUREAD_DOCS}/approleassignment/#api-permissions`,
  }),
  graph(
    GRAPH_PERMISSIONS.applicationReadAll,
    [RESOURCE_TYPE.appRoleAssignment, INVOKE_TOKEN.getServicePrincipal, INVOKE_TOKEN.getApplication],
    {
      why:
        "app role assignments need it beside AppRoleAssignment.ReadWrite.All, each grant looks its caller's " +
        "managed identity up first, and a callee on an existing app registration (existingApplication) reads it " +
        "and its service principal, which the deployer does not own",
      source: `${AZUREAD_DOCS}/approleassignment/#api-permissions`,
    },
  ),
  graph(GRAPH_PERMISSIONS.userReadAll, [INVOKE_TOKEN.getUser], {
    environments: WITH_DEV_ACCESS,
    why:
      "resolves developers named by UPN in devAccess (dev and review stacks only); the least of the permissions " +
      "azuread's user lookup accepts",
    source: `${AZUREAD_DOCS}/getuser/#api-permissions`,
  }),
];

/**
 * Data sources the program calls that need no permission: the signed-in identity's own ids.
 * Listed so that the coverage test knows them apart from a data source nobody thought about.
 */
export const NO_PERMISSION_NEEDED: readonly string[] = [
  INVOKE_TOKEN.getEntraClientConfig,
  INVOKE_TOKEN.getAzureClientConfig,
];

/**
 * What a preview identity (preview-dev, preview-prod) holds: `pulumi preview` of its environment's stacks,
 * nothing else.
 */
export const PREVIEW_GRANTS: readonly Grant[] = [
  {
    permission: AZURE_ROLES.reader,
    kind: "azure",
    scope: "subscription",
    neededBy: ["pulumi preview"],
    why: "reads what exists in its environment's subscription",
    source: AZURE_ROLES.reader.source,
  },
  {
    permission: AZURE_ROLES.blobDataReader,
    kind: "azure",
    scope: "state container",
    neededBy: [PULUMI_STATE],
    why: "reads its environment's state; a preview takes no lock in the Blob backend (pulumi/pulumi#13948)",
    source: "https://github.com/pulumi/pulumi/pull/13948",
  },
  {
    permission: CUSTOM_ROLES.stateKeyReader,
    kind: "azure",
    scope: "secrets key",
    neededBy: [PULUMI_STATE],
    why: "decrypts its environment's stacks' data keys (decrypt only)",
    source: GOCLOUD_AKV,
  },
  graph(GRAPH_PERMISSIONS.applicationReadAll, [INVOKE_TOKEN.getServicePrincipal, INVOKE_TOKEN.getApplication], {
    why: "the program's identity lookups, and the reads of an existing app registration, run during a preview too",
    source: `${AZUREAD_DOCS}/getserviceprincipal/#api-permissions`,
  }),
  graph(GRAPH_PERMISSIONS.userReadAll, [INVOKE_TOKEN.getUser], {
    environments: ["dev"],
    why: "the UPN lookups of dev's devAccess run during a preview too",
    source: `${AZUREAD_DOCS}/getuser/#api-permissions`,
  }),
];

/** A GitHub environment the workflows use, and how GitHub guards it. */
export interface GitHubEnvironmentSpec {
  name: string;
  /** Every run waits for a reviewer (required reviewers, no self-review, no admin bypass). */
  reviewed: boolean;
  /** What runs in it, for the docs. */
  purpose: string;
}

/** One of the pipeline's identities: what it is for, who may sign in as it, what it holds. */
export interface IdentitySpec {
  /** Its logical name, e.g. `deploy-dev`. */
  name: string;
  environment: PipelineEnvironment;
  /** Deploys its environment, or only previews it. */
  role: "deploy" | "preview";
  /**
   * OIDC subjects after `repo:<repository>:`; `environment:<name>` ones name a GitHub environment
   * this stack declares.
   */
  subjects: readonly string[];
  grants: readonly Grant[];
}

/** The GitHub environments of each pipeline environment, in the order the workflows meet them. */
export const GITHUB_ENVIRONMENTS: Readonly<Record<PipelineEnvironment, readonly GitHubEnvironmentSpec[]>> = {
  review: [
    {
      name: "review",
      reviewed: true,
      purpose: "a pull request's review stack: its program, as of the approved commit",
    },
    { name: "review-cleanup", reviewed: false, purpose: "destroying review stacks with the default branch's code" },
  ],
  dev: [{ name: "dev", reviewed: false, purpose: "deploying dev from main after ci passed" }],
  prod: [
    { name: "prod-preview", reviewed: false, purpose: "the prod preview from main, before approval" },
    { name: "prod", reviewed: true, purpose: "deploying prod from main, the approved plan only" },
  ],
};

/** The grants of an environment's deploy or preview identity. */
export function grantsFor(role: IdentitySpec["role"], environment: PipelineEnvironment): Grant[] {
  return (role === "deploy" ? DEPLOYER_GRANTS : PREVIEW_GRANTS).filter(
    (g) => g.environments === undefined || g.environments.includes(environment),
  );
}

/**
 * The identities of an environment: its deploy identity, trusted by its GitHub environments, and
 * for dev and prod a preview identity: pull requests preview dev; prod is previewed from main only.
 */
export function identitiesFor(environment: PipelineEnvironment): IdentitySpec[] {
  const envSubjects = (names: readonly string[]) => names.map((n) => `environment:${n}`);
  const deployEnvs = GITHUB_ENVIRONMENTS[environment].map((e) => e.name).filter((n) => n !== "prod-preview");
  const deploy: IdentitySpec = {
    name: `deploy-${environment}`,
    environment,
    role: "deploy",
    subjects: envSubjects(deployEnvs),
    grants: grantsFor("deploy", environment),
  };
  const previewSubjects = { review: undefined, dev: ["pull_request"], prod: envSubjects(["prod-preview"]) }[
    environment
  ];
  return previewSubjects === undefined
    ? [deploy]
    : [
        {
          name: `preview-${environment}`,
          environment,
          role: "preview",
          subjects: previewSubjects,
          grants: grantsFor("preview", environment),
        },
        deploy,
      ];
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** docs/deploying.md's permission table: one row per grant, for every identity the environments have. */
export function renderPermissionsMarkdown(): string {
  const identities = (["review", "dev", "prod"] as const).flatMap(identitiesFor);
  const rows = new Map<Grant, string[]>();
  for (const identity of identities)
    for (const g of identity.grants) rows.set(g, [...(rows.get(g) ?? []), identity.name]);
  const table = [
    "| Identity | Permission | Scope | Needed for | Source |",
    "|---|---|---|---|---|",
    ...[...PREVIEW_GRANTS, ...DEPLOYER_GRANTS].map((g) => row(rows.get(g) ?? [], g)),
  ];
  return `${table.join("\n")}\n`;
}

function row(identities: readonly string[], g: Grant): string {
  const kind =
    g.kind === "graph" ? "Graph application permission" : "custom" in g.permission ? "custom role" : "Azure role";
  const name = g.constrained
    ? `${g.permission.name} (${kind}), with a condition: only ${conditionRoles()}, ` +
      "to service principals other than the pipeline's identities"
    : `${g.permission.name} (${kind})`;
  return `| ${identities.join(", ")} | ${cell(name)} | ${g.scope} | ${cell(g.why)} | [source](${g.source}) |`;
}

function conditionRoles(): string {
  const names: Record<string, string> = {
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
    "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor",
    "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "Storage Table Data Contributor",
  };
  return ASSIGNED_ROLE_IDS.map((id) => names[id] ?? id).join(", ");
}
