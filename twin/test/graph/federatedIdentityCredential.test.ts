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
