// What `npm run plan -- --project bootstrap` needs to know about this project.
import { resolve } from "node:path";

export const PROJECT_DIR = resolve(import.meta.dirname);
/** bootstrap/Pulumi.yaml's name: the policy pack knows the project's stacks by it in their URNs. */
export const PROJECT = "s2s-auth-bootstrap";
/** The shipped stack file: Pulumi.pipeline.yaml. */
export const DEFAULT_STACK = "pipeline";
/**
 * The rules' environment. The pipeline's identities guard prod, so they are held to prod's
 * rules (everything protected); the policy pack reaches the same answer for any stack name
 * that is not dev or test. The plan records it as a preview: the shipped stack names a
 * placeholder repository, which only an update refuses.
 */
export const ENVIRONMENT = "prod";
