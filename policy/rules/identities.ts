// Rules about identities with federated credentials (bootstrap's PipelineIdentity, the main
// program's CiPrincipal): who may sign in as one that can write, what each may reach of the
// environments, and how far its right to assign roles goes. What an identity can do is computed
// from its grants' definitions (policy/reach.ts), never from a label.
import { NOT_YET_KNOWN } from "../../model/index.ts";
import { allows, OPERATIONS } from "../../model/roles.ts";
import {
  deploysOf,
  describeGrant,
  grantsOf,
  readsOf,
  reachOf,
  servesOf,
  subjectClaim,
  subjectsOf,
  writesOf,
} from "../reach.ts";
import { violationAt, type Rule } from "./rule.ts";

/** " and N more" after the first of several grants. */
const andMore = (writes: readonly string[]) => (writes.length > 1 ? ` and ${writes.length - 1} more` : "");

const writerNotPrTrusted: Rule = {
  id: "identity-writer-not-pr-trusted",
  severity: "error",
  description:
    "No identity that can write (a role whose definition allows any change, a Graph permission beyond reads) " +
    "trusts pull requests or a branch ref: anyone who can push a branch could use it.",
  check: (stack) =>
    stack.federatedIdentities().flatMap((identity) => {
      const writes = writesOf(identity, stack);
      if (writes.length === 0) return [];
      return identity.credentials
        .filter((credential) => {
          const claim = subjectClaim(credential);
          return claim === "pull_request" || claim?.startsWith("ref:") === true;
        })
        .map((credential) =>
          violationAt(
            credential,
            `${identity.owner.name} can write (${writes[0]}${andMore(writes)}) ` +
              `and trusts "${subjectClaim(credential)}". ` +
              "Fix: trust only a GitHub environment with protection rules (environment:<name>), " +
              "and give pull requests a preview identity whose roles only read.",
          ),
        );
    }),
};

const prodWriterProdOnly: Rule = {
  id: "identity-prod-writer-prod-only",
  severity: "error",
  description:
    "An identity that writes prod (it deploys prod, trusts environment:prod, or its roles change prod's " +
    "subscription, state or key) trusts only the prod GitHub environment, whose reviewers approve every run.",
  check: (stack) =>
    stack.federatedIdentities().flatMap((identity) => {
      const writesProd =
        writesOf(identity, stack).length > 0 &&
        (deploysOf(identity).includes("prod") ||
          subjectsOf(identity).includes("environment:prod") ||
          reachOf(identity, stack).some(
            (r) => r.asset.environment === "prod" && r.access !== "read" && r.access !== "use",
          ));
      if (!writesProd) return [];
      return identity.credentials
        .filter((credential) => {
          const claim = subjectClaim(credential);
          return claim !== undefined && claim !== "environment:prod";
        })
        .map((credential) =>
          violationAt(
            credential,
            `${identity.owner.name} writes prod and trusts "${subjectClaim(credential)}". ` +
              "Fix: its only federated credential is environment:prod.",
          ),
        );
    }),
};

const environmentIsolated: Rule = {
  id: "identity-environment-isolated",
  severity: "error",
  description:
    "An identity reaches the subscription, state container and secrets key of the environments it serves " +
    "(its app registration's s2s-auth-deploys/s2s-auth-reads tags) and of no other environment.",
  check: (stack) =>
    stack.federatedIdentities().flatMap((identity) => {
      const served = servesOf(identity);
      return reachOf(identity, stack)
        .filter((r) => !served.includes(r.asset.environment))
        .map((r) =>
          violationAt(
            r.via.resource,
            `${identity.owner.name} serves ${served.length > 0 ? served.join(", ") : "no environment"} but can ` +
              `${r.access} ${r.asset.environment}'s ${r.asset.kind} ${r.asset.scope} ` +
              `through ${describeGrant(r.via)}. ` +
              "Fix: give each environment its own subscription, state container and key " +
              "(s2s-auth-bootstrap:environments), and grant an identity only its own environment's.",
          ),
        );
    }),
};

const readerReadsOnly: Rule = {
  id: "identity-reader-reads-only",
  severity: "error",
  description:
    "An identity that only reads an environment (s2s-auth-reads tag) holds no role whose definition allows a " +
    "change: no key management (Key Vault Crypto User can update and back up keys), no writes.",
  check: (stack) =>
    stack.federatedIdentities().flatMap((identity) => {
      if (readsOf(identity).length === 0 || deploysOf(identity).length > 0) return [];
      return grantsOf(identity, stack)
        .filter((g) => g.writes.length > 0)
        .map((g) =>
          violationAt(
            g.resource,
            `${identity.owner.name} only reads ${readsOf(identity).join(", ")} but ${describeGrant(g)} allows ` +
              `${g.writes[0]}${andMore(g.writes)}. Fix: grant it a role whose actions and data actions only read ` +
              "(for the state key, the custom role with only keys/decrypt/action: bootstrap/permissions.ts).",
          ),
        );
    }),
};

/** The values of `ForAnyOf…Values:<op> {…}` for one attribute of the `@Request` side of a condition. */
function requestValues(condition: string, attribute: string, operator: string): string[] | undefined {
  const escaped = `@Request[Microsoft.Authorization/roleAssignments:${attribute}] ${operator}`.replace(
    /[.*+?^${}()|[\]\\/]/g,
    "\\$&",
  );
  // A value not known when planned is a `${…}` placeholder, braces and all.
  const m = new RegExp(`${escaped}\\s*\\{((?:\\$\\{[^}]*\\}|[^}])*)\\}`).exec(condition);
  return m ? m[1]!.split(",").map((v) => v.trim().replace(/^'|'$/g, "").toLowerCase()) : undefined;
}

const roleAssignmentConstrained: Rule = {
  id: "identity-role-assignment-constrained",
  severity: "error",
  description:
    "An identity whose role allows assigning roles holds it with an ABAC condition that names the roles it may " +
    "assign, allows only service principals, and excludes its own principal.",
  check: (stack) =>
    stack.federatedIdentities().flatMap((identity) =>
      grantsOf(identity, stack)
        .filter(
          (g) =>
            g.kind === "azure" &&
            (g.definition === undefined || g.definition.blocks.some((p) => allows(p, OPERATIONS.assignRoles))),
        )
        .flatMap((g) => {
          const condition = g.resource.inputs["condition"];
          const principal = g.resource.inputs["principalId"];
          if (condition === NOT_YET_KNOWN || principal === NOT_YET_KNOWN) return [];
          const text = typeof condition === "string" ? condition : "";
          const missing = [
            requestValues(text, "RoleDefinitionId", "ForAnyOfAnyValues:GuidEquals") === undefined && "the roles",
            requestValues(text, "PrincipalType", "ForAnyOfAnyValues:StringEqualsIgnoreCase")?.join() !==
              "serviceprincipal" && "principal type ServicePrincipal only",
            !(
              typeof principal === "string" &&
              requestValues(text, "PrincipalId", "ForAnyOfAllValues:GuidNotEquals")?.includes(principal.toLowerCase())
            ) && "its own principal excluded",
          ].filter((m): m is string => m !== false);
          if (missing.length === 0 && g.resource.inputs["conditionVersion"] === "2.0") return [];
          return [
            violationAt(
              g.resource,
              `${identity.owner.name} may assign roles (${describeGrant(g)}) with a condition that lacks ` +
                `${missing.length > 0 ? missing.join(", ") : 'conditionVersion "2.0"'}. Fix: constrain it as ` +
                "bootstrap/permissions.ts's constrainRolesCondition does (Learn, \"Examples to delegate Azure role " +
                'assignment management with conditions").',
            ),
          ];
        }),
    ),
};

export const identityRules: readonly Rule[] = [
  writerNotPrTrusted,
  prodWriterProdOnly,
  environmentIsolated,
  readerReadsOnly,
  roleAssignmentConstrained,
];
