// Which identities write: the twin's holdings read as roles that change something or only read.
import { canWrite } from "../../../e2e/workflows/identities.ts";

const held = (roles: string[], graph: string[] = []) => ({
  servicePrincipalId: "sp",
  azureRoles: roles.map((role) => ({ role, scope: "/subscriptions/s" })),
  graphAppRoles: graph,
});

test("reading roles and read-only Graph permissions do not write", () => {
  expect(
    canWrite(held(["Reader", "Storage Blob Data Reader", "Key Vault Crypto User"], ["Application.Read.All"])),
  ).toBe(false);
  expect(canWrite(held([], ["User.ReadBasic.All"]))).toBe(false);
});

test("a role that changes resources or a Graph write permission writes", () => {
  expect(canWrite(held(["Contributor"]))).toBe(true);
  expect(canWrite(held(["Storage Blob Data Contributor"]))).toBe(true);
  expect(canWrite(held(["Reader"], ["AppRoleAssignment.ReadWrite.All"]))).toBe(true);
});
