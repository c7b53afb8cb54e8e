// twin/src/dataplane.ts: the Blob service and Key Vault answer a principal's request as its roles allow.
import { twinCommand } from "../src/commands.ts";
import { T, freshTwin } from "./fixture.ts";

const STATE = "/subscriptions/5d0f0000-0000-4000-8000-000000000000/resourceGroups/pulumi-state/providers";
const ACCOUNT = `${STATE}/Microsoft.Storage/storageAccounts/state`;
const DEV = `${ACCOUNT}/blobServices/default/containers/dev`;
const REVIEW = `${ACCOUNT}/blobServices/default/containers/review`;
const KEY = `${STATE}/Microsoft.KeyVault/vaults/state/keys/review`;
const role = (guid: string) =>
  `/subscriptions/5d0f0000-0000-4000-8000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const BLOB_DATA_CONTRIBUTOR = role("ba92f5b4-2d11-453d-a403-e96b0029c9fe");
const KEY_VAULT_CRYPTO_USER = role("12338af0-0e69-4776-bea7-57ae8d297424");

describe("the data planes", () => {
  it("answers as the service: allowed by a data action, refused with its 403", async () => {
    const twin = freshTwin();
    const cli = (...args: string[]) => twinCommand(args, twin.path);
    for (const [id, type] of [
      [DEV, "Microsoft.Storage/storageAccounts/blobServices/containers"],
      [REVIEW, "Microsoft.Storage/storageAccounts/blobServices/containers"],
      [KEY, "Microsoft.KeyVault/vaults/keys"],
    ] as const)
      cli("add-resource", id, type);
    const app = await twin.create(T.app, "deploy-review", { displayName: "deploy-review" });
    const sp = await twin.create(T.sp, "deploy-review", { clientId: app.outs.clientId! });
    const as = String(sp.outs.objectId);
    const assign = (name: string, roleDefinitionId: string, scope: string) =>
      twin.create(T.roleAssignment, name, {
        principalId: as,
        principalType: "ServicePrincipal",
        roleDefinitionId,
        scope,
      });
    await assign("blobs", BLOB_DATA_CONTRIBUTOR, REVIEW);
    await assign("key", KEY_VAULT_CRYPTO_USER, KEY);

    expect(cli("request", "--as", as, "Put Blob", REVIEW)).toMatchObject({
      code: 0,
      stdout: "allowed: Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write\n",
    });
    // The container beside it: its own state is out of reach.
    expect(cli("request", "--as", as, "Get Blob", DEV)).toMatchObject({
      code: 3,
      stdout:
        "403 AuthorizationPermissionMismatch: This request is not authorized to perform this operation using this " +
        "permission.\n",
    });
    // Key Vault Crypto User may update (and so disable) the key it uses.
    expect(cli("request", "--as", String(app.outs.clientId), "Update Key", KEY).code).toBe(0);
    expect(cli("request", "--as", as, "Delete Key", KEY)).toMatchObject({
      code: 3,
      stdout: expect.stringContaining(
        `Caller: appid=${String(app.outs.clientId)};oid=${as};iss=https://sts.windows.net/${twin.state().tenantId}/\r\n` +
          "Action: 'Microsoft.KeyVault/vaults/keys/delete'",
      ),
    });
    expect(cli("request", "--as", as, "Get Blob", `${ACCOUNT}/blobServices/default/containers/none`)).toMatchObject({
      code: 3,
      stdout: "404 ContainerNotFound: The specified container does not exist.\n",
    });
    // An operation the data planes do not have is a wrong command line (exit 64, as every CLI of the project).
    expect(cli("request", "--as", as, "Frobnicate", KEY)).toMatchObject({
      code: 64,
      stderr: expect.stringContaining("unknown operation 'Frobnicate'"),
    });
  });
});
