// twin/src/github/actionsEnvironmentVariable.ts: an environment's Actions variables.
import { T } from "../fixture.ts";
import { REPO, githubTwin } from "./fixture.ts";

describe("github ActionsEnvironmentVariable", () => {
  it("keeps the variable in its environment, which must exist", async () => {
    const twin = githubTwin();
    const variable = { repository: REPO, environment: "dev", variableName: "AZURE_DEPLOY_CLIENT_ID", value: "c1" };
    await expect(twin.create(T.environmentVariable, "v", variable)).rejects.toThrow(
      "POST https://api.github.com/repos/contoso/s2s-auth/environments/dev/variables: 404 Not Found []",
    );
    await twin.create(T.environment, "dev", { repository: REPO, environment: "dev" });
    const v = await twin.create(T.environmentVariable, "v", variable);
    expect(v.id).toBe(`${REPO}:dev:AZURE_DEPLOY_CLIENT_ID`);
    expect(twin.repository().environments.dev?.variables.AZURE_DEPLOY_CLIENT_ID?.value).toBe("c1");
    const urn = twin.urn(T.environmentVariable, "v");
    expect(await twin.github.diff!(v.id, urn, v.outs, { ...v.inputs, environment: "prod" })).toMatchObject({
      replaces: ["environment"],
    });
    const updated = await twin.github.update!(v.id, urn, v.outs, { ...v.inputs, value: "c2" });
    expect(updated.outs).toMatchObject({ value: "c2", environment: "dev" });
  });
});
