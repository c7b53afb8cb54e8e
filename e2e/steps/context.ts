// What the e2e steps share: the context they run on (the workspace, and what earlier steps leave
// for later ones), how a step declares what it needs of it, and the helpers several steps use.
import type { CliIo } from "../../tools/cli/args.ts";
import { defineStep } from "../runner.ts";
import type { Workspace } from "../workspace.ts";

/** What the bootstrap step leaves: the identities the stacks deploy as, and what the twin held after it. */
export interface Bootstrapped {
  /** The twin's all-powerful default deployer, who ran bootstrap/. */
  admin: string;
  /** The service principal of the deploy-dev identity bootstrap/ made, the stacks' deployer. */
  deployDev: string;
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

/** Environment of a command that runs as the admin (`S2S_TWIN_DEPLOYER` picks the twin's deployer). */
export function asAdmin(b: Bootstrapped): Record<string, string> {
  return { S2S_TWIN_DEPLOYER: b.admin };
}

/**
 * Environment of a stack's commands. The twin has one subscription, where deploy-dev is Contributor:
 * prod runs as the admin there, as it would run as deploy-prod in its own subscription.
 */
export function stackEnv(b: Bootstrapped, stack: string): Record<string, string> {
  return stack === "prod" ? asAdmin(b) : {};
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
