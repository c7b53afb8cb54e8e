// twin/src/github/actionsVariable.ts: a repository's Actions variables.
import { T } from "../fixture.ts";
import { REPO, githubTwin } from "./fixture.ts";

describe("github ActionsVariable", () => {
  it("keeps the variable under GitHub's upper-cased name, and refuses a second of the same name", async () => {
    const twin = githubTwin();
    const v = await twin.create(T.variable, "tenant", {
      repository: REPO,
      variableName: "azure_tenant_id",
      value: "t1",
    });
    expect(v.id).toBe(`${REPO}:azure_tenant_id`);
    expect(v.outs).toMatchObject({ variableName: "azure_tenant_id", value: "t1", repositoryId: twin.repository().id });
    expect(twin.repository().variables.AZURE_TENANT_ID?.value).toBe("t1");
    await expect(
      twin.create(T.variable, "again", { repository: REPO, variableName: "AZURE_TENANT_ID", value: "t2" }),
    ).rejects.toThrow(/409 Already exists - Variable AZURE_TENANT_ID already exists/);
    const urn = twin.urn(T.variable, "tenant");
    const updated = await twin.github.update!(v.id, urn, v.outs, { ...v.inputs, value: "t3" });
    expect(updated.outs).toMatchObject({ value: "t3" });
    await twin.github.delete!(v.id, urn, updated.outs);
    expect((await twin.github.read!(v.id, urn, updated.outs)).id).toBe("");
  });

  it("checks the name as the provider does and the size as GitHub does", async () => {
    const twin = githubTwin();
    const make = (variableName: string, value = "x") =>
      twin.create(T.variable, "v", { repository: REPO, variableName, value });
    await expect(make("1ST")).rejects.toThrow(/secret names can only contain alphanumeric characters or underscores/);
    await expect(make("GITHUB_SHA")).rejects.toThrow(/must not start with the GITHUB_ prefix/);
    await expect(make("BIG", "x".repeat(48 * 1024 + 1))).rejects.toThrow(
      /422 Validation Failed: a variable holds at most/,
    );
  });
});
