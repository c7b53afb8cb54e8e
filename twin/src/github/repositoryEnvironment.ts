/**
 * @pulumi/github `RepositoryEnvironment`: a repository's deployment environment with its protection rules
 * (required reviewers, prevent self-review, wait timer) and deployment branch policy.
 *
 * Sources: terraform-provider-github v6.13.0 github/resource_github_repository_environment.go (schema,
 * defaults, createUpdateEnvironmentData, read) and GitHub's REST docs "Deployment environments" (Create or
 * update an environment: PUT /repos/{owner}/{repo}/environments/{environment_name}; Get an environment).
 */
import type { CheckFailure } from "@pulumi/pulumi/provider/index.js";
import { models } from "../fidelity.ts";
import { type GitHubEnvironment, type GitHubProtectionRule, type JsonObject, isObject } from "../state.ts";
import { GITHUB_ERRORS, GITHUB_PROVIDER_ERRORS } from "./errors.ts";
import {
  type GitHubHandler,
  type GitHubSession,
  buildId,
  environmentOf,
  environmentPath,
  escapeIdPart,
  nextId,
  now,
  numbers,
  repositoryIfAny,
  repositoryOf,
  request,
  str,
} from "./shared.ts";

/** wait_timer: "an integer between 0 and 43,200 (30 days)" (REST docs; the provider's IntBetween). */
const MAX_WAIT_MINUTES = 43_200;
/** "You can list up to six users or teams as reviewers" (REST docs). */
const MAX_REVIEWERS = 6;

function reviewersOf(inputs: JsonObject): { users: number[]; teams: number[] } | undefined {
  const list = Array.isArray(inputs.reviewers) ? inputs.reviewers.filter(isObject) : [];
  const first = list[0];
  return first === undefined ? undefined : { users: numbers(first.users), teams: numbers(first.teams) };
}

/**
 * PUT: the settings it is given replace the environment's; a rule left out is removed, and no
 * deployment_branch_policy means every branch may deploy (REST docs: "To allow all branches to deploy,
 * set to null").
 */
function put(session: GitHubSession, inputs: JsonObject): JsonObject {
  const at = environmentPath(session, inputs);
  const where = request("PUT", at);
  const repository = repositoryOf(session, str(inputs.repository), "PUT", at);
  const name = str(inputs.environment);
  const wait = typeof inputs.waitTimer === "number" ? inputs.waitTimer : 0;
  if (wait < 0 || wait > MAX_WAIT_MINUTES)
    throw GITHUB_ERRORS.environmentInvalid(where, `wait_timer must be between 0 and ${MAX_WAIT_MINUTES}`);
  const reviewers = reviewersOf(inputs);
  const ids = [...(reviewers?.users ?? []), ...(reviewers?.teams ?? [])];
  if (ids.length > MAX_REVIEWERS)
    throw GITHUB_ERRORS.environmentInvalid(where, `reviewers: at most ${MAX_REVIEWERS} users or teams`);
  const rules: GitHubProtectionRule[] = [];
  const existing = environmentOf(repository, name);
  if (wait > 0) rules.push({ id: nextId(session.github), type: "wait_timer", wait_timer: wait });
  if (reviewers !== undefined) {
    const listed = [
      ...reviewers.users.map((id) => ({ id, type: "User" as const })),
      ...reviewers.teams.map((id) => ({ id, type: "Team" as const })),
    ].map(({ id, type }) => {
      const account = session.github.accounts[String(id)];
      // "The reviewers must have at least read access to the repository": an id GitHub does not know has none.
      if (account === undefined || account.type !== type)
        throw GITHUB_ERRORS.environmentInvalid(where, `reviewer ${type} ${id} does not exist or has no access`);
      return { type, reviewer: { id, login: account.login } };
    });
    rules.push({
      id: nextId(session.github),
      type: "required_reviewers",
      prevent_self_review: inputs.preventSelfReview === true,
      reviewers: listed,
    });
  }
  const policy = isObject(inputs.deploymentBranchPolicy) ? inputs.deploymentBranchPolicy : undefined;
  const branchPolicy =
    policy === undefined
      ? null
      : {
          protected_branches: policy.protectedBranches === true,
          custom_branch_policies: policy.customBranchPolicies === true,
        };
  if (branchPolicy !== null && branchPolicy.protected_branches === branchPolicy.custom_branch_policies)
    throw GITHUB_ERRORS.environmentInvalid(
      where,
      "deployment_branch_policy: protected_branches and custom_branch_policies cannot have the same value",
    );
  if (branchPolicy !== null) rules.push({ id: nextId(session.github), type: "branch_policy" });
  const stamp = now();
  const environment: GitHubEnvironment = {
    id: existing?.id ?? nextId(session.github),
    name: existing?.name ?? name,
    created_at: existing?.created_at ?? stamp,
    updated_at: stamp,
    can_admins_bypass: inputs.canAdminsBypass !== false,
    protection_rules: rules,
    deployment_branch_policy: branchPolicy,
    // Branch policies only exist while the environment's policy is custom.
    branch_policies: branchPolicy?.custom_branch_policies === true ? (existing?.branch_policies ?? {}) : {},
    variables: existing?.variables ?? {},
  };
  if (existing !== undefined) delete repository.environments[existing.name];
  repository.environments[environment.name] = environment;
  return outputs(repository, environment);
}

/** The provider's attributes from GitHub's environment (its read: rules absent are their zero values). */
function outputs(repository: { name: string; id: number }, env: GitHubEnvironment): JsonObject {
  let waitTimer = 0;
  let preventSelfReview = false;
  let reviewers: JsonObject[] = [];
  for (const rule of env.protection_rules) {
    if (rule.type === "wait_timer") waitTimer = rule.wait_timer;
    if (rule.type === "required_reviewers") {
      const ids = (type: "User" | "Team") => rule.reviewers.filter((r) => r.type === type).map((r) => r.reviewer.id);
      reviewers = [{ teams: ids("Team"), users: ids("User") }];
      preventSelfReview = rule.prevent_self_review;
    }
  }
  return {
    repository: repository.name,
    repositoryId: repository.id,
    environment: env.name,
    canAdminsBypass: env.can_admins_bypass,
    preventSelfReview,
    waitTimer,
    reviewers,
    ...(env.deployment_branch_policy === null
      ? {}
      : {
          deploymentBranchPolicy: {
            protectedBranches: env.deployment_branch_policy.protected_branches,
            customBranchPolicies: env.deployment_branch_policy.custom_branch_policies,
          },
        }),
  };
}

/** `repo:env`, the environment's `:` escaped (the provider's id). */
function idOf(inputs: JsonObject): string {
  return buildId(str(inputs.repository), escapeIdPart(str(inputs.environment)));
}

export const repositoryEnvironment: GitHubHandler = {
  // `environment` is ForceNew; a repository of another id is a new resource (diffRepository).
  replaceOn: ["environment", "repository"],
  // The schema's defaults, which the bridge's Check fills in.
  check: (news) => ({ canAdminsBypass: true, preventSelfReview: false, ...news }),
  validate(inputs) {
    const failures: CheckFailure[] = [];
    const wait = inputs.waitTimer;
    if (typeof wait === "number" && (wait < 0 || wait > MAX_WAIT_MINUTES))
      failures.push({ property: "waitTimer", reason: GITHUB_PROVIDER_ERRORS.waitTimerRange.message(wait) });
    const reviewers = reviewersOf(inputs);
    for (const field of ["users", "teams"] as const) {
      const count = reviewers?.[field].length ?? 0;
      if (count > MAX_REVIEWERS)
        failures.push({
          property: `reviewers[0].${field}`,
          reason: GITHUB_PROVIDER_ERRORS.tooManyReviewers.message(`reviewers.0.${field}`, count),
        });
    }
    return failures;
  },
  create(session, inputs) {
    return { id: idOf(inputs), outs: put(session, inputs) };
  },
  read(session, _id, outs) {
    const repository = repositoryIfAny(session, str(outs.repository), "GET", environmentPath(session, outs));
    const environment = repository && environmentOf(repository, str(outs.environment));
    return repository === undefined || environment === undefined ? undefined : outputs(repository, environment);
  },
  update(session, _id, news) {
    return put(session, news);
  },
  delete(session, _id, outs) {
    const repository = repositoryIfAny(session, str(outs.repository), "DELETE", environmentPath(session, outs));
    // Deleting an environment deletes its variables and branch policies with it (REST "Delete an environment");
    // one already gone is deleted (deleteResourceOn404AndSwallow304OtherwiseReturnError).
    const environment = repository && environmentOf(repository, str(outs.environment));
    if (repository !== undefined && environment !== undefined) delete repository.environments[environment.name];
  },
};

const TEST = "test/github/repositoryEnvironment.test.ts";
models({
  class: "github",
  behaviour:
    "an environment's required reviewers, prevent self-review and deployment branch policy are kept in GitHub's " +
    "REST shape and read back; rules removed behind Pulumi's back show as drift",
  source: 'GitHub REST docs "Deployment environments" (Get an environment: protection_rules)',
  test: `${TEST} › keeps required reviewers, self-review and the branch policy in GitHub's shape, and reads them back`,
});
models({
  class: "github",
  behaviour:
    "GitHub refuses protected_branches equal to custom_branch_policies, reviewers it does not know (422), a " +
    "repository it does not have (404) and an anonymous client (401)",
  source: 'GitHub REST docs "Deployment environments" (Create or update an environment: 422)',
  test: `${TEST} › refuses what GitHub refuses: the same value for both branch policies, unknown reviewers, no token`,
});
models({
  class: "github",
  behaviour: "the provider checks wait_timer (0 to 43200) and at most six users and six teams as reviewers",
  source: "terraform-provider-github v6.13.0 resource_github_repository_environment.go (schema)",
  test: `${TEST} › checks its inputs as the provider does: wait timer range, six reviewers of a kind at most`,
});
models({
  class: "github",
  behaviour:
    "an environment is replaced when its name changes; a PUT drops the rules it omits; deleting it deletes its " +
    "variables",
  source:
    "terraform-provider-github v6.13.0 (environment ForceNew); REST docs (Create or update, Delete an environment)",
  test: `${TEST} › replaces on another environment name, updates in place otherwise, and deletes with its variables`,
});
