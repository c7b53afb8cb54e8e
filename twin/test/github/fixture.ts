// A twin with a GitHub repository and two people who may review, and the github provider configured for
// the repository's owner, as bootstrap/ runs it.
import { twinCommand } from "../../src/commands.ts";
import type { GitHubRepository } from "../../src/state.ts";
import { type Twin, freshTwin } from "../fixture.ts";

export const OWNER = "contoso";
export const REPO = "s2s-auth";

export interface GitHubTwin extends Twin {
  /** GitHub user ids of the reviewers. */
  alice: number;
  bob: number;
  /** The repository as the twin keeps it. */
  repository(): GitHubRepository;
}

export function githubTwin(): GitHubTwin {
  const twin = freshTwin();
  const cli = (...args: string[]) => Number(twinCommand(args, twin.path).stdout.trim());
  cli("add-repository", `${OWNER}/${REPO}`);
  const alice = cli("add-github-user", "alice");
  const bob = cli("add-github-user", "bob");
  twin.github.configure({ "github:config:owner": OWNER, "github:config:token": "ghp_twin" });
  return {
    ...twin,
    alice,
    bob,
    repository: () => twin.world().github.repositories[`${OWNER}/${REPO}`]!,
  };
}
