// The app settings that tell a caller's code where its callees are (components/api/calleeEndpoint.ts).
import { calleeAppSettings } from "../../../components/api/calleeEndpoint.ts";

test("app setting names are the callee's name in upper case, hyphens as underscores", () => {
  expect(calleeAppSettings([{ name: "orders-api-v2", url: "u", applicationIdUri: "r" }])).toEqual([
    { name: "S2S_ORDERS_API_V2_URL", value: "u" },
    { name: "S2S_ORDERS_API_V2_RESOURCE", value: "r" },
  ]);
});
