// The bootstrap stack's configuration, validated like the main program's (one zod schema, one
// line naming the stack and the key), with the main program's validators where they overlap.
// One bootstrap stack per Entra tenant: it names its tenant and the environments whose
// identities live there, each with its own subscription, state container and secrets key.
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
import { BOOTSTRAP_PROJECT, REVIEWED_ENVIRONMENTS } from "../model/index.ts";

/** The repository every shipped stack file names: it must never be federated. */
export const PLACEHOLDER_OWNERS: readonly string[] = ["contoso-placeholder"];

/** The environments the pipeline deploys, in the order their trust grows. */
export const PIPELINE_ENVIRONMENTS = ["review", "dev", "prod"] as const;
export type PipelineEnvironment = (typeof PIPELINE_ENVIRONMENTS)[number];

/**
 * The sentence `s2s-auth-bootstrap:sharedTenant` must hold, word for word, for a stack that keeps
 * prod in the tenant of other environments: what the stack owner accepts by writing it.
 */
export const SHARED_TENANT_ACKNOWLEDGEMENT = "identities of review and dev can take over prod through Microsoft Graph";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// ARM ids of a state container and a secrets key (Microsoft.Storage, Microsoft.KeyVault).
const CONTAINER_ID =
  /^\/subscriptions\/([0-9a-f-]{36})\/resourceGroups\/([-\w._()]{1,90})\/providers\/Microsoft\.Storage\/storageAccounts\/([a-z0-9]{3,24})\/blobServices\/default\/containers\/([a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?)$/i;
const KEY_ID =
  /^\/subscriptions\/([0-9a-f-]{36})\/resourceGroups\/([-\w._()]{1,90})\/providers\/Microsoft\.KeyVault\/vaults\/([A-Za-z0-9-]{3,24})\/keys\/([A-Za-z0-9-]{1,127})$/i;

// The main program's repository rule, so both projects accept exactly the same names.
const repository = stackConfigSchema.shape.ciAccess.unwrap().shape.repository;
const guid = z.string().regex(GUID, "must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
const containerId = z
  .string()
  .regex(
    CONTAINER_ID,
    "must be the ARM id of a blob container " +
      "(/subscriptions/…/storageAccounts/<account>/blobServices/default/containers/<container>)",
  );
const keyId = z
  .string()
  .regex(
    KEY_ID,
    "must be the ARM id of a Key Vault key (/subscriptions/…/providers/Microsoft.KeyVault/vaults/<vault>/keys/<key>)",
  );
// GitHub's numeric ids (`gh api users/<login> --jq .id`, `gh api orgs/<org>/teams/<slug> --jq .id`):
// what the environments API and @pulumi/github's RepositoryEnvironment take.
const githubIds = z.array(z.number().int().positive()).max(6).default([]);

/** Where a stack keeps its Pulumi state and encrypts its secrets. */
const stateSchema = z.strictObject({
  /** ARM id of the Blob container that holds the state. */
  stateContainerId: containerId,
  /** ARM id of the Key Vault key of the secrets provider. */
  secretsKeyId: keyId,
});

const environmentSchema = stateSchema.extend({
  /** The subscription its stacks deploy to. */
  subscriptionId: guid,
  /**
   * Who approves each run of its GitHub environment (required for review and prod): up to six
   * GitHub user and team ids; only one needs to approve.
   */
  reviewers: z.strictObject({ users: githubIds, teams: githubIds }).optional(),
});

export const bootstrapSchema = z
  .strictObject({
    /** GitHub "owner/name" whose workflows the identities trust and whose environments this stack declares. */
    repository,
    /** The Entra tenant this stack runs in; `pulumi up` refuses to run signed in to another. */
    tenantId: guid,
    /** The environments whose identities live in this tenant. */
    environments: z
      .strictObject({
        review: environmentSchema.optional(),
        dev: environmentSchema.optional(),
        prod: environmentSchema.optional(),
      })
      .refine((e) => Object.keys(e).length > 0, "must name at least one of review, dev, prod"),
    /** Where this bootstrap stack's own state lives: no identity it declares may reach it. */
    bootstrapState: stateSchema,
    /** Keeping prod in a tenant with other environments, acknowledged in these words. */
    sharedTenant: z.literal(SHARED_TENANT_ACKNOWLEDGEMENT).optional(),
  })
  .superRefine((cfg, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const envs = PIPELINE_ENVIRONMENTS.filter((e) => cfg.environments[e] !== undefined);
    const subscriptionOf = (id: string) => id.split("/")[2]!.toLowerCase();
    for (const env of envs) {
      const e = cfg.environments[env]!;
      if (
        REVIEWED_ENVIRONMENTS.includes(env) &&
        (e.reviewers?.users.length ?? 0) + (e.reviewers?.teams.length ?? 0) === 0
      )
        issue(
          ["environments", env, "reviewers"],
          `must name at least one GitHub user or team id: every ${env} run waits for one of them to approve it`,
        );
      // Each environment's own subscription, state and key: no identity of another can reach them.
      for (const other of envs.slice(envs.indexOf(env) + 1)) {
        const o = cfg.environments[other]!;
        for (const key of ["subscriptionId", "stateContainerId", "secretsKeyId"] as const)
          if (e[key].toLowerCase() === o[key].toLowerCase())
            issue(
              ["environments", other, key],
              `must differ from environments.${env}.${key}: each environment has its own`,
            );
      }
      // A deploy identity is Contributor in its subscription (account keys, vault settings):
      // another environment's state or key there would be within its reach.
      for (const other of envs.filter((x) => x !== env)) {
        const o = cfg.environments[other]!;
        for (const key of ["stateContainerId", "secretsKeyId"] as const)
          if (subscriptionOf(o[key]) === e.subscriptionId.toLowerCase())
            issue(
              ["environments", other, key],
              `must live outside environments.${env}.subscriptionId: ${env}'s deploy identity could reach it there`,
            );
      }
    }
    for (const key of ["stateContainerId", "secretsKeyId"] as const) {
      const own = cfg.bootstrapState[key];
      for (const env of envs) {
        const e = cfg.environments[env]!;
        if (own.toLowerCase() === e[key].toLowerCase())
          issue(
            ["bootstrapState", key],
            `must differ from environments.${env}.${key}: the bootstrap state is nobody's`,
          );
        else if (subscriptionOf(own) === e.subscriptionId.toLowerCase())
          issue(
            ["bootstrapState", key],
            `must live outside environments.${env}.subscriptionId: ${env}'s deploy identity could reach it there`,
          );
      }
    }
    const shared = cfg.environments.prod !== undefined && envs.length > 1;
    if (cfg.sharedTenant !== undefined && !shared)
      issue(["sharedTenant"], "acknowledges a shared tenant, but this stack keeps prod alone (or no prod): remove it");
  });

export type BootstrapConfig = z.output<typeof bootstrapSchema>;
export type EnvironmentConfig = NonNullable<BootstrapConfig["environments"][PipelineEnvironment]>;

/** The environments a stack holds, in {@link PIPELINE_ENVIRONMENTS} order. */
export function environmentsOf(cfg: BootstrapConfig): PipelineEnvironment[] {
  return PIPELINE_ENVIRONMENTS.filter((e) => cfg.environments[e] !== undefined);
}

/** `s2s-auth-bootstrap:environments.dev.subscriptionId`, written like the main program's keys. */
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
    const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
    throw new ConfigError(stack, keyOf(path), issue.code === "unrecognized_keys" ? "unknown key" : issueMessage(issue));
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
  return `azblob://${m[4]}?storage_account=${m[3]}`;
}

/** `azurekeyvault://<vault>.vault.azure.net/keys/<key>`: what `--secrets-provider` takes. */
export function secretsProviderUrl(secretsKeyId: string): string {
  const m = KEY_ID.exec(secretsKeyId)!;
  return `azurekeyvault://${m[3]}.vault.azure.net/keys/${m[4]}`;
}

/** The resource group an ARM id lives in (`/subscriptions/<s>/resourceGroups/<g>`). */
export function resourceGroupOf(id: string): string {
  return id.split("/").slice(0, 5).join("/");
}
