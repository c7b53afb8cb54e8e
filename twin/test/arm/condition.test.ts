// twin/src/arm/condition.ts: role assignment conditions, parsed and evaluated as ARM evaluates them, and the
// deployer's role-assignment rights they constrain.
import { type ConditionContext, conditionAllows, parseCondition } from "../../src/arm/condition.ts";
import type { JsonObject } from "../../src/state.ts";
import { T, freshTwin, siteIn } from "../fixture.ts";

const WRITE = "Microsoft.Authorization/roleAssignments/write";
const DELETE = "Microsoft.Authorization/roleAssignments/delete";
const BACKUP_CONTRIBUTOR = "5e467623-bb1f-42f4-a55d-6e525e11384b";
const BACKUP_READER = "a795c7a0-d4a2-40c1-ae25-d81f01202912";
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const UAA = "18d7d88d-d35e-4fb5-a5c3-7773c4a72b9d";
const RBAC_ADMIN = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
const BLOB_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";

const req = (name: string) => `@Request[Microsoft.Authorization/roleAssignments:${name}]`;
const res = (name: string) => `@Resource[Microsoft.Authorization/roleAssignments:${name}]`;
const write = (attrs: Record<string, string>): ConditionContext => ({
  action: WRITE,
  attributes: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [req(k), [v]])),
});

/** Learn's "Constrain roles and principal types" example, written as Learn writes it (line breaks included). */
const ROLES_AND_TYPES = `(
 (
  !(ActionMatches{'${WRITE}'})
 )
 OR
 (
  ${req("RoleDefinitionId")} ForAnyOfAnyValues:GuidEquals {${BACKUP_CONTRIBUTOR}, ${BACKUP_READER}}
  AND
  ${req("PrincipalType")} ForAnyOfAnyValues:StringEqualsIgnoreCase {'User', 'Group'}
 )
)
AND
(
 (
  !(ActionMatches{'${DELETE}'})
 )
 OR
 (
  ${res("RoleDefinitionId")} ForAnyOfAnyValues:GuidEquals {${BACKUP_CONTRIBUTOR}, ${BACKUP_READER}}
  AND
  ${res("PrincipalType")} ForAnyOfAnyValues:StringEqualsIgnoreCase {'User', 'Group'}
 )
)`;

describe("ABAC conditions", () => {
  it("evaluates the examples' forms: constrain roles, roles and principal types, principals", () => {
    const roleId = (g: string) => `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${g}`;
    expect(
      conditionAllows(ROLES_AND_TYPES, write({ RoleDefinitionId: roleId(BACKUP_READER), PrincipalType: "group" })),
    ).toBe(true);
    expect(
      conditionAllows(
        ROLES_AND_TYPES,
        write({ RoleDefinitionId: roleId(BACKUP_READER), PrincipalType: "ServicePrincipal" }),
      ),
    ).toBe(false);
    expect(conditionAllows(ROLES_AND_TYPES, write({ RoleDefinitionId: roleId(OWNER), PrincipalType: "User" }))).toBe(
      false,
    );
    // Actions the condition does not target pass.
    expect(conditionAllows(ROLES_AND_TYPES, { action: "Microsoft.Resources/subscriptions/read", attributes: {} })).toBe(
      true,
    );
    // Example: Constrain roles and principals (PrincipalId).
    const principals =
      `((!(ActionMatches{'${WRITE}'})) OR ` +
      `(${req("PrincipalId")} ForAnyOfAnyValues:GuidEquals {33a855f8-1111-4f0e-9a9e-5f5c8f1c1a10}))`;
    expect(conditionAllows(principals, write({ PrincipalId: "33a855f8-1111-4f0e-9a9e-5f5c8f1c1a10" }))).toBe(true);
    expect(conditionAllows(principals, write({ PrincipalId: "44a855f8-1111-4f0e-9a9e-5f5c8f1c1a10" }))).toBe(false);
    expect(() => parseCondition("@Request[x] GuidEquals")).toThrow(/unexpected end/);
  });

  it("refuses an assignment whose request names no principal type when the condition constrains it", () => {
    // The request carries no PrincipalType: ForAnyOfAnyValues over no values is false.
    expect(conditionAllows(ROLES_AND_TYPES, write({ RoleDefinitionId: BACKUP_READER }))).toBe(false);
  });

  it("ForAnyOfAllValues:GuidNotEquals refuses the excluded roles and allows the rest", () => {
    // Example: Allow most roles, but don't allow others to assign roles.
    const mostRoles =
      `((!(ActionMatches{'${WRITE}'})) OR ` +
      `(${req("RoleDefinitionId")} ForAnyOfAllValues:GuidNotEquals {${OWNER}, ${UAA}, ${RBAC_ADMIN}}))`;
    expect(conditionAllows(mostRoles, write({ RoleDefinitionId: OWNER }))).toBe(false);
    expect(conditionAllows(mostRoles, write({ RoleDefinitionId: RBAC_ADMIN }))).toBe(false);
    expect(conditionAllows(mostRoles, write({ RoleDefinitionId: BLOB_OWNER }))).toBe(true);
  });

  it("judges a delete on the existing assignment's attributes", async () => {
    const twin = freshTwin();
    const { site } = await siteIn(twin);
    const sub = twin.state().subscriptionId;
    const args = {
      principalId: String((site.outs.identity as JsonObject).principalId),
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${BLOB_OWNER}`,
      scope: site.id,
    };
    const made = await twin.create(T.roleAssignment, "ra", args);
    const servicePrincipalsOnly = (source: "@Request" | "@Resource", action: string) =>
      `((!(ActionMatches{'${action}'})) OR (${source}[Microsoft.Authorization/roleAssignments:PrincipalType] ` +
      `ForAnyOfAnyValues:StringEqualsIgnoreCase {'User'}))`;
    process.env.S2S_TWIN_DEPLOYER = JSON.stringify({
      azureRoles: [
        {
          role: "Role Based Access Control Administrator",
          scope: `/subscriptions/${sub}`,
          condition: `${servicePrincipalsOnly("@Request", WRITE)} AND ${servicePrincipalsOnly("@Resource", DELETE)}`,
        },
      ],
    });
    try {
      await expect(twin.arm.delete!(made.id, twin.urn(T.roleAssignment, "ra"), made.outs)).rejects.toThrow(
        /ABAC condition not fulfilled.*roleAssignments\/delete/,
      );
    } finally {
      delete process.env.S2S_TWIN_DEPLOYER;
    }
    expect(twin.state().arm.resources[made.id.toLowerCase()]).toBeDefined();
  });
});
