// A service of this program, as config declares it and the components build it: the hosts it can
// run on, the app roles a callee offers its callers, and who may call a dev callee from a devbox.
// config.ts normalizes a stack's config to these shapes; components/ take them as they are.

/** Where a service runs. Every host gets a system-assigned identity and the same guarantees. */
export const HOSTS = ["appService", "functionApp", "containerApp"] as const;
export type Host = (typeof HOSTS)[number];

/** An application role on a callee, one that callers can be granted. */
export interface AppRole {
  /** What the token's `roles` claim carries, e.g. `Invoke`. */
  value: string;
  displayName: string;
  description: string;
  /**
   * The role's id when config names one (an app registration adopted with `pulumi import` keeps the id
   * its assignments hold); otherwise the program derives it from the callee's and the role's names.
   */
  id?: string;
}

/** Who may call a dev callee from a devbox. */
export interface DeveloperAccess {
  /** Client ids (GUIDs) of the tools pre-authorized for the delegated scope; well-known names already resolved. */
  authorizedClients: readonly string[];
  /** Users by user principal name, resolved to object ids at deployment. */
  userPrincipalNames: readonly string[];
  /** Users by object id. */
  userObjectIds: readonly string[];
  /** Groups by object id: their direct members get in. */
  groupObjectIds: readonly string[];
}
