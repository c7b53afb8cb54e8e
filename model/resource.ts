// The shape every consumer of a recorded stack shares: the policy rules, the offline plan, the
// policy pack and the tests. A rule reads real resource inputs (as `pulumi preview` sends them
// to a policy pack, or as the plan recorded them), never the stack config. No Pulumi SDK here.
import type { Environment } from "./environment.ts";

/** One resource as declared by the program. */
export interface PlannedResource {
  urn: string;
  /** Type token, e.g. `azuread:index/servicePrincipal:ServicePrincipal`. */
  type: string;
  /** Logical name. */
  name: string;
  /** False for component resources. */
  custom: boolean;
  /** URN of the parent, undefined for top-level resources. */
  parent: string | undefined;
  /** Whether `pulumi destroy` is refused for it (inherited from the parent). */
  protect: boolean;
  /** Inputs as registered; values known only after deployment are placeholders in the plan. */
  inputs: Record<string, unknown>;
}

/**
 * A value the engine cannot know during a preview: an output of a resource not created yet, or a
 * whole object the provider's SDK built from one (azure-native applies its defaults to
 * `siteConfig` with `apply`, so one unknown app setting hides the whole object). A rule cannot
 * judge it; at `pulumi up` the analyzer sees the real value before the resource is created.
 */
export const NOT_YET_KNOWN: unique symbol = Symbol("not known until the update");

/** What rules may know besides the resources: the stack's environment. */
export interface RuleContext {
  environment: Environment;
}
