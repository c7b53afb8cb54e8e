// The one place that says which environment (dev, test, prod) a stack is. The program's config
// validation, the offline plan, plan diff and the policy pack all call resolveEnvironment, so
// they can never disagree, and none of them falls back to a default when it cannot tell; where
// rules must still run (the policy pack, which also fails the run), they judge by prod.
// No imports: the policy pack loads this file too.

export const ENVIRONMENTS = ["dev", "test", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The stack's environment cannot be told; the message is one line and says what to set. */
export class EnvironmentError extends Error {
  override name = "EnvironmentError";
}

export function isEnvironment(value: unknown): value is Environment {
  return typeof value === "string" && (ENVIRONMENTS as readonly string[]).includes(value);
}

/** Review stacks (`dev-pr-<n>`, as the workflows name them) are copies of dev. */
const REVIEW_STACK = /^dev-[a-z0-9-]+$/;

/**
 * The environment of a stack:
 * 1. `configured` (the stack's `s2s-auth:environment`, or the policy pack's `environment`
 *    config) when given: it must be one of {@link ENVIRONMENTS};
 * 2. otherwise the stack's name, when it is dev, test or prod (this repository's stacks are
 *    named after their environment), or `dev-<suffix>` (a review stack);
 * 3. otherwise {@link EnvironmentError}: an unknown environment never defaults.
 */
export function resolveEnvironment(configured: unknown, stack: string | undefined): Environment {
  if (configured !== undefined && configured !== null) {
    if (isEnvironment(configured)) return configured;
    throw new EnvironmentError(`environment ${JSON.stringify(configured)} is not one of ${ENVIRONMENTS.join(", ")}`);
  }
  if (isEnvironment(stack)) return stack;
  if (stack !== undefined && REVIEW_STACK.test(stack)) return "dev";
  throw new EnvironmentError(
    `cannot tell the environment of stack ${stack === undefined ? "(unknown)" : JSON.stringify(stack)}: ` +
      `set it (${ENVIRONMENTS.join(", ")}) in the stack's s2s-auth:environment or the policy pack's environment config`,
  );
}

/**
 * What the rules judge a stack by when its environment cannot be told: prod, the strictest, so
 * no finding is lost (dev would allow developer access). The one place this is decided.
 */
export const UNKNOWN_ENVIRONMENT_JUDGED_AS: Environment = "prod";

/** The environment `resolve` gives, or {@link UNKNOWN_ENVIRONMENT_JUDGED_AS} when it cannot tell. */
export function environmentOrStrictest(resolve: () => Environment): Environment {
  try {
    return resolve();
  } catch (err) {
    if (err instanceof EnvironmentError) return UNKNOWN_ENVIRONMENT_JUDGED_AS;
    throw err;
  }
}
