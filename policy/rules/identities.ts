// Rules about who may sign in as an identity that can change things, run by the same pack, plan and
// tests as the other rules. An identity here is a component with federated identity credentials
// (bootstrap's PipelineIdentity, the main program's CiPrincipal; the stack view groups them);
// what it may do is the Azure role assignments and app role assignments declared under it or
// naming its service principal, judged here against bootstrap's read-only lists.
import { READ_ONLY_GRAPH_IDS, READ_ONLY_ROLE_IDS } from "../../model/roles.ts";
import { DEPLOYS_TAG, type PlannedResource, RESOURCE_TYPE, resourceReference } from "../../model/index.ts";
import { asList, valueAt, type FederatedIdentity, type StackView } from "../stack.ts";
import { violationAt, type Rule } from "./rule.ts";

/** `repo:<owner>/<name>:<rest>` → `<rest>`; undefined while the subject is unknown. */
function subjectClaim(credential: PlannedResource): string | undefined {
  const subject = credential.inputs["subject"];
  if (typeof subject !== "string") return undefined;
  const match = /^repo:[^:]+:(.+)$/.exec(subject);
  return match ? match[1] : subject;
}

function roleIdOf(assignment: PlannedResource): string | undefined {
  const id = assignment.inputs["roleDefinitionId"];
  return typeof id === "string" && !id.includes("${") ? id.split("/").pop()!.toLowerCase() : undefined;
}

/**
 * Why a grant writes, or undefined when it only reads. An unknown role counts as writing. An
 * app role of a callee declared in the same stack is access to that API, not a permission to
 * change anything.
 */
function writeReason(grant: PlannedResource, stack: StackView): string | undefined {
  if (grant.type === RESOURCE_TYPE.roleAssignment) {
    const id = roleIdOf(grant);
    return id !== undefined && READ_ONLY_ROLE_IDS.has(id)
      ? undefined
      : `Azure role ${id ?? "(not known yet)"} (${grant.name})`;
  }
  const target = resourceReference(grant.inputs["resourceObjectId"]);
  if (
    (target !== undefined && stack.byUrn(target.urn)?.type === RESOURCE_TYPE.servicePrincipal) ||
    stack.calleeOf(grant) !== undefined
  )
    return undefined;
  const id = grant.inputs["appRoleId"];
  return typeof id === "string" && READ_ONLY_GRAPH_IDS.has(id.toLowerCase())
    ? undefined
    : `app role ${typeof id === "string" ? id : "(not known yet)"} (${grant.name})`;
}

/** Why the identity can write, one line per grant; empty for a read-only identity. */
function writesOf(identity: FederatedIdentity, stack: StackView): string[] {
  return identity.grants
    .map((grant) => writeReason(grant, stack))
    .filter((reason): reason is string => reason !== undefined);
}

/** The environments its app registrations say it deploys. */
function deploysOf(identity: FederatedIdentity): string[] {
  return identity.apps.flatMap((app) =>
    (asList(valueAt(app.inputs, "tags")) ?? [])
      .filter((tag): tag is string => typeof tag === "string" && tag.startsWith(DEPLOYS_TAG))
      .map((tag) => tag.slice(DEPLOYS_TAG.length)),
  );
}

/** " and N more" after the first of several grants. */
const andMore = (writes: readonly string[]) => (writes.length > 1 ? ` and ${writes.length - 1} more` : "");

const writerNotPrTrusted: Rule = {
  id: "identity-writer-not-pr-trusted",
  severity: "error",
  description:
    "No identity that can write (an Azure role beyond readers, a Graph permission beyond reads) " +
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
              "and give pull requests the read-only preview identity.",
          ),
        );
    }),
};

const prodWriterProdOnly: Rule = {
  id: "identity-prod-writer-prod-only",
  severity: "error",
  description:
    "An identity that writes prod trusts only the prod GitHub environment (environment:prod), " +
    "whose reviewers approve every run.",
  check: (stack) =>
    stack.federatedIdentities().flatMap((identity) => {
      const writesProd =
        writesOf(identity, stack).length > 0 &&
        (deploysOf(identity).includes("prod") ||
          identity.credentials.some((credential) => subjectClaim(credential) === "environment:prod"));
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

export const identityRules: readonly Rule[] = [writerNotPrTrusted, prodWriterProdOnly];
