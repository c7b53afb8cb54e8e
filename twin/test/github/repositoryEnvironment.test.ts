// twin/src/github/repositoryEnvironment.ts: environments and their protection, as GitHub keeps them.
import { twinCommand } from "../../src/commands.ts";
import { T } from "../fixture.ts";
import { REPO, githubTwin } from "./fixture.ts";

const prod = (reviewers: number[]) => ({
  repository: REPO,
  environment: "prod",
  preventSelfReview: true,
  reviewers: [{ users: reviewers }],
  deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
});

describe("github RepositoryEnvironment", () => {
  it("keeps required reviewers, self-review and the branch policy in GitHub's shape, and reads them back", async () => {
    const twin = githubTwin();
    const env = await twin.create(T.environment, "prod", prod([twin.alice, twin.bob]));
    expect(env.id).toBe(`${REPO}:prod`);
    expect(env.outs).toMatchObject({
      repository: REPO,
      environment: "prod",
      canAdminsBypass: true,
      preventSelfReview: true,
      waitTimer: 0,
      reviewers: [{ teams: [], users: [twin.alice, twin.bob] }],
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    const kept = twin.repository().environments.prod!;
    expect(kept.deployment_branch_policy).toEqual({ protected_branches: false, custom_branch_policies: true });
    expect(kept.protection_rules).toEqual([
      {
        id: expect.any(Number),
        type: "required_reviewers",
        prevent_self_review: true,
        reviewers: [
          { type: "User", reviewer: { id: twin.alice, login: "alice" } },
          { type: "User", reviewer: { id: twin.bob, login: "bob" } },
        ],
      },
      { id: expect.any(Number), type: "branch_policy" },
    ]);
    // Reviewers removed behind Pulumi's back show as drift on the next read.
    const urn = twin.urn(T.environment, "prod");
    twinCommand(["set", `github.repositories."contoso/s2s-auth".environments.prod.protection_rules`, "[]"], twin.path);
    const read = await twin.github.read!(env.id, urn, env.outs);
    expect(read.props).toMatchObject({ reviewers: [], preventSelfReview: false });
  });

  it("refuses what GitHub refuses: the same value for both branch policies, unknown reviewers, no token", async () => {
    const twin = githubTwin();
    await expect(
      twin.create(T.environment, "prod", {
        ...prod([twin.alice]),
        deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: true },
      }),
    ).rejects.toThrow(
      "PUT https://api.github.com/repos/contoso/s2s-auth/environments/prod: 422 Validation Failed: " +
        "deployment_branch_policy: protected_branches and custom_branch_policies cannot have the same value []",
    );
    await expect(twin.create(T.environment, "prod", prod([424242]))).rejects.toThrow(
      /422 Validation Failed: reviewer User 424242 does not exist/,
    );
    await expect(twin.create(T.environment, "x", { ...prod([twin.alice]), repository: "elsewhere" })).rejects.toThrow(
      "PUT https://api.github.com/repos/contoso/elsewhere/environments/prod: 404 Not Found []",
    );
    twin.github.configure({ "github:config:owner": "contoso" });
    await expect(twin.create(T.environment, "prod", prod([twin.alice]))).rejects.toThrow(/401 Requires authentication/);
  });

  it("checks its inputs as the provider does: wait timer range, six reviewers of a kind at most", async () => {
    const twin = githubTwin();
    await expect(twin.create(T.environment, "prod", { ...prod([]), waitTimer: 43_201 })).rejects.toThrow(
      "expected wait_timer to be in the range (0 - 43200), got 43201",
    );
    await expect(twin.create(T.environment, "prod", prod([1, 2, 3, 4, 5, 6, 7]))).rejects.toThrow(
      "reviewers[0].users: Too many list items: Attribute reviewers.0.users supports 6 item maximum, but config has 7",
    );
  });

  it("replaces on another environment name, updates in place otherwise, and deletes with its variables", async () => {
    const twin = githubTwin();
    const env = await twin.create(T.environment, "dev", {
      repository: REPO,
      environment: "dev",
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    const urn = twin.urn(T.environment, "dev");
    expect(await twin.github.diff!(env.id, urn, env.outs, { ...env.inputs, environment: "staging" })).toMatchObject({
      replaces: ["environment"],
    });
    const changed = { ...env.inputs, deploymentBranchPolicy: undefined, waitTimer: 5 };
    const updated = await twin.github.update!(env.id, urn, env.outs, changed);
    expect(updated.outs).toMatchObject({ waitTimer: 5 });
    expect(twin.repository().environments.dev?.deployment_branch_policy).toBeNull();
    await twin.create(T.environmentVariable, "v", {
      repository: REPO,
      environment: "dev",
      variableName: "AZURE_DEPLOY_CLIENT_ID",
      value: "x",
    });
    await twin.github.delete!(env.id, urn, updated.outs);
    expect(twin.repository().environments).toEqual({});
  });
});
