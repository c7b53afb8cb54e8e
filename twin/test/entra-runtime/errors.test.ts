// twin/src/entra-runtime/errors.ts: the token endpoint's AADSTS errors and the body Entra sends them in.
import { AADSTS, aadstsText, errorBody } from "../../src/entra-runtime/errors.ts";

describe("the token endpoint's errors", () => {
  it("sends an AADSTS error in Entra's body: code, description with trace ids, suberror", () => {
    const err = AADSTS.consentRequired("c0000000-0000-4000-8000-000000000001", "ci");
    expect(err).toMatchObject({ status: 400, error: "invalid_grant", code: 65001, suberror: "consent_required" });
    const body = errorBody(err, new Date("2030-01-02T03:04:05.678Z"));
    expect(body).toMatchObject({
      error: "invalid_grant",
      error_codes: [65001],
      timestamp: "2030-01-02 03:04:05Z",
      suberror: "consent_required",
    });
    expect(String(body.error_description)).toMatch(
      new RegExp(`^${aadstsText(err).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\r\nTrace ID: [0-9a-f-]{36}\r\n`),
    );
    expect(aadstsText(AADSTS.tenantNotFound("t"))).toBe("AADSTS90002: Tenant 't' not found.");
  });
});
