// policy/rules/identities.ts: who may sign in as an identity that can write (no pull requests or
// branch refs; a prod writer trusts only environment:prod). Each rule fires, alone and worded as
// the snapshot keeps it, on a copy of the repository's stacks with one property broken.
import { identityRules } from "../../../policy/rules/identities.ts";
import { AZURE_ROLES, GRAPH_PERMISSIONS } from "../../../model/roles.ts";
import { setIn } from "../stacks.ts";
import { type Breakage, describeBreakages, loadStacks } from "./cases.ts";

const stacks = loadStacks("dev");

const breakages: Breakage[] = [
  {
    rule: "identity-writer-not-pr-trusted",
    what: "the CI principal, which pull requests may sign in as, given a Graph write permission",
    stack: "dev",
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
    rule: "identity-prod-writer-prod-only",
    what: "the CI principal given Contributor and trusted by environment:prod besides pull requests",
    stack: "dev",
    also: ["identity-writer-not-pr-trusted"],
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
];

describeBreakages(stacks, identityRules, breakages);
