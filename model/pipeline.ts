// What the main program's tools and the policy pack know about bootstrap/, the second project
// (the pipeline's identities, one stack per Entra tenant), without loading it.

/** bootstrap/Pulumi.yaml's name: the policy pack knows the project's stacks by it in their URNs. */
export const BOOTSTRAP_PROJECT = "s2s-auth-bootstrap";
/**
 * bootstrap's shipped stack files, one per tenant (bootstrap/Pulumi.<stack>.yaml): the dev
 * tenant's (review and dev) first, the default of `npm run plan -- --project bootstrap`.
 */
export const BOOTSTRAP_STACKS = ["dev-tenant", "prod-tenant"] as const;
/**
 * bootstrap's rules' environment. The pipeline's identities guard prod, so they are held to
 * prod's rules (everything protected); the policy pack reaches the same answer for any stack
 * name that is not dev or test. The plan records it as a preview: the shipped stacks name a
 * placeholder repository, which only an update refuses.
 */
export const BOOTSTRAP_ENVIRONMENT = "prod";
/** The tag bootstrap puts on the app registration of an identity that deploys an environment. */
export const DEPLOYS_TAG = "s2s-auth-deploys:";
/** The tag bootstrap puts on the app registration of an identity that only reads an environment. */
export const READS_TAG = "s2s-auth-reads:";
/**
 * The tag bootstrap puts on an identity that can take over prod through Microsoft Graph because
 * it shares prod's tenant, when the stack's config acknowledges it (s2s-auth-bootstrap:sharedTenant):
 * the finding is then a warning instead of an error.
 */
export const SHARED_TENANT_TAG = "s2s-auth-acknowledged:shares-prod-tenant";
/**
 * The GitHub environments whose every run a maintainer approves (required reviewers): `review`
 * runs a pull request's code with a writing identity, `prod` deploys prod. The policy rules
 * require reviewers on them; the workflows use exactly these names for those jobs.
 */
export const REVIEWED_ENVIRONMENTS: readonly string[] = ["review", "prod"];
/** The one branch from which writing environments may deploy. */
export const DEPLOY_BRANCH = "main";
