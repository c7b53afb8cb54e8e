/**
 * Every error the GitHub twin answers with (twin/src/errors.ts says how a catalog is written): GitHub's
 * REST API errors, as terraform-provider-github (behind @pulumi/github) reports them through go-github, and
 * the provider's own refusals at check time. Handlers throw what this catalog makes and build no error of
 * their own (twin/test/errors.test.ts).
 */
import { type ErrorSpec, ServiceError, providerError } from "../errors.ts";

/**
 * A GitHub REST error as go-github's ErrorResponse prints it: `<METHOD> <url>: <status> <message> []`
 * (google/go-github github/github.go, ErrorResponse.Error). The body is GitHub's `{ "message" }` (REST docs,
 * "Troubleshooting the REST API"); the code here is the status's name, GitHub sends none.
 */
export class GitHubError extends ServiceError {
  constructor(status: number, code: string, request: string, message: string) {
    super(status, code, `${request}: ${status} ${message} []`);
  }
}

/** A catalog entry whose call takes the request first (`PUT https://api.github.com/repos/...`), as go-github prints it. */
type GitHubErrorFactory<A extends unknown[]> = ErrorSpec<A, string> & {
  (request: string, ...args: A): GitHubError;
};

function github<A extends unknown[]>(spec: ErrorSpec<A, string>): GitHubErrorFactory<A> {
  const make = (request: string, ...args: A) => new GitHubError(spec.status, spec.code, request, spec.message(...args));
  return Object.assign(make, spec);
}

const ENVIRONMENTS = 'GitHub REST docs, "Deployment environments" (Create or update an environment)';
const BRANCH_POLICIES = 'GitHub REST docs, "Deployment branch policies" (Create a deployment branch policy)';
const VARIABLES = 'GitHub docs, "Store information in variables" (naming conventions, limits)';
const TROUBLESHOOTING = 'GitHub REST docs, "Troubleshooting the REST API"';

export const GITHUB_ERRORS = {
  /** No token: the provider's client is anonymous, and GitHub refuses what needs authentication. */
  requiresAuthentication: github({
    status: 401,
    code: "Unauthorized",
    source: TROUBLESHOOTING,
    message: () => "Requires authentication",
  }),
  /** A repository, environment, policy or variable that does not exist (or that the token cannot see). */
  notFound: github({
    status: 404,
    code: "NotFound",
    source: `${TROUBLESHOOTING} (404 for what does not exist or is not visible)`,
    message: () => "Not Found",
  }),
  /** The environment's settings break one of GitHub's rules (the detail says which). */
  environmentInvalid: github({
    status: 422,
    code: "ValidationFailed",
    source:
      `${ENVIRONMENTS}: 422 "when protected_branches and custom_branch_policies in deployment_branch_policy are ` +
      'set to the same value"; reviewers "up to six users or teams", with "at least read access"; wait_timer 0 ' +
      "to 43,200",
    approximate: "the wording of the detail",
    message: (detail: string) => `Validation Failed: ${detail}`,
  }),
  /** A branch policy on an environment whose deployment_branch_policy is not custom. */
  customBranchPoliciesOff: github({
    status: 404,
    code: "NotFound",
    source:
      `${BRANCH_POLICIES}: 404 "Not Found or deployment_branch_policy.custom_branch_policies property for the ` +
      'environment is set to false"',
    message: () => "Not Found",
  }),
  /** A variable of that name exists already (names are case-insensitive). */
  variableExists: github({
    status: 409,
    code: "Conflict",
    source: `${VARIABLES} ("must be unique at the level at which they are created")`,
    approximate: "the wording",
    message: (name: string) => `Already exists - Variable ${name} already exists`,
  }),
  /** A variable over GitHub's size or count limits. */
  variableLimit: github({
    status: 422,
    code: "ValidationFailed",
    source: `${VARIABLES} (limits: 48 KB a variable, 500 a repository, 100 an environment)`,
    approximate: "the wording",
    message: (detail: string) => `Validation Failed: ${detail}`,
  }),
} as const;

const TF = "terraform-provider-github v6.13.0 (the provider @pulumi/github 6.15.0 bridges)";

/** The provider's own refusals, made at check time before any request reaches GitHub. */
export const GITHUB_PROVIDER_ERRORS = {
  /** validateSecretNameFunc, on variable names. */
  variableNameInvalid: providerError({
    source: `${TF}, github/util.go validateSecretNameFunc`,
    message: (name: string) =>
      `invalid variable_name "${name}": secret names can only contain alphanumeric characters or underscores ` +
      "and must not start with a number",
  }),
  variableNameReserved: providerError({
    source: `${TF}, github/util.go validateSecretNameFunc`,
    message: (name: string) => `invalid variable_name "${name}": secret names must not start with the GITHUB_ prefix`,
  }),
  /** wait_timer's IntBetween(0, 43200). */
  waitTimerRange: providerError({
    source: `${TF}, resource_github_repository_environment.go (wait_timer)`,
    message: (value: number) => `expected wait_timer to be in the range (0 - 43200), got ${value}`,
  }),
  /** reviewers' users and teams: MaxItems 6 each. */
  tooManyReviewers: providerError({
    source: `${TF}, resource_github_repository_environment.go (reviewers.teams, reviewers.users: MaxItems 6)`,
    approximate: "the SDK's two lines (summary, detail) joined in one",
    message: (field: string, count: number) =>
      `Too many list items: Attribute ${field} supports 6 item maximum, but config has ${count} declared.`,
  }),
  /** branch_pattern / tag_pattern: ExactlyOneOf. */
  exactlyOnePattern: providerError({
    source: `${TF}, resource_github_repository_environment_deployment_policy.go (ExactlyOneOf)`,
    approximate: "the wording (the SDK's ExactlyOneOf message)",
    message: () => '"branch_pattern": one of `branch_pattern,tag_pattern` must be specified',
  }),
  /** No owner: the provider would ask GitHub whose the token is, which the twin cannot tell. */
  noOwner: providerError({
    source: `${TF}, github/provider.go (owner: organization, GITHUB_OWNER, then owner)`,
    approximate: "the twin's own: the real provider looks up the token's user when no owner is set",
    message: () => "the twin's GitHub needs an owner: set github:owner or GITHUB_OWNER",
  }),
} as const;
