/**
 * The GitHub twin (answers as @pulumi/github 6.15.0, terraform-provider-github v6.13.0 bridged): the
 * registry of the type tokens it models, each mapped to its handler in twin/src/github/<type>.ts. What
 * bootstrap/ declares of the repository's settings (environments and their protection, variables) is kept
 * in the state's `github`, in GitHub's REST shapes.
 */
import { GITHUB_CLIENT } from "./faults.ts";
import { actionsEnvironmentVariable } from "./github/actionsEnvironmentVariable.ts";
import { actionsVariable } from "./github/actionsVariable.ts";
import { repositoryEnvironment } from "./github/repositoryEnvironment.ts";
import { repositoryEnvironmentDeploymentPolicy } from "./github/repositoryEnvironmentDeploymentPolicy.ts";
import { type GitHubSession, githubSession } from "./github/shared.ts";
import type { PackageTable } from "./provider.ts";

export const GITHUB: PackageTable<GitHubSession> = {
  name: "github",
  version: "6.15.0",
  // A Terraform-bridged provider: no `__inputs`, diffs against the outputs (twin/src/provider.ts).
  keepInputs: false,
  retry: GITHUB_CLIENT,
  resources: {
    "github:index/repositoryEnvironment:RepositoryEnvironment": repositoryEnvironment,
    "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy":
      repositoryEnvironmentDeploymentPolicy,
    "github:index/actionsVariable:ActionsVariable": actionsVariable,
    "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": actionsEnvironmentVariable,
  },
  invokes: {},
  session: githubSession,
};
