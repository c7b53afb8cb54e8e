// twin/src/graph/errors.ts: Graph's errors as azuread reports them.
import { GRAPH_ERRORS, GraphError } from "../../src/graph/errors.ts";

describe("Graph's errors", () => {
  it("is a GraphError with Graph's status, code and message, as azuread reports it", () => {
    const error = GRAPH_ERRORS.authorizationRequestDenied();
    expect(error).toBeInstanceOf(GraphError);
    expect({ status: error.status, code: error.code, message: error.message }).toEqual({
      status: 403,
      code: "Authorization_RequestDenied",
      message:
        "unexpected status 403 with OData error: Authorization_RequestDenied: " +
        "Insufficient privileges to complete the operation.",
    });
  });
});
