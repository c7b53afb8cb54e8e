// The bootstrap stack's configuration, validated like the main program's (one zod schema, one
// line naming the stack and the key), with the main program's validators where they overlap.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  ConfigError,
  decode,
  formatKeyPath,
  issueMessage,
  PROJECT as MAIN_PROJECT,
  stackConfigSchema,
} from "../config.ts";
import { BOOTSTRAP_PROJECT } from "../model/index.ts";

/** The repository every shipped stack file names: it must never be federated. */
export const PLACEHOLDER_OWNERS: readonly string[] = ["contoso-placeholder"];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// ARM ids of the state container and the secrets key (Microsoft.Storage, Microsoft.KeyVault).
const CONTAINER_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w._()]{1,90}\/providers\/Microsoft\.Storage\/storageAccounts\/([a-z0-9]{3,24})\/blobServices\/default\/containers\/([a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?)$/i;
const KEY_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w._()]{1,90}\/providers\/Microsoft\.KeyVault\/vaults\/([A-Za-z0-9-]{3,24})\/keys\/([A-Za-z0-9-]{1,127})$/i;
// GitHub branch names the preview identity trusts (`ref:refs/heads/<branch>`).
const BRANCH = /^[A-Za-z0-9._/-]{1,255}$/;

// The main program's repository rule, so both projects accept exactly the same names.
const repository = stackConfigSchema.shape.ciAccess.unwrap().shape.repository;
const guid = z.string().regex(GUID, "must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");

export const bootstrapSchema = z
  .strictObject({
    /** GitHub "owner/name" whose workflows the identities trust. */
    repository,
    /** The subscriptions the dev and prod stacks deploy to: separate, so deploy-dev cannot reach prod. */
    subscriptions: z.strictObject({ dev: guid, prod: guid }),
    /** ARM id of the Blob container that holds the Pulumi state. */
    stateContainerId: z
      .string()
      .regex(
        CONTAINER_ID,
        "must be the ARM id of a blob container " +
          "(/subscriptions/…/storageAccounts/<account>/blobServices/default/containers/<container>)",
      ),
    /** ARM id of the Key Vault key of the secrets provider. */
    secretsKeyId: z
      .string()
      .regex(
        KEY_ID,
        "must be the ARM id of a Key Vault key " +
          "(/subscriptions/…/providers/Microsoft.KeyVault/vaults/<vault>/keys/<key>)",
      ),
    /** Branches whose pushes may run a preview (deploy.yml's prod preview runs on main). */
    previewBranches: z.array(z.string().regex(BRANCH, "must be a branch name")).min(1).default(["main"]),
  })
  .superRefine((cfg, ctx) => {
    const dev = cfg.subscriptions.dev.toLowerCase();
    const prod = cfg.subscriptions.prod.toLowerCase();
    if (dev === prod) {
      ctx.addIssue({
        code: "custom",
        path: ["subscriptions", "prod"],
        message: "must differ from subscriptions.dev: with one subscription, deploy-dev's Contributor would reach prod",
      });
    }
    // A deploy identity is Contributor and may assign storage data roles in its subscription: a
    // state account or key vault there would be within its reach (its data, the vault's access
    // settings), and with it the other environment's state and secrets.
    for (const key of ["stateContainerId", "secretsKeyId"] as const) {
      const sub = cfg[key].split("/")[2]?.toLowerCase();
      if (sub === dev || sub === prod) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message:
            "must live in a subscription other than subscriptions.dev and subscriptions.prod: their deploy " +
            "identities could reach it there",
        });
      }
    }
  });

export type BootstrapConfig = z.output<typeof bootstrapSchema>;

/** `s2s-auth-bootstrap:subscriptions.dev`, written like the main program's keys. */
function keyOf(path: ReadonlyArray<PropertyKey>): string {
  return `${BOOTSTRAP_PROJECT}${formatKeyPath(path).slice(MAIN_PROJECT.length)}`;
}

/**
 * Validates raw config (keys without the namespace, values decoded). `deploying` refuses a
 * placeholder repository: a preview (and the offline plan) shows what would be created, an
 * update must never federate a repository that is not the user's.
 */
export function parseBootstrapConfig(stack: string, raw: Record<string, unknown>, deploying: boolean): BootstrapConfig {
  const result = bootstrapSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.code === "unrecognized_keys" && issue.path.length === 0 ? [issue.keys[0]!] : issue.path;
    throw new ConfigError(
      stack,
      keyOf(path),
      issue.code === "unrecognized_keys" && issue.path.length === 0 ? "unknown key" : issueMessage(issue),
    );
  }
  const owner = result.data.repository.split("/")[0]!.toLowerCase();
  if (deploying && PLACEHOLDER_OWNERS.includes(owner)) {
    throw new ConfigError(
      stack,
      keyOf(["repository"]),
      `"${result.data.repository}" is the shipped placeholder: set your own repository before \`pulumi up\``,
    );
  }
  return result.data;
}

/** This stack's bootstrap config from the Pulumi runtime. */
export function loadBootstrapConfig(): BootstrapConfig {
  const prefix = `${BOOTSTRAP_PROJECT}:`;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = decode(value);
  }
  return parseBootstrapConfig(pulumi.getStack(), raw, !pulumi.runtime.isDryRun());
}

/** `azblob://<container>?storage_account=<account>`: what `pulumi login` takes. */
export function backendUrl(stateContainerId: string): string {
  const m = CONTAINER_ID.exec(stateContainerId)!;
  return `azblob://${m[2]}?storage_account=${m[1]}`;
}

/** `azurekeyvault://<vault>.vault.azure.net/keys/<key>`: what `--secrets-provider` takes. */
export function secretsProviderUrl(secretsKeyId: string): string {
  const m = KEY_ID.exec(secretsKeyId)!;
  return `azurekeyvault://${m[1]}.vault.azure.net/keys/${m[2]}`;
}
