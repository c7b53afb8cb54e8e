// Which identities write: the twin's own role definitions decide (a built-in or custom role that
// grants a write, or a Graph permission beyond reading).
import { newTenant, type TwinState } from "@s2s-auth/twin/state.ts";
import { canWrite } from "../../../e2e/workflows/identities.ts";

const tenant: TwinState = newTenant();
const held = (roles: string[], graph: string[] = []) => ({
  servicePrincipalId: "sp",
  azureRoles: roles.map((role) => ({ role, scope: "/subscriptions/s" })),
  graphAppRoles: graph,
});

test("reading roles and read-only Graph permissions do not write", () => {
  const readers = held(["Reader", "Storage Blob Data Reader", "Key Vault Crypto User"], ["Application.Read.All"]);
  expect(canWrite(tenant, readers)).toBe(false);
  expect(canWrite(tenant, held([], ["User.ReadBasic.All"]))).toBe(false);
});

test("a role that changes resources or state, or a Graph write permission, writes", () => {
  expect(canWrite(tenant, held(["Contributor"]))).toBe(true);
  expect(canWrite(tenant, held(["Storage Blob Data Contributor"]))).toBe(true);
  expect(canWrite(tenant, held(["Reader"], ["AppRoleAssignment.ReadWrite.All"]))).toBe(true);
});
