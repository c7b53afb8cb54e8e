// twin/src/arm/errors.ts: ARM's errors as azure-native reports them.
import { ARM_ERRORS, CloudError } from "../../src/arm/errors.ts";

describe("ARM's errors", () => {
  it("is a CloudError with ARM's status, code and message, as azure-native reports it", () => {
    expect(new CloudError(404, "ResourceNotFound", "x").message).toBe('Status=404 Code="ResourceNotFound" Message="x"');
    const error = ARM_ERRORS.resourceGroupNotFound("rg-dev");
    expect(error).toBeInstanceOf(CloudError);
    expect({ status: error.status, code: error.code, message: error.message }).toEqual({
      status: 404,
      code: "ResourceGroupNotFound",
      message: `Status=404 Code="ResourceGroupNotFound" Message="Resource group 'rg-dev' could not be found."`,
    });
  });
});
