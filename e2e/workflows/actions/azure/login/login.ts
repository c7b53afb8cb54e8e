// The azure/login stand-in's step (action.yml beside it says what it replaces).
import { signIn } from "../../../runner/signin.ts";
import { fail, input, log, setEnv } from "../../../runner/standin.ts";

const clientId = input("client-id");
const tenantId = input("tenant-id");
if (clientId === "" || tenantId === "") {
  await log("azure/login", { ok: false, clientId, tenantId, error: "client-id or tenant-id is empty" });
  fail("client-id and tenant-id are required for OIDC (their variables are empty in this job)");
}
const result = await signIn(clientId, tenantId);
await log("azure/login", result);
if (result.subject !== undefined)
  process.stdout.write(`Federated token details:\n subject claim - ${result.subject}\n`);
if (!result.ok) fail(`Login failed with Error: ${result.error}`);
// The state's secrets key is reached through this sign-in; in the twin it is a passphrase.
setEnv("PULUMI_CONFIG_PASSPHRASE", "twin");
process.stdout.write(
  `azure/login stand-in: signed in as service principal ${result.principal} of tenant ${tenantId}\n`,
);
