// model/index.ts: the model loads no Pulumi SDK, so the policy pack and scripts import it cheaply.
const SDK_PACKAGES = ["@pulumi/pulumi", "@pulumi/policy", "@pulumi/azure-native", "@pulumi/azuread"];
for (const name of SDK_PACKAGES) {
  jest.mock(name, () => {
    throw new Error(`loaded ${name}`);
  });
}

describe("the model", () => {
  test("loads without any Pulumi SDK", async () => {
    await expect(import("../../model/index.ts")).resolves.toHaveProperty("RESOURCE_TYPE");
  });

  test("the check above would see an SDK import (the recorder loads one)", async () => {
    await expect(import("../../plan/recorder.ts")).rejects.toThrow(/loaded @pulumi\//);
  });
});
