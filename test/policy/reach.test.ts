// policy/reach.ts: what an identity reaches, on small hand-built stacks: a role assignment by its
// role's definition (built in, or the custom RoleDefinition the stack declares, matched by id) at
// its scope; an environment's assets from the identity that deploys it; an unknown role judged as
// writing everything its scope covers; Graph permissions by their names.
import { DEPLOYS_TAG, type PlannedResource, READS_TAG, RESOURCE_TYPE } from "../../model/index.ts";
import { AZURE_ROLES, GRAPH_PERMISSIONS } from "../../model/roles.ts";
import {
  assetKind,
  environmentAssets,
  reachOf,
  roleDefinitionOf,
  scopeCovers,
  subjectClaim,
  tenantWritesOf,
  writesOf,
} from "../../policy/reach.ts";
import { indexStack } from "../../policy/stack.ts";

const SUB = (n: number) => `/subscriptions/00000000-0000-0000-0000-00000000000${n}`;
const ACCOUNT = `${SUB(9)}/resourceGroups/state/providers/Microsoft.Storage/storageAccounts/st`;
const STATE = `${ACCOUNT}/blobServices/default/containers`;
const KEYS = `${SUB(9)}/resourceGroups/state/providers/Microsoft.KeyVault/vaults/kv/keys`;
const roleId = (guid: string) => `${SUB(9)}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

let resources: PlannedResource[] = [];
const add = (type: string, name: string, inputs: Record<string, unknown>, parent?: string): PlannedResource => {
  const r = {
    urn: `urn:pulumi:s::p::${type}::${name}`,
    type,
    name,
    custom: !type.startsWith("s2s-auth:"),
    parent,
    protect: false,
    inputs,
  };
  resources.push(r);
  return r;
};
/** An identity: component, app with its tag, service principal, credentials; grants under it. */
function identity(name: string, tag: string, subjects: string[], grants: [string, string][] = []) {
  const owner = add(RESOURCE_TYPE.pipelineIdentity, name, {});
  add(RESOURCE_TYPE.application, `${name}-app`, { tags: [tag] }, owner.urn);
  for (const s of subjects)
    add(RESOURCE_TYPE.federatedIdentityCredential, `${name}-fic-${s}`, { subject: `repo:o/r:${s}` }, owner.urn);
  grants.forEach(([role, scope], i) =>
    add(RESOURCE_TYPE.roleAssignment, `${name}-grant-${i}`, { roleDefinitionId: roleId(role), scope }, owner.urn),
  );
  return owner;
}
const view = () => indexStack(resources);
const identityNamed = (name: string) =>
  view()
    .federatedIdentities()
    .find((i) => i.owner.name === name)!;
const reach = (name: string) =>
  reachOf(identityNamed(name), view()).map((r) => `${r.access} ${r.asset.environment} ${r.asset.kind}`);

beforeEach(() => {
  resources = [];
});

test("assets by the shape of their ARM id; scopes cover themselves and what is under them", () => {
  expect([assetKind(SUB(1)), assetKind(`${STATE}/dev`), assetKind(`${KEYS}/dev`), assetKind(`${SUB(1)}/x`)]).toEqual([
    "subscription",
    "state",
    "key",
    undefined,
  ]);
  expect(scopeCovers(SUB(9), `${STATE}/dev`)).toBe(true);
  expect(scopeCovers(`${STATE}/dev`, `${STATE}/dev`)).toBe(true);
  expect(scopeCovers(`${STATE}/dev`, `${STATE}/dev2`)).toBe(false);
});

test("an environment's assets are its deployer's grants; a reader's stray grant makes none", () => {
  identity(
    "deploy-dev",
    `${DEPLOYS_TAG}dev`,
    ["environment:dev"],
    [
      [AZURE_ROLES.contributor.id, SUB(1)],
      [AZURE_ROLES.blobDataContributor.id, `${STATE}/dev`],
    ],
  );
  identity("preview-dev", `${READS_TAG}dev`, ["pull_request"], [[AZURE_ROLES.reader.id, SUB(2)]]);
  expect(environmentAssets(view()).map((a) => `${a.environment} ${a.kind} ${a.scope}`)).toEqual([
    `dev subscription ${SUB(1)}`,
    `dev state ${STATE}/dev`,
  ]);
});

test("reach by definition: a subscription's Contributor writes the state and manages the key in it", () => {
  identity(
    "deploy-prod",
    `${DEPLOYS_TAG}prod`,
    ["environment:prod"],
    [
      [AZURE_ROLES.blobDataContributor.id, `${STATE}/prod`],
      [AZURE_ROLES.keyVaultCryptoUser.id, `${KEYS}/prod`],
    ],
  );
  identity("deploy-ops", `${DEPLOYS_TAG}ops`, ["environment:ops"], [[AZURE_ROLES.contributor.id, SUB(9)]]);
  identity("reader", `${READS_TAG}ops`, ["environment:ops"], [[AZURE_ROLES.blobDataReader.id, `${STATE}/prod`]]);
  expect(reach("deploy-ops")).toEqual(["write prod state", "manage prod key", "write ops subscription"]);
  // A grant on a resource inside a subscription reaches that much of the subscription's environment.
  expect(reach("reader")).toEqual(["read prod state", "read ops subscription"]);
  // Prod's state and key lie inside ops's subscription: prod's deployer reaches that much of ops.
  expect(reach("deploy-prod")).toEqual([
    "write prod state",
    "write ops subscription",
    "manage prod key",
    "write ops subscription",
  ]);
});

test("a custom role is judged by the RoleDefinition the stack declares; an unknown role writes all it covers", () => {
  add(RESOURCE_TYPE.roleDefinition, "decrypt", {
    roleDefinitionId: "11111111-2222-3333-4444-555555555555",
    roleName: "decrypt only",
    permissions: [{ dataActions: ["Microsoft.KeyVault/vaults/keys/decrypt/action"] }],
  });
  identity(
    "deploy-dev",
    `${DEPLOYS_TAG}dev`,
    ["environment:dev"],
    [
      ["11111111-2222-3333-4444-555555555555", `${KEYS}/dev`],
      ["99999999-2222-3333-4444-555555555555", `${STATE}/dev`],
    ],
  );
  const grants = identityNamed("deploy-dev").grants;
  expect(roleDefinitionOf(grants[0]!, view())?.name).toBe("decrypt only");
  expect(roleDefinitionOf(grants[1]!, view())).toBeUndefined();
  expect(reach("deploy-dev")).toEqual(["use dev key", "write dev state"]);
  expect(writesOf(identityNamed("deploy-dev"), view())).toEqual([
    "Azure role 99999999-2222-3333-4444-555555555555 (deploy-dev-grant-1): an Azure role the stack does not define",
  ]);
});

test("Graph: a write with constraint All reaches the tenant; OwnedBy and reads do not", () => {
  const owner = identity("deploy-dev", `${DEPLOYS_TAG}dev`, ["environment:dev"]);
  for (const p of [
    GRAPH_PERMISSIONS.appRoleAssignmentReadWriteAll,
    GRAPH_PERMISSIONS.applicationReadWriteOwnedBy,
    GRAPH_PERMISSIONS.applicationReadAll,
  ])
    add(RESOURCE_TYPE.appRoleAssignment, `deploy-dev-graph-${p.name}`, { appRoleId: p.id }, owner.urn);
  expect(tenantWritesOf(identityNamed("deploy-dev"), view()).map((g) => g.name)).toEqual([
    "AppRoleAssignment.ReadWrite.All",
  ]);
  expect(writesOf(identityNamed("deploy-dev"), view())).toEqual([
    "Graph AppRoleAssignment.ReadWrite.All (deploy-dev-graph-AppRoleAssignment.ReadWrite.All)",
    "Graph Application.ReadWrite.OwnedBy (deploy-dev-graph-Application.ReadWrite.OwnedBy)",
  ]);
});

test("a subject claim is what follows repo:<owner>/<name>:", () => {
  const credential = add(RESOURCE_TYPE.federatedIdentityCredential, "c", { subject: "repo:o/r:environment:prod" });
  expect(subjectClaim(credential)).toBe("environment:prod");
  expect(subjectClaim({ ...credential, inputs: {} })).toBeUndefined();
});
