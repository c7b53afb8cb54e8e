// The GitHub side of the pipeline's trust, as code (@pulumi/github): each GitHub environment an
// identity trusts, with its protection rules (required reviewers, no self-review, no admin bypass,
// deployment only from main) and the variables its jobs read, and the repository variables the
// pull request preview reads. The policy rules (policy/rules/github.ts) judge what is declared here.
//
// Sources: GitHub Docs, "Managing environments for deployment" (required reviewers: up to six users
// or teams, one approval lets a job proceed; prevent self-review; deployment branches and tags);
// "Reviewing deployments" (every job that references an environment with required reviewers waits
// for approval); @pulumi/github 6.15.0 RepositoryEnvironment, RepositoryEnvironmentDeploymentPolicy,
// ActionsEnvironmentVariable and ActionsVariable.
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import type * as Github from "@pulumi/github";
import { DEPLOY_BRANCH, RESOURCE_TYPE } from "../model/index.ts";

// The package's index has one lazy getter per resource; require() keeps them lazy (an ES import
// of the namespace would load every module), as components/azureNative.ts does for azure-native.
const require = createRequire(import.meta.url);
export const github: typeof Github = require("@pulumi/github");

/** The variables of each GitHub environment: its identity's sign-in and its environment's state. */
export const ENVIRONMENT_VARIABLES = [
  "AZURE_CLIENT_ID",
  "AZURE_TENANT_ID",
  "AZURE_SUBSCRIPTION_ID",
  "PULUMI_BACKEND_URL",
  "PULUMI_SECRETS_PROVIDER",
] as const;

/**
 * The repository variables: the pull request preview's sign-in (its jobs have no environment).
 * Named apart from the environments' own, which would otherwise fall back to them (an environment
 * variable overrides a repository variable of the same name, GitHub Docs, "Store information in
 * variables").
 */
export const REPOSITORY_VARIABLES = [
  "AZURE_PREVIEW_CLIENT_ID",
  "AZURE_PREVIEW_TENANT_ID",
  "AZURE_PREVIEW_SUBSCRIPTION_ID",
  "PULUMI_PREVIEW_BACKEND_URL",
] as const;

export interface DeploymentEnvironmentArgs {
  /** The repository's name (its owner is the provider's). */
  repository: string;
  /** The GitHub environment's name, as the workflows' `environment:` says it. */
  environment: string;
  /** Required reviewers (GitHub user and team ids); absent: no approval. */
  reviewers?: { users: number[]; teams: number[] };
  variables: Record<(typeof ENVIRONMENT_VARIABLES)[number], pulumi.Input<string>>;
}

/** A GitHub environment, its deployment branch policy (main only) and its variables. */
export class DeploymentEnvironment extends pulumi.ComponentResource {
  constructor(name: string, args: DeploymentEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPE.deploymentEnvironment, name, {}, opts);
    const environment = new github.RepositoryEnvironment(
      `${name}-environment`,
      {
        repository: args.repository,
        environment: args.environment,
        // Nobody skips the rules, administrators included (the provider's default is true).
        canAdminsBypass: false,
        ...(args.reviewers
          ? { reviewers: [{ users: args.reviewers.users, teams: args.reviewers.teams }], preventSelfReview: true }
          : {}),
        // Only the branches the policies below name (main): a pull request's own workflow, whose
        // ref is refs/pull/<n>/merge, is refused before it gets a token.
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      },
      { parent: this },
    );
    new github.RepositoryEnvironmentDeploymentPolicy(
      `${name}-branch-${DEPLOY_BRANCH}`,
      { repository: args.repository, environment: args.environment, branchPattern: DEPLOY_BRANCH },
      { parent: this, dependsOn: [environment] },
    );
    for (const [variable, value] of Object.entries(args.variables)) {
      new github.ActionsEnvironmentVariable(
        `${name}-${variable}`,
        { repository: args.repository, environment: args.environment, variableName: variable, value },
        { parent: this, dependsOn: [environment] },
      );
    }
    this.registerOutputs({});
  }
}
