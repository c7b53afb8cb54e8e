// The pulumi/actions stand-in's `pulumi` (action.yml beside it says why): before a command that
// reaches Azure, the OIDC sign-in the Azure providers make for ARM_CLIENT_ID in ARM_TENANT_ID
// (pulumi-azure-native auth_azidentity.go with ARM_USE_OIDC: a GitHub token from the job's endpoint,
// exchanged for the client); a refusal stops it as the provider's would. Then the CLI itself.
import { spawnSync } from "node:child_process";
import { pulumiReachesAzure, signIn } from "../../../runner/signin.ts";
import { log, runnerEnv } from "../../../runner/standin.ts";

const args = process.argv.slice(2);
const command = pulumiReachesAzure(args);
const clientId = process.env["ARM_CLIENT_ID"];
if (command !== undefined && clientId) {
  const result = await signIn(clientId, process.env["ARM_TENANT_ID"] ?? "");
  await log("provider sign-in", { ...result, command });
  if (!result.ok) {
    process.stderr.write(`error: the Azure providers could not sign in as ${clientId} with OIDC: ${result.error}\n`);
    process.exit(1);
  }
}
const cli = spawnSync(runnerEnv("S2S_E2E_PULUMI"), args, { stdio: "inherit" });
process.exit(cli.status ?? 1);
