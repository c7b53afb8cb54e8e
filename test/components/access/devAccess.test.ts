// Developer access to a dev callee (components/access/devAccess.ts): the pre-authorized tools,
// each developer's grant of the callee's first role, and when the callee's roles open to people.
import { runProgram, type ProgramRun } from "../../fixtures/index.ts";
import { AZURE_CLI, GROUP, INVOKE_ROLE_ID, SCOPE_ID, seedConfig, USER_ID } from "../seedStack.ts";

describe("developer access", () => {
  const input = (run: ProgramRun, name: string) => run.named(name).inputs;

  test("the dev seed stack: the Azure CLI is pre-authorized, each user and group gets the callee's role", async () => {
    const run = await runProgram("dev", seedConfig("dev", true));
    const grant = (name: string, principalObjectId: string) =>
      expect(input(run, `${name}-assignment`)).toEqual({
        principalObjectId,
        resourceObjectId: "the-callee-sp-object-id",
        appRoleId: INVOKE_ROLE_ID,
      });
    grant("the-callee-dev-access-user-dev@contoso.example", "object-id-of-dev@contoso.example");
    grant(`the-callee-dev-access-user-${USER_ID}`, USER_ID);
    grant(`the-callee-dev-access-group-${GROUP}`, GROUP);
    expect(input(run, "the-callee-dev-access-client-azure-cli")).toEqual({
      applicationId: "the-callee-app-id",
      authorizedClientId: AZURE_CLI,
      permissionIds: [SCOPE_ID],
    });
  });

  test("developer access without people keeps roles application-only", async () => {
    const run = await runProgram("dev", {
      ...seedConfig("dev", false),
      "s2s-auth:devAccess": { authorizedClients: ["visual-studio", "AAAAAAAA-0000-4000-8000-000000000000"] },
    });
    const app = input(run, "the-callee-app") as { appRoles: { allowedMemberTypes: string[] }[] };
    expect(app.appRoles.map((r) => r.allowedMemberTypes)).toEqual([["Application"]]);
    expect(
      run
        .ofType("azuread:index/applicationPreAuthorized:ApplicationPreAuthorized")
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "the-callee-dev-access-client-aaaaaaaa-0000-4000-8000-000000000000",
      "the-callee-dev-access-client-visual-studio",
    ]);
    expect(run.ofType("azuread:index/appRoleAssignment:AppRoleAssignment").map((r) => r.name)).toEqual([
      "the-caller_to_the-callee-assignment",
    ]);
  });

  test("a developer named by object id alone opens the roles to people", async () => {
    const run = await runProgram("dev", { ...seedConfig("dev", false), "s2s-auth:devAccess": { users: [USER_ID] } });
    const roles = input(run, "the-callee-app")["appRoles"] as { allowedMemberTypes: string[] }[];
    expect(roles.map((r) => r.allowedMemberTypes)).toEqual([["Application", "User"]]);
  });

  test("developers are assigned the callee's first role", async () => {
    const run = await runProgram("dev", {
      ...seedConfig("dev", false),
      "s2s-auth:callees": [{ name: "the-callee", appRoles: [{ value: "Second.First" }, { value: "Other" }] }],
      "s2s-auth:callers": [{ name: "the-caller", calls: [{ callee: "the-callee", role: "Other" }] }],
      "s2s-auth:devAccess": { groups: [GROUP] },
    });
    const ids = Object.fromEntries(
      (input(run, "the-callee-app")["appRoles"] as { id: string; value: string }[]).map((r) => [r.value, r.id]),
    );
    expect(input(run, `the-callee-dev-access-group-${GROUP}-assignment`)["appRoleId"]).toBe(ids["Second.First"]);
    // a group alone is enough to open the roles to people
    const roles = input(run, "the-callee-app")["appRoles"] as { allowedMemberTypes: string[] }[];
    expect(roles.map((r) => r.allowedMemberTypes)).toEqual([
      ["Application", "User"],
      ["Application", "User"],
    ]);
    expect(input(run, "the-caller_to_the-callee-assignment")["appRoleId"]).toBe(ids["Other"]);
  });
});
