// twin/src/graph/preAuthorized.ts: pre-authorized client applications, as Graph allows them.
import { AZURE_CLI_APP_ID } from "../../src/state.ts";
import { SCOPE_ID, T, apiIn, freshTwin } from "../fixture.ts";

describe("azuread ApplicationPreAuthorized", () => {
  it("pre-authorizes clients only for scopes the application defines", async () => {
    const twin = freshTwin();
    const { app } = await apiIn(twin);
    const cli = AZURE_CLI_APP_ID;
    await expect(
      twin.create(T.preAuth, "bad", {
        applicationId: app.id,
        authorizedClientId: cli,
        permissionIds: ["0b1c2d3e-0000-4000-8000-000000000000"],
      }),
    ).rejects.toThrow(/not a permission scope/);
    const made = await twin.create(T.preAuth, "ok", {
      applicationId: app.id,
      authorizedClientId: cli,
      permissionIds: [SCOPE_ID],
    });
    expect(made.id).toBe(`${String(app.outs.objectId)}/preAuthorizedApplication/${cli}`);
    expect(made.outs).toEqual({ applicationId: app.id, authorizedClientId: cli, permissionIds: [SCOPE_ID] });
    // An update of the application keeps the pre-authorization, which its own resource manages.
    await twin.graph.update!(app.id, twin.urn(T.app, "api-app"), app.outs, { ...app.inputs, displayName: "renamed" });
    expect(await twin.graph.read!(made.id, twin.urn(T.preAuth, "ok"), made.outs)).toMatchObject({
      props: { permissionIds: [SCOPE_ID] },
    });
  });
});
