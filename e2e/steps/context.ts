// What the e2e steps share: the context they run on (the workspace, and what earlier steps leave
// for later ones), how a step declares what it needs of it, and the helpers several steps use.
import type { CliIo } from "../../tools/cli/args.ts";
import { defineStep } from "../runner.ts";
import type { Workspace } from "../workspace.ts";

/** The client ids of the pipeline's identities, as bootstrap/'s outputs (the GitHub variables) give them. */
export interface PipelineClients {
  deployReview: string;
  deployDev: string;
  previewDev: string;
  deployProd: string;
  previewProd: string;
}

/** Where each environment's state and secrets key live (ARM ids of a blob container and a Key Vault key). */
export interface StateScopes {
  containers: Record<"review" | "dev" | "prod", string>;
  keys: Record<"review" | "dev" | "prod", string>;
}

/**
 * What the bootstrap step leaves: the identities the stacks deploy as, and what the twin held after it.
 * Two tenants, as docs/deploying.md leads with: review and dev in the twin's default tenant (the dev
 * tenant), prod in a tenant of its own.
 */
export interface Bootstrapped {
  /** The dev tenant's all-powerful default deployer, who ran its bootstrap stack. */
  admin: string;
  /** The service principal of the deploy-dev identity bootstrap/ made, the dev stacks' deployer. */
  deployDev: string;
  /** The dev tenant's id (the twin's default tenant). */
  devTenant: string;
  /** The prod tenant's id and its subscription for prod. */
  prodTenant: string;
  prodSubscription: string;
  clients: PipelineClients;
  state: StateScopes;
  /** Objects in the twin once bootstrap/ is up: all that may be left when the stacks are destroyed. */
  objects: number;
}

/** The context of every e2e step. */
export interface Context {
  /** The copy of the project, its backend and its twin tenant. */
  readonly ws: Workspace;
  /** Where a step prints more than its detail line (the smoke cases). */
  readonly io: Pick<CliIo, "stderr">;
  /** Objects in the twin before bootstrap: the scopes seeded outside any stack (e2e/steps/index.ts). */
  readonly seeded: number;
  /** Given by the bootstrap step. */
  bootstrap?: Bootstrapped;
}

/** An e2e step, typed by what it needs: `step({ name, needs: ["bootstrap"], run: async (c) => … })`. */
export const step = defineStep<Context>();

/**
 * Environment of a command that signs in as deploy-prod in the prod tenant, as deploy.yml's prod job
 * does (the Azure providers read ARM_TENANT_ID, ARM_CLIENT_ID and ARM_SUBSCRIPTION_ID: twin/src/session.ts).
 */
export function asDeployProd(b: Bootstrapped): Record<string, string> {
  return { ARM_TENANT_ID: b.prodTenant, ARM_CLIENT_ID: b.clients.deployProd, ARM_SUBSCRIPTION_ID: b.prodSubscription };
}

/**
 * Environment of a stack's commands: dev and test deploy as deploy-dev in the dev tenant (the tenant's
 * deployer, `twin deployer --as`), prod as deploy-prod in the prod tenant.
 */
export function stackEnv(b: Bootstrapped, stack: string): Record<string, string> {
  return stack === "prod" ? asDeployProd(b) : {};
}

/** A new stack with dev's config, for a step of its own that must not touch dev. */
export async function copyOfDev(ws: Workspace, stack: string): Promise<void> {
  await ws.run("pulumi", ["stack", "init", stack, "--non-interactive"]);
  await ws.run("pulumi", ["config", "cp", "--stack", "dev", "--dest", stack]);
}

/** A stack's outputs as JSON, secrets shown. */
export async function outputs(ws: Workspace, stack: string): Promise<Record<string, unknown>> {
  return JSON.parse((await ws.pulumi(stack, ["stack", "output", "--json", "--show-secrets"])).stdout) as Record<
    string,
    unknown
  >;
}

/** What the twin holds that no tenant starts with: ARM resources by type, Graph objects, soft-deleted. */
export interface Remains {
  arm: { total: number; byType: Record<string, number> };
  graph: Record<string, number>;
  softDeleted: Record<string, number>;
}

export async function remains(ws: Workspace): Promise<Remains> {
  return JSON.parse((await ws.twin(["count"])).stdout) as Remains;
}

/** ARM resources and Graph objects together. */
export const total = (r: Remains): number => r.arm.total + Object.values(r.graph).reduce((a, b) => a + b, 0);
