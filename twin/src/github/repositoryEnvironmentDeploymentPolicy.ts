/**
 * @pulumi/github `RepositoryEnvironmentDeploymentPolicy`: a branch or tag name pattern an environment with
 * custom branch policies lets deploy.
 *
 * Sources: terraform-provider-github v6.13.0
 * github/resource_github_repository_environment_deployment_policy.go (branch_pattern / tag_pattern
 * ExactlyOneOf, policy_id, id `repo:env:policyId`) and GitHub's REST docs "Deployment branch policies"
 * (POST/PUT/GET/DELETE /repos/{owner}/{repo}/environments/{env}/deployment-branch-policies).
 */
import type { GitHubBranchPolicy, GitHubEnvironment, GitHubRepository, JsonObject } from "../state.ts";
import { models } from "../fidelity.ts";
import { GITHUB_ERRORS, GITHUB_PROVIDER_ERRORS } from "./errors.ts";
import {
  type GitHubHandler,
  type GitHubSession,
  buildId,
  environmentOf,
  environmentPath,
  escapeIdPart,
  nextId,
  repositoryIfAny,
  repositoryOf,
  request,
  str,
} from "./shared.ts";

const path = (session: GitHubSession, inputs: JsonObject, policyId?: number) =>
  `${environmentPath(session, inputs)}/deployment-branch-policies${policyId === undefined ? "" : `/${policyId}`}`;

/** The pattern and its kind, from whichever of the two patterns is set. */
function patternOf(inputs: JsonObject): { name: string; type: "branch" | "tag" } {
  const branch = str(inputs.branchPattern);
  return branch !== "" ? { name: branch, type: "branch" } : { name: str(inputs.tagPattern), type: "tag" };
}

function outputs(repository: GitHubRepository, env: GitHubEnvironment, policy: GitHubBranchPolicy): JsonObject {
  return {
    repository: repository.name,
    repositoryId: repository.id,
    environment: env.name,
    policyId: policy.id,
    ...(policy.type === "branch" ? { branchPattern: policy.name } : { tagPattern: policy.name }),
  };
}

/** The environment a policy belongs to; 404 when it is missing or its branch policies are not custom. */
function customEnvironment(
  session: GitHubSession,
  inputs: JsonObject,
  method: string,
): [GitHubRepository, GitHubEnvironment] {
  const at = path(session, inputs);
  const repository = repositoryOf(session, str(inputs.repository), method, at);
  const env = environmentOf(repository, str(inputs.environment));
  if (env === undefined) throw GITHUB_ERRORS.notFound(request(method, at));
  if (env.deployment_branch_policy?.custom_branch_policies !== true)
    throw GITHUB_ERRORS.customBranchPoliciesOff(request(method, at));
  return [repository, env];
}

export const repositoryEnvironmentDeploymentPolicy: GitHubHandler = {
  // `environment` is ForceNew, another repository is a new resource (diffRepository). The provider also
  // replaces a policy whose branch and tag pattern both change; the twin updates it in place.
  replaceOn: ["environment", "repository"],
  validate(inputs) {
    const branch = inputs.branchPattern !== undefined && inputs.branchPattern !== "";
    const tag = inputs.tagPattern !== undefined && inputs.tagPattern !== "";
    return branch === tag
      ? [{ property: "branchPattern", reason: GITHUB_PROVIDER_ERRORS.exactlyOnePattern.message() }]
      : [];
  },
  create(session, inputs) {
    const [repository, env] = customEnvironment(session, inputs, "POST");
    const wanted = patternOf(inputs);
    // "303: Response if the same branch name pattern already exists": the client follows it to the existing policy.
    const policy = Object.values(env.branch_policies).find((p) => p.name === wanted.name && p.type === wanted.type) ?? {
      id: nextId(session.github),
      ...wanted,
    };
    env.branch_policies[String(policy.id)] = policy;
    return {
      id: buildId(repository.name, escapeIdPart(env.name), String(policy.id)),
      outs: outputs(repository, env, policy),
    };
  },
  read(session, _id, outs) {
    const repository = repositoryIfAny(session, str(outs.repository), "GET", path(session, outs));
    const env = repository && environmentOf(repository, str(outs.environment));
    const policy = env?.branch_policies[String(outs.policyId)];
    return repository === undefined || env === undefined || policy === undefined
      ? undefined
      : outputs(repository, env, policy);
  },
  update(session, _id, news, olds) {
    const [repository, env] = customEnvironment(session, news, "PUT");
    const policy = env.branch_policies[String(olds.policyId)];
    if (policy === undefined) throw GITHUB_ERRORS.notFound(request("PUT", path(session, news, Number(olds.policyId))));
    // The provider's update sends the new name only (DeploymentBranchPolicyRequest without a type).
    policy.name = patternOf(news).name;
    return outputs(repository, env, policy);
  },
  delete(session, _id, outs) {
    const at = path(session, outs, Number(outs.policyId));
    const repository = repositoryOf(session, str(outs.repository), "DELETE", at);
    const env = environmentOf(repository, str(outs.environment));
    if (env?.branch_policies[String(outs.policyId)] === undefined) throw GITHUB_ERRORS.notFound(request("DELETE", at));
    delete env.branch_policies[String(outs.policyId)];
  },
};

const TEST = "test/github/repositoryEnvironmentDeploymentPolicy.test.ts";
models({
  class: "github",
  behaviour:
    "a branch policy needs an environment with custom branch policies (else 404); the same pattern again is the " +
    "policy that exists (GitHub's 303)",
  source: 'GitHub REST docs "Deployment branch policies" (Create a deployment branch policy: 303, 404)',
  test: `${TEST} › adds a branch pattern to an environment with custom branch policies, once per pattern`,
});
models({
  class: "github",
  behaviour: "a policy needs exactly one of branchPattern and tagPattern",
  source:
    "terraform-provider-github v6.13.0 resource_github_repository_environment_deployment_policy.go (ExactlyOneOf)",
  test: `${TEST} › is refused on an environment without custom branch policies, and needs exactly one pattern`,
});
