// How a service that calls a callee learns where it is: the callee's address and token audience,
// handed to the caller's code as app settings.
import type * as pulumi from "@pulumi/pulumi";
import type { AppSetting } from "../hosting/hostedApp.ts";

/** Where a callee lives and which token audience it expects. */
export interface CalleeEndpoint {
  /** The callee's name in config. */
  name: string;
  /** `https://<host>` of the callee. */
  url: pulumi.Input<string>;
  /** The callee's Application ID URI, `api://<clientId>`; callers ask for a token for `<uri>/.default`. */
  applicationIdUri: pulumi.Input<string>;
}

/**
 * The app settings that tell a caller's code where a callee is:
 * `S2S_<CALLEE>_URL` and `S2S_<CALLEE>_RESOURCE` (`the-callee` → `S2S_THE_CALLEE_URL`). The
 * second keeps its name although it holds the Application ID URI: deployed callers' code reads
 * it, and it is what their token libraries call the resource (`az … --resource`, `getToken`).
 */
export function calleeAppSettings(callees: readonly CalleeEndpoint[]): AppSetting[] {
  return callees.flatMap((callee) => {
    const key = callee.name.toUpperCase().replace(/-/g, "_");
    return [
      { name: `S2S_${key}_URL`, value: callee.url },
      { name: `S2S_${key}_RESOURCE`, value: callee.applicationIdUri },
    ];
  });
}
