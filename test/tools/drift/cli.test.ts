// npm run drift's reading of Graph: every page of `appRoleAssignedTo`, not only the first.
import { audit, type GraphAssignment } from "../../../tools/drift/audit.ts";
import { readAssignments } from "../../../tools/drift/cli.ts";

const SP = "sp-1";
const FIRST = `https://graph.microsoft.com/v1.0/servicePrincipals/${SP}/appRoleAssignedTo`;
const SECOND = `${FIRST}?$skiptoken=page2`;
const assignment = (id: string): GraphAssignment => ({
  id,
  appRoleId: "role",
  principalId: `principal-${id}`,
  resourceId: SP,
});

// Issue 23, item 7: Graph pages a long list (`@odata.nextLink`); drift read the first page only, so an
// unmanaged assignment on page two was never reported.
test("follows @odata.nextLink to the last page, and an assignment on page two is reported", async () => {
  const pages: Record<string, unknown> = {
    [FIRST]: { value: [assignment("managed")], "@odata.nextLink": SECOND },
    [SECOND]: { value: [assignment("stranger")] },
  };
  const asked: string[] = [];
  const read = await readAssignments([SP], async (url) => {
    asked.push(url);
    return pages[url];
  });
  expect(asked).toEqual([FIRST, SECOND]);
  expect(read.map((a) => a.id)).toEqual(["managed", "stranger"]);
  const resources = [
    {
      urn: "urn:pulumi:dev::p::azuread:index/servicePrincipal:ServicePrincipal::sp",
      type: "azuread:index/servicePrincipal:ServicePrincipal",
      id: SP,
      outputs: { objectId: SP },
    },
    {
      urn: "urn:pulumi:dev::p::azuread:index/appRoleAssignment:AppRoleAssignment::a",
      type: "azuread:index/appRoleAssignment:AppRoleAssignment",
      id: `/servicePrincipals/${SP}/appRoleAssignedTo/managed`,
    },
  ];
  expect(audit(resources, read, { environment: "dev" }).unmanaged.map((a) => a.id)).toEqual(["stranger"]);
});

test("a next link that repeats a page is refused instead of looping", async () => {
  await expect(readAssignments([SP], async () => ({ value: [], "@odata.nextLink": FIRST }))).rejects.toThrow(
    `Graph paging of ${FIRST} returned a next link it had already given: ${FIRST}`,
  );
});
