// Rules about the GitHub side of the trust: the environments the pipeline's identities trust
// (`environment:<name>` OIDC subjects) are declared in the same stack (@pulumi/github), deploy
// only from main, and the ones that run a pull request's code or deploy prod need a reviewer's
// approval of every run. GitHub evaluates an environment's branch rule against the run's ref:
// refs/pull/<n>/merge for pull_request, the default branch for pull_request_target (GitHub
// changelog, 2025-11-07, "Actions pull_request_target and environment branch protections
// changes"); so the branch rule keeps pull requests' own workflows out, and only reviewers keep
// a pull_request_target run from going ahead.
import { DEPLOY_BRANCH, type PlannedResource, RESOURCE_TYPE, REVIEWED_ENVIRONMENTS } from "../../model/index.ts";
import { servesOf, subjectClaim, writesOf } from "../reach.ts";
import { asList, valueAt, type StackView } from "../stack.ts";
import { describeValue, violationAt, type Rule } from "./rule.ts";

/** The GitHub environments that identities which write or serve an environment trust, with their credentials. */
function trustedEnvironments(stack: StackView): Map<string, { owner: string; credential: PlannedResource }[]> {
  const trusted = new Map<string, { owner: string; credential: PlannedResource }[]>();
  for (const identity of stack.federatedIdentities()) {
    if (writesOf(identity, stack).length === 0 && servesOf(identity).length === 0) continue;
    for (const credential of identity.credentials) {
      const claim = subjectClaim(credential);
      if (!claim?.startsWith("environment:")) continue;
      const name = claim.slice("environment:".length);
      trusted.set(name, [...(trusted.get(name) ?? []), { owner: identity.owner.name, credential }]);
    }
  }
  return trusted;
}

/** The declared RepositoryEnvironment of this name, if any. */
function declared(stack: StackView, name: string): PlannedResource | undefined {
  return stack.ofType(RESOURCE_TYPE.githubEnvironment).find((e) => e.inputs["environment"] === name);
}

const environmentDeclared: Rule = {
  id: "github-environment-declared",
  severity: "error",
  description:
    "Every GitHub environment an identity of the pipeline trusts (environment:<name>) is declared in the same " +
    "stack, so its reviewers and branch rule are in the plan and judged.",
  check: (stack) =>
    [...trustedEnvironments(stack)].flatMap(([name, credentials]) =>
      declared(stack, name)
        ? []
        : credentials.map(({ owner, credential }) =>
            violationAt(
              credential,
              `${owner} trusts GitHub environment "${name}", which this stack does not declare: ` +
                "its protection rules are unchecked. Fix: declare it with the identity (bootstrap/github.ts).",
            ),
          ),
    ),
};

const environmentMainOnly: Rule = {
  id: "github-environment-main-only",
  severity: "error",
  description:
    `Every GitHub environment an identity of the pipeline trusts deploys only from ${DEPLOY_BRANCH}: custom ` +
    `branch policies on, exactly one policy, the branch ${DEPLOY_BRANCH}.`,
  check: (stack) =>
    [...trustedEnvironments(stack).keys()].flatMap((name) => {
      const environment = declared(stack, name);
      if (environment === undefined) return [];
      const policy = valueAt(environment.inputs, "deploymentBranchPolicy");
      const patterns = stack
        .ofType(RESOURCE_TYPE.githubDeploymentPolicy)
        .filter((p) => p.inputs["environment"] === name)
        .map((p) =>
          p.inputs["tagPattern"] !== undefined ? `tag ${String(p.inputs["tagPattern"])}` : p.inputs["branchPattern"],
        );
      const ok =
        valueAt(policy, "customBranchPolicies") === true &&
        valueAt(policy, "protectedBranches") === false &&
        patterns.length === 1 &&
        patterns[0] === DEPLOY_BRANCH;
      return ok
        ? []
        : [
            violationAt(
              environment,
              `GitHub environment "${name}" deploys from ${describeValue(policy)} with branch policies ` +
                `${JSON.stringify(patterns)}, not only from ${DEPLOY_BRANCH}. Fix: deploymentBranchPolicy ` +
                "{ protectedBranches: false, customBranchPolicies: true } and one policy for the branch " +
                `${DEPLOY_BRANCH}.`,
            ),
          ];
    }),
};

const environmentReviewed: Rule = {
  id: "github-environment-reviewed",
  severity: "error",
  description:
    `The GitHub environments ${REVIEWED_ENVIRONMENTS.join(" and ")} (pull request code with a writing identity, ` +
    "the prod deployment) need a reviewer's approval of every run: required reviewers, no self-review, no " +
    "administrator bypass.",
  check: (stack) =>
    stack
      .ofType(RESOURCE_TYPE.githubEnvironment)
      .filter((e) => REVIEWED_ENVIRONMENTS.includes(String(e.inputs["environment"])))
      .flatMap((environment) => {
        const reviewers = (asList(environment.inputs["reviewers"]) ?? []).flatMap((r) => [
          ...(asList(valueAt(r, "users")) ?? []),
          ...(asList(valueAt(r, "teams")) ?? []),
        ]);
        const missing = [
          reviewers.length === 0 && "required reviewers",
          environment.inputs["preventSelfReview"] !== true && "preventSelfReview: true",
          environment.inputs["canAdminsBypass"] !== false && "canAdminsBypass: false",
        ].filter((m): m is string => m !== false);
        return missing.length === 0
          ? []
          : [
              violationAt(
                environment,
                `GitHub environment "${String(environment.inputs["environment"])}" lacks ${missing.join(", ")}. ` +
                  "Fix: set them (the stack's s2s-auth-bootstrap:environments.<name>.reviewers).",
              ),
            ];
      }),
};

export const githubRules: readonly Rule[] = [environmentDeclared, environmentMainOnly, environmentReviewed];
