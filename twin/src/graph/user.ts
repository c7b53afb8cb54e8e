/** azuread's `getUser` data source: Graph users (the twin's CLI adds them; no plugin creates one). */
import { requireGraph } from "../deployer.ts";
import type { InvokeHandler } from "../provider.ts";
import { AZUREAD_ERRORS } from "./errors.ts";
import { str } from "./shared.ts";

/** azuread docs data-sources/user: exactly one of these finds the user, case-insensitively. */
const KEYS = ["userPrincipalName", "objectId", "mailNickname", "mail", "employeeId"] as const;

export const getUser: InvokeHandler = (state, args) => {
  requireGraph(state, "user.read");
  const key = KEYS.find((k) => typeof args[k] === "string");
  const wanted = key === undefined ? "" : str(args[key]).toLowerCase();
  const user = Object.values(state.graph.users).find((u) => {
    const field = key === "objectId" ? u.id : key === undefined ? undefined : u[key];
    return typeof field === "string" && field.toLowerCase() === wanted;
  });
  if (user === undefined) throw AZUREAD_ERRORS.notFound("user", key ?? "query", wanted);
  return {
    id: user.id,
    objectId: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName ?? "",
    mail: user.mail ?? "",
    mailNickname: user.mailNickname ?? user.userPrincipalName.split("@")[0] ?? "",
    accountEnabled: user.accountEnabled !== false,
    userType: user.userType ?? "Member",
  };
};
