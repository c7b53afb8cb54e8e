// The seed pair the-caller → the-callee as the component and program tests run it, with every
// kind of developer access in dev, and the ids the program derives for it.
import { baseConfig } from "../fixtures/configs.ts";

export const GROUP = "11111111-2222-3333-4444-555555555555";
export const USER_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
export const AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
export const INVOKE_ROLE_ID = "13d0770a-6cd8-5c67-80fe-3e5a4cfd6f49"; // stableGuid("the-callee", "app-role", "Invoke")
export const SCOPE_ID = "7c32bfe7-d384-54c6-b2db-b7b2f1c3278a"; // stableGuid("the-callee", "scope", DEV_SCOPE)

/** The seed stack; `test` adds a callee nobody calls, `devAccess` the CLI, a user (by UPN and id) and a group. */
export function seedConfig(environment: "dev" | "test", devAccess: boolean): Record<string, unknown> {
  return {
    ...baseConfig(environment),
    ...(environment === "test" ? { "s2s-auth:callees": [{ name: "the-callee" }, { name: "lonely-api" }] } : {}),
    ...(devAccess
      ? {
          "s2s-auth:devAccess": {
            authorizedClients: ["azure-cli"],
            users: ["dev@contoso.example", USER_ID],
            groups: [GROUP],
          },
        }
      : {}),
  };
}
