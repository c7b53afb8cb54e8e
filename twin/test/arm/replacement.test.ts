// twin/src/arm/replacement.json: what azure-native marks ForceNew, for every type the twin models.
import { AZURE_NATIVE, REPLACEMENT } from "../../src/arm.ts";

describe("azure-native's replacement metadata", () => {
  test("every type the twin models has an entry, naming where it comes from", () => {
    const types = REPLACEMENT.types as Record<string, { forceNew: string[]; from: string[] } | undefined>;
    for (const token of Object.keys(AZURE_NATIVE.resources)) {
      const entry = types[token];
      expect({ token, entry: entry !== undefined }).toEqual({ token, entry: true });
      if (entry!.forceNew.length > 0) expect(entry!.from.length).toBeGreaterThan(0);
    }
    expect(AZURE_NATIVE.resources["azure-native:web:WebApp"]!.replaceOn).toEqual([
      "resourceGroupName",
      "name",
      "kind",
      "location",
    ]);
  });
});
