// policy/rules/identities.ts: who may sign in as an identity that can write (no pull requests or
// branch refs; a prod writer trusts only environment:prod), what each identity reaches of the
// environments (its own only; a reader nothing that writes, its key role included) and how far its
// right to assign roles goes. Each rule fires, alone and worded as the snapshot keeps it, on a copy
// of the repository's stacks (the program's, bootstrap's) with one property broken.
import { AZURE_ROLES, GRAPH_PERMISSIONS } from "../../../model/roles.ts";
import { identityRules } from "../../../policy/rules/identities.ts";
import { setIn, type Mutable } from "../stacks.ts";
import { type Breakage, describeBreakages, loadStacks } from "./cases.ts";

const stacks = loadStacks("dev", "dev-tenant", "prod-tenant", "one-tenant");

/** A role assignment's role definition id, moved to another role at the same subscription. */
const toRole = (m: Mutable, name: string, roleId: string) => {
  const r = m.named(name);
  r.inputs["roleDefinitionId"] = String(r.inputs["roleDefinitionId"]).replace(/[^/]+$/, roleId);
  return name;
};
/** The one-tenant example's acknowledged shared tenant, reported on every plan. */
const SHARED_TENANT = ["tenant-prod-graph-shared"];

const breakages: Breakage[] = [
  {
    rule: "identity-writer-not-pr-trusted",
    what: "the CI principal, which pull requests may sign in as, given a Graph write permission",
    stack: "dev",
    also: ["github-environment-declared"],
    mutate: (m) => {
      m.declare("ci-principal-app", "ci-principal-graph", "azuread:index/appRoleAssignment:AppRoleAssignment", {
        principalObjectId: "00000000-0000-0000-0000-0000000000ab",
        resourceObjectId: "00000000-0000-0000-0000-0000000000ac",
        appRoleId: GRAPH_PERMISSIONS.appRoleAssignmentReadWriteAll.id,
      });
      return "ci-principal-fic-pull_request";
    },
  },
  {
    rule: "identity-writer-not-pr-trusted",
    what: "preview-dev, which pull requests sign in as, given Key Vault Crypto User on dev's key (it can disable it)",
    stack: "dev-tenant",
    also: ["identity-reader-reads-only"],
    mutate: (m) => {
      toRole(m, "preview-dev-s2s-auth-state-key-reader-dev", AZURE_ROLES.keyVaultCryptoUser.id);
      return "preview-dev-fic-pull_request";
    },
  },
  {
    rule: "identity-prod-writer-prod-only",
    what: "the CI principal given Contributor and trusted by environment:prod besides pull requests",
    stack: "dev",
    also: ["identity-writer-not-pr-trusted", "github-environment-declared"],
    mutate: (m) => {
      m.declare("ci-principal-app", "ci-principal-contributor", "azure-native:authorization:RoleAssignment", {
        principalId: "00000000-0000-0000-0000-0000000000ab",
        roleDefinitionId:
          "/subscriptions/00000000-0000-0000-0000-0000000000cc/providers/Microsoft.Authorization/roleDefinitions/" +
          AZURE_ROLES.contributor.id,
        scope: "/subscriptions/00000000-0000-0000-0000-0000000000cc",
      });
      setIn(m.named("ci-principal-fic-environment:dev").inputs, ["subject"], "repo:my-org/s2s-auth:environment:prod");
      return "ci-principal-fic-pull_request";
    },
  },
  {
    rule: "identity-prod-writer-prod-only",
    what: "preview-prod given Contributor on prod's subscription: it writes prod from the unreviewed prod-preview",
    stack: "prod-tenant",
    also: ["identity-reader-reads-only"],
    mutate: (m) => {
      toRole(m, "preview-prod-reader-00000000-0000-0000-0000-00000000e001", AZURE_ROLES.contributor.id);
      return "preview-prod-fic-environment:prod-preview";
    },
  },
  {
    rule: "identity-environment-isolated",
    what: "deploy-review given dev's state container: a review stack's code could change dev's state",
    stack: "dev-tenant",
    mutate: (m) => {
      const devState = m.named("deploy-dev-storage-blob-data-contributor-dev").inputs["scope"];
      setIn(m.named("deploy-review-storage-blob-data-contributor-review").inputs, ["scope"], devState);
      return "deploy-review-storage-blob-data-contributor-review";
    },
  },
  {
    rule: "identity-environment-isolated",
    what: "preview-dev (pull requests) given Reader on prod's subscription in one tenant",
    stack: "one-tenant",
    also: SHARED_TENANT,
    mutate: (m) => {
      setIn(
        m.named("preview-dev-reader-00000000-0000-0000-0000-00000000a002").inputs,
        ["scope"],
        "/subscriptions/00000000-0000-0000-0000-00000000a003",
      );
      return "preview-dev-reader-00000000-0000-0000-0000-00000000a002";
    },
  },
  {
    rule: "identity-reader-reads-only",
    what: "preview-prod given Key Vault Crypto User on prod's key (update/action can disable it)",
    stack: "prod-tenant",
    also: ["identity-prod-writer-prod-only"],
    mutate: (m) => toRole(m, "preview-prod-s2s-auth-state-key-reader-prod", AZURE_ROLES.keyVaultCryptoUser.id),
  },
  {
    rule: "identity-role-assignment-constrained",
    what: "deploy-dev's role-assignment rights without excluding the pipeline's identities (itself included)",
    stack: "dev-tenant",
    mutate: (m) => {
      const admin = m.named("deploy-dev-role-based-access-control-administrator-00000000-0000-0000-0000-00000000d002");
      admin.inputs["condition"] = String(admin.inputs["condition"]).replace(
        / AND @(Request|Resource)\[Microsoft\.Authorization\/roleAssignments:PrincipalId\] ForAnyOfAllValues:GuidNotEquals \{(?:\$\{[^}]*\}|[^}])*\}/g,
        "",
      );
      return admin.name;
    },
  },
  {
    rule: "identity-role-assignment-constrained",
    what: "deploy-prod's role-assignment rights with no condition at all",
    stack: "prod-tenant",
    mutate: (m) => {
      const admin = m.named("deploy-prod-role-based-access-control-administrator-00000000-0000-0000-0000-00000000e001");
      delete admin.inputs["condition"];
      delete admin.inputs["conditionVersion"];
      return admin.name;
    },
  },
];

describeBreakages(stacks, identityRules, breakages);
