// Rules about who may sign in as an identity that can change things: pure functions over the
// planned resources, like rules.ts, run by the same pack, plan and tests. An identity here is
// a component with federated identity credentials (bootstrap's PipelineIdentity, the main
// program's CiPrincipal); what it may do is the Azure role assignments and app role
// assignments declared under it or naming its service principal.
import { READ_ONLY_GRAPH_IDS, READ_ONLY_ROLE_IDS } from "../bootstrap/roles.ts";
import type { PlannedResource } from "../model/index.ts";
import type { Rule, Violation } from "./rules.ts";
import { get, list, placeholderRef, T, type StackView } from "./stack.ts";

export const FEDERATED_CREDENTIAL: string = T.federatedIdentityCredential;
export const ROLE_ASSIGNMENT: string = T.roleAssignment;
/** The tag bootstrap puts on the app registration of an identity that deploys an environment. */
export const DEPLOYS_TAG = "s2s-auth-deploys:";

export interface FederatedIdentity {
  /** The component (or, for a lone app, the app) the credentials belong to. */
  owner: PlannedResource;
  credentials: PlannedResource[];
  /** Why it can write, one line per grant; empty for a read-only identity. */
  writes: string[];
  /** The environments its app registration says it deploys. */
  deploys: string[];
}

/** `repo:<owner>/<name>:<rest>` → `<rest>`; undefined while the subject is unknown. */
export function subjectClaim(credential: PlannedResource): string | undefined {
  const subject = credential.inputs["subject"];
  if (typeof subject !== "string") return undefined;
  const m = /^repo:[^:]+:(.+)$/.exec(subject);
  return m ? m[1] : subject;
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
function writes(grant: PlannedResource, stack: StackView): string | undefined {
  if (grant.type === ROLE_ASSIGNMENT) {
    const id = roleIdOf(grant);
    return id !== undefined && READ_ONLY_ROLE_IDS.has(id)
      ? undefined
      : `Azure role ${id ?? "(not known yet)"} (${grant.name})`;
  }
  const target = placeholderRef(grant.inputs["resourceObjectId"]);
  if (
    (target !== undefined && stack.byUrn(target.urn)?.type === T.servicePrincipal) ||
    stack.calleeOf(grant) !== undefined
  )
    return undefined;
  const id = grant.inputs["appRoleId"];
  return typeof id === "string" && READ_ONLY_GRAPH_IDS.has(id.toLowerCase())
    ? undefined
    : `app role ${typeof id === "string" ? id : "(not known yet)"} (${grant.name})`;
}

/** Every component (or app) with federated credentials, with what it may write. */
export function federatedIdentities(stack: StackView): FederatedIdentity[] {
  const groups = new Map<string, PlannedResource[]>();
  for (const fic of stack.ofType(FEDERATED_CREDENTIAL)) {
    const key = fic.parent ?? placeholderRef(fic.inputs["applicationId"])?.urn ?? fic.urn;
    groups.set(key, [...(groups.get(key) ?? []), fic]);
  }
  return [...groups].map(([key, credentials]) => {
    const owner = stack.byUrn(key) ?? credentials[0]!;
    const inside = stack.children(owner);
    const principals = new Set(inside.filter((r) => r.type === T.servicePrincipal).map((r) => r.urn));
    const grantTypes = [ROLE_ASSIGNMENT, T.appRoleAssignment];
    const names = (r: PlannedResource) =>
      [r.inputs["principalId"], r.inputs["principalObjectId"]].some((v) => {
        const ref = placeholderRef(v);
        return ref !== undefined && principals.has(ref.urn);
      });
    const grants = stack.resources.filter((r) => grantTypes.includes(r.type) && (r.parent === owner.urn || names(r)));
    const apps = inside.filter((r) => r.type === T.application);
    const deploys = apps.flatMap((a) =>
      (list(get(a.inputs, "tags")) ?? [])
        .filter((t): t is string => typeof t === "string" && t.startsWith(DEPLOYS_TAG))
        .map((t) => t.slice(DEPLOYS_TAG.length)),
    );
    return {
      owner,
      credentials,
      writes: grants.map((g) => writes(g, stack)).filter((w): w is string => w !== undefined),
      deploys,
    };
  });
}

const at = (r: PlannedResource, message: string): Violation => ({ urn: r.urn, message });

const writerNotPrTrusted: Rule = {
  id: "identity-writer-not-pr-trusted",
  severity: "error",
  description:
    "No identity that can write (an Azure role beyond readers, a Graph permission beyond reads) trusts pull requests or a branch ref: anyone who can push a branch could use it.",
  check: (stack) =>
    federatedIdentities(stack)
      .filter((id) => id.writes.length > 0)
      .flatMap((id) =>
        id.credentials
          .filter((c) => {
            const claim = subjectClaim(c);
            return claim === "pull_request" || claim?.startsWith("ref:") === true;
          })
          .map((c) =>
            at(
              c,
              `${id.owner.name} can write (${id.writes[0]}${id.writes.length > 1 ? ` and ${id.writes.length - 1} more` : ""}) and trusts "${subjectClaim(c)}". Fix: trust only a GitHub environment with protection rules (environment:<name>), and give pull requests the read-only preview identity.`,
            ),
          ),
      ),
};

const prodWriterProdOnly: Rule = {
  id: "identity-prod-writer-prod-only",
  severity: "error",
  description:
    "An identity that writes prod trusts only the prod GitHub environment (environment:prod), whose reviewers approve every run.",
  check: (stack) =>
    federatedIdentities(stack)
      .filter(
        (id) =>
          id.writes.length > 0 &&
          (id.deploys.includes("prod") || id.credentials.some((c) => subjectClaim(c) === "environment:prod")),
      )
      .flatMap((id) =>
        id.credentials
          .filter((c) => {
            const claim = subjectClaim(c);
            return claim !== undefined && claim !== "environment:prod";
          })
          .map((c) =>
            at(
              c,
              `${id.owner.name} writes prod and trusts "${subjectClaim(c)}". Fix: its only federated credential is environment:prod.`,
            ),
          ),
      ),
};

export const identityRules: readonly Rule[] = [writerNotPrTrusted, prodWriterProdOnly];
