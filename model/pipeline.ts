// What the main program's tools and the policy pack know about bootstrap/, the second project
// (the pipeline's own identities), without loading it.

/** bootstrap/Pulumi.yaml's name: the policy pack knows the project's stacks by it in their URNs. */
export const BOOTSTRAP_PROJECT = "s2s-auth-bootstrap";
/** bootstrap's shipped stack file: Pulumi.pipeline.yaml. */
export const BOOTSTRAP_STACK = "pipeline";
/**
 * bootstrap's rules' environment. The pipeline's identities guard prod, so they are held to
 * prod's rules (everything protected); the policy pack reaches the same answer for any stack
 * name that is not dev or test. The plan records it as a preview: the shipped stack names a
 * placeholder repository, which only an update refuses.
 */
export const BOOTSTRAP_ENVIRONMENT = "prod";
/** The tag bootstrap puts on the app registration of an identity that deploys an environment. */
export const DEPLOYS_TAG = "s2s-auth-deploys:";
