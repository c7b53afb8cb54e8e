// The shapes shared by the policy rules, the offline plan and the tests. A rule reads real
// resource inputs (as `pulumi preview` sends them to a policy pack, or as the plan recorded
// them), never the stack config.

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

export type Severity = "error" | "warning";

/** A broken invariant. */
export interface Finding {
  severity: Severity;
  /** The rule id, e.g. `callee-sp-assignment-required`. */
  policy: string;
  urn: string;
  message: string;
}

/** What rules may know besides the resources: the stack's environment. */
export interface RuleContext {
  environment: "dev" | "test" | "prod";
}
