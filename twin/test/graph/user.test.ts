// twin/src/graph/user.ts: azuread's getUser.
import { withState } from "../../src/state.ts";
import { freshTwin } from "../fixture.ts";

describe("azuread getUser", () => {
  it("finds users by user principal name", async () => {
    const twin = freshTwin();
    withState((state) => {
      state.graph.users.u1 = { id: "u1", userPrincipalName: "dev@contoso.example", displayName: "Dev" };
    });
    expect(
      (await twin.graph.invoke!("azuread:index/getUser:getUser", { userPrincipalName: "DEV@contoso.example" })).outputs,
    ).toMatchObject({ objectId: "u1" });
    await expect(
      twin.graph.invoke!("azuread:index/getUser:getUser", { userPrincipalName: "nobody@contoso.example" }),
    ).rejects.toThrow(/not found/);
  });
});
