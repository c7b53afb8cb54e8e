// Always On of function apps (components/hosting/functionApp.ts): on a dedicated plan it is needed,
// or timer- and queue-triggered code stops once the runtime idles; plans that cannot have it get it off.
import { alwaysOnSupported } from "../../../components/hosting/functionApp.ts";
import { baseConfig, runProgram } from "../../fixtures/index.ts";

/** A function app that calls, and a web app that is called, on a plan of `sku`. */
function stack(sku: string): Record<string, unknown> {
  return {
    ...baseConfig("test"),
    "s2s-auth:appServicePlanSku": sku,
    "s2s-auth:callers": [{ name: "ingest", host: "functionApp", calls: [{ callee: "the-callee" }] }],
  };
}

async function siteConfigs(sku: string) {
  const run = await runProgram("test", stack(sku));
  const config = (name: string) => run.named(name).inputs["siteConfig"] as Record<string, unknown>;
  return { functionApp: config("ingest-site"), webApp: config("the-callee-site") };
}

// One plan per answer through the program; which plans have Always On is the rule's, tested below.
test("on a dedicated plan (B1), the function app is Always On", async () => {
  const { functionApp } = await siteConfigs("B1");
  expect(functionApp["alwaysOn"]).toBe(true);
});

// The other tiers without Always On (Shared, Elastic Premium, Consumption, Flex) are not plans the
// config accepts (APP_SERVICE_PLAN_SKUS); the pure rule below still answers for them.
test.each(["F1"])("on %s (no Always On), it is explicitly off", async (sku) => {
  const { functionApp } = await siteConfigs(sku);
  expect(functionApp["alwaysOn"]).toBe(false);
});

test("web apps keep Azure's default: Always On is a Functions requirement here", async () => {
  const { webApp } = await siteConfigs("B1");
  expect(webApp).not.toHaveProperty("alwaysOn");
});

test("the SKU rule reads the tier, not a list of today's sizes", () => {
  const dedicated = ["B1", "B2", "B3", "S1", "S3", "P1v2", "P0v3", "P3v3", "P1mv3", "P5mv3", "P0v4", "I6v2"];
  expect(dedicated.filter((sku) => !alwaysOnSupported(sku))).toEqual([]);
  expect(["F1", "D1", "EP2", "EP3", "Y1", "FC1", "WS1"].some(alwaysOnSupported)).toBe(false);
});
