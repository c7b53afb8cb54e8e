// Name-based GUIDs: app role and scope ids that are the same on every run and machine.
import { v5 as uuidv5 } from "uuid";

// Fixed namespace for this project's name-based (version 5) UUIDs. Never change it: every
// app role and scope id already deployed was derived from it.
const NAMESPACE = "6f1f3c2e-5a4b-4d7e-9c61-2b8e0d3a9f17";

/**
 * A GUID derived from names only, so app role and scope ids stay the same on every run and
 * every machine. Entra refuses to change or delete an enabled role in place, so an id that
 * moved between runs would break the next `pulumi up`.
 */
export function stableGuid(...parts: string[]): string {
  return uuidv5(parts.join("/"), NAMESPACE);
}
