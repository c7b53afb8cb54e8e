// What the pipeline's identities may do, stated once. `bootstrap/index.ts` grants exactly this,
// the identity policy rules classify grants with it, and docs/deploying.md's permission table is
// rendered from it (test/bootstrap/permissions.test.ts keeps the three in step, and checks
// that every resource type and data source the program declares is covered by a line here).
import { HOST_STORAGE_ROLES } from "../components/hosting/functionApp.ts";
import { INVOKE_TOKEN, RESOURCE_TYPE } from "../model/index.ts";
import { AZURE_ROLES, GRAPH_PERMISSIONS, type KnownRole } from "../model/roles.ts";

/** Where a grant applies. */
export type GrantScope = "subscription" | "state container" | "secrets key" | "tenant (Microsoft Graph)";

export type Environment = "dev" | "prod";

/** One line of the deployer's permissions: what, where, why (the tokens that need it) and the source. */
export interface Grant {
  permission: KnownRole;
  kind: "azure" | "graph";
  scope: GrantScope;
  /** An ABAC condition on the assignment (Azure only). */
  condition?: string;
  /**
   * The resource types and data sources (Pulumi tokens) that need it, or `pulumi-state` for the
   * Pulumi CLI's own use of the backend and secrets provider.
   */
  neededBy: readonly string[];
  /** Only in these environments (a need that only dev stacks have); all when absent. */
  environments?: readonly Environment[];
  /** Why this permission and no smaller one, with its source. */
  why: string;
  source: string;
}

/** The roles the program assigns itself (function app hosts' storage data roles), in a stable order. */
export const ASSIGNED_ROLE_IDS: readonly string[] = Object.values(HOST_STORAGE_ROLES);

/**
 * The ABAC condition that limits role-assignment rights to `roleIds`, assigned to service
 * principals (managed identities are): create and delete only such assignments (Microsoft
 * Learn, "Examples to delegate Azure role assignment management with conditions", Example:
 * Constrain roles and principal types; the delete side reads the @Resource attributes).
 */
export function constrainRolesCondition(roleIds: readonly string[]): string {
  const ids = roleIds.join(", ");
  const side = (action: string, source: string) =>
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/${action}'})) OR ` +
    `(${source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ids}} AND ` +
    `${source}[Microsoft.Authorization/roleAssignments:PrincipalType] ` +
    "ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}))";
  return `${side("write", "@Request")} AND ${side("delete", "@Resource")}`;
}

const AZUREAD_DOCS = "https://www.pulumi.com/registry/packages/azuread/api-docs";

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

/** What a deploy identity (deploy-dev, deploy-prod) holds. Nothing else is needed, nothing less works. */
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
    condition: constrainRolesCondition(ASSIGNED_ROLE_IDS),
    neededBy: [RESOURCE_TYPE.roleAssignment],
    why:
      "function app hosts get Storage Blob Data Owner, Storage Queue Data Contributor and Storage Table Data " +
      "Contributor on their storage; Contributor cannot assign roles, and the condition allows these three, to " +
      "service principals, and nothing else",
    source:
      "https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-examples#example-constrain-roles-and-principal-types",
  },
  {
    permission: AZURE_ROLES.blobDataContributor,
    kind: "azure",
    scope: "state container",
    neededBy: [PULUMI_STATE],
    why: "reads and writes the stack's state and its lock in the Blob backend",
    source: "https://www.pulumi.com/docs/iac/concepts/state-and-backends/#azure-blob-storage",
  },
  {
    permission: AZURE_ROLES.keyVaultCryptoUser,
    kind: "azure",
    scope: "secrets key",
    neededBy: [PULUMI_STATE],
    why: "encrypts and decrypts the stack's secrets with the Key Vault secrets provider",
    source: "https://www.pulumi.com/docs/iac/concepts/secrets/#azure-key-vault",
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
    why: "grants callers, the CI principal and developers their app roles",
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
    environments: ["dev"],
    why:
      "resolves developers named by UPN in devAccess (dev stacks only); the least of the permissions azuread's " +
      "user lookup accepts",
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

/** What the preview identity holds: it can run `pulumi preview` of every stack and nothing else. */
export const PREVIEW_GRANTS: readonly Grant[] = [
  {
    permission: AZURE_ROLES.reader,
    kind: "azure",
    scope: "subscription",
    neededBy: ["pulumi preview"],
    why: "reads what exists, in the dev and the prod subscription",
    source: AZURE_ROLES.reader.source,
  },
  {
    permission: AZURE_ROLES.blobDataReader,
    kind: "azure",
    scope: "state container",
    neededBy: [PULUMI_STATE],
    why: "reads the state; a preview takes no lock in the Blob backend (pulumi/pulumi#13948)",
    source: "https://github.com/pulumi/pulumi/pull/13948",
  },
  {
    permission: AZURE_ROLES.keyVaultCryptoUser,
    kind: "azure",
    scope: "secrets key",
    neededBy: [PULUMI_STATE],
    why: "decrypts the stack's secrets",
    source: "https://www.pulumi.com/docs/iac/concepts/secrets/#azure-key-vault",
  },
  graph(GRAPH_PERMISSIONS.applicationReadAll, [INVOKE_TOKEN.getServicePrincipal, INVOKE_TOKEN.getApplication], {
    why: "the program's identity lookups, and the reads of an existing app registration, run during a preview too",
    source: `${AZUREAD_DOCS}/getserviceprincipal/#api-permissions`,
  }),
  graph(GRAPH_PERMISSIONS.userReadAll, [INVOKE_TOKEN.getUser], {
    why: "the UPN lookups of dev's devAccess run during a preview too",
    source: `${AZUREAD_DOCS}/getuser/#api-permissions`,
  }),
];

/** The deploy grants an environment needs. */
export function deployerGrants(environment: Environment): Grant[] {
  return DEPLOYER_GRANTS.filter((g) => g.environments === undefined || g.environments.includes(environment));
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** docs/deploying.md's permission table: one row per grant, for the preview and the deploy identities. */
export function renderPermissionsMarkdown(): string {
  const rows = [
    "| Identity | Permission | Scope | Needed for | Source |",
    "|---|---|---|---|---|",
    ...PREVIEW_GRANTS.map((g) => row("preview", g)),
    ...DEPLOYER_GRANTS.map((g) =>
      row(g.environments ? `deploy-${g.environments.join(", deploy-")}` : "deploy-dev, deploy-prod", g),
    ),
  ];
  return `${rows.join("\n")}\n`;
}

function row(identity: string, g: Grant): string {
  const kind = g.kind === "graph" ? "Graph application permission" : "Azure role";
  const name = g.condition
    ? `${g.permission.name} (${kind}), with a condition: only ${conditionRoles()}, to service principals`
    : `${g.permission.name} (${kind})`;
  return `| ${identity} | ${cell(name)} | ${g.scope} | ${cell(g.why)} | [source](${g.source}) |`;
}

function conditionRoles(): string {
  const names: Record<string, string> = {
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
    "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor",
    "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "Storage Table Data Contributor",
  };
  return ASSIGNED_ROLE_IDS.map((id) => names[id] ?? id).join(", ");
}
