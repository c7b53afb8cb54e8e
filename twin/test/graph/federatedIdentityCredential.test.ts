// twin/src/graph/federatedIdentityCredential.ts: federated identity credentials, as Graph allows them.
import { T, apiIn, freshTwin } from "../fixture.ts";

describe("azuread ApplicationFederatedIdentityCredential", () => {
  it("allows at most 20 federated identity credentials per application", async () => {
    const twin = freshTwin();
    const { app } = await apiIn(twin);
    const cred = (i: number) => ({
      applicationId: app.id,
      displayName: `c${i}`,
      issuer: "https://token.actions.githubusercontent.com",
      subject: `repo:o/r:environment:e${i}`,
      audiences: ["api://AzureADTokenExchange"],
    });
    for (let i = 0; i < 20; i++) await twin.create(T.fic, `c${i}`, cred(i));
    await expect(twin.create(T.fic, "c20", cred(20))).rejects.toThrow(/maximum of 20/);
  });
});

describe("azuread ApplicationFederatedIdentityCredential, as azuread checks it", () => {
  it("validates the name and audience as azuread does", async () => {
    const twin = freshTwin();
    const { app } = await apiIn(twin);
    const base = {
      applicationId: app.id,
      displayName: "deploy",
      issuer: "https://token.actions.githubusercontent.com",
      subject: "repo:o/r:environment:dev",
      audiences: ["api://AzureADTokenExchange"],
    };
    await expect(twin.create(T.fic, "long", { ...base, displayName: "x".repeat(121) })).rejects.toThrow(
      /displayName to be in the range \(1 - 120\)/,
    );
    await expect(twin.create(T.fic, "two", { ...base, audiences: ["a", "b"] })).rejects.toThrow(
      /audiences: attribute supports at most 1 item/,
    );
    await expect(twin.create(T.fic, "ok", base)).resolves.toMatchObject({ outs: { displayName: "deploy" } });
  });
});
