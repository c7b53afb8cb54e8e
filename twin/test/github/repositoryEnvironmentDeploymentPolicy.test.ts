// twin/src/github/repositoryEnvironmentDeploymentPolicy.ts: the branches and tags an environment lets deploy.
import { T } from "../fixture.ts";
import { REPO, githubTwin } from "./fixture.ts";

describe("github RepositoryEnvironmentDeploymentPolicy", () => {
  it("adds a branch pattern to an environment with custom branch policies, once per pattern", async () => {
    const twin = githubTwin();
    await twin.create(T.environment, "dev", {
      repository: REPO,
      environment: "dev",
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    const main = await twin.create(T.branchPolicy, "dev-main", {
      repository: REPO,
      environment: "dev",
      branchPattern: "main",
    });
    expect(main.id).toBe(`${REPO}:dev:${String(main.outs.policyId)}`);
    expect(twin.repository().environments.dev?.branch_policies).toEqual({
      [String(main.outs.policyId)]: { id: main.outs.policyId, name: "main", type: "branch" },
    });
    // GitHub answers 303 to the same pattern and the client follows it to the policy that exists.
    const again = await twin.create(T.branchPolicy, "again", {
      repository: REPO,
      environment: "dev",
      branchPattern: "main",
    });
    expect(again.outs.policyId).toBe(main.outs.policyId);
    const urn = twin.urn(T.branchPolicy, "dev-main");
    const renamed = await twin.github.update!(main.id, urn, main.outs, { ...main.inputs, branchPattern: "release/*" });
    expect(renamed.outs).toMatchObject({ branchPattern: "release/*", policyId: main.outs.policyId });
    await twin.github.delete!(main.id, urn, renamed.outs);
    expect(twin.repository().environments.dev?.branch_policies).toEqual({});
  });

  it("is refused on an environment without custom branch policies, and needs exactly one pattern", async () => {
    const twin = githubTwin();
    await twin.create(T.environment, "prod", {
      repository: REPO,
      environment: "prod",
      deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: false },
    });
    await expect(
      twin.create(T.branchPolicy, "p", { repository: REPO, environment: "prod", branchPattern: "main" }),
    ).rejects.toThrow(
      "POST https://api.github.com/repos/contoso/s2s-auth/environments/prod/deployment-branch-policies: 404 Not Found []",
    );
    await expect(
      twin.create(T.branchPolicy, "p", { repository: REPO, environment: "prod", branchPattern: "a", tagPattern: "b" }),
    ).rejects.toThrow('"branch_pattern": one of `branch_pattern,tag_pattern` must be specified');
  });
});
