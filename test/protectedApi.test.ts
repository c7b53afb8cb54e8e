import * as pulumi from "@pulumi/pulumi";
import { Hosting } from "../components/hosting.ts";
import { ProtectedApi } from "../components/protectedApi.ts";

let n = 0;
function declareApi(): ProtectedApi {
  const hosting = new Hosting(`h-${++n}`, { location: "westeurope", sku: "B1", containerApps: false });
  return new ProtectedApi(`api`, {
    hosting,
    host: "appService",
    displayName: "api-dev",
    appRoles: [{ value: "Invoke", displayName: "Invoke", description: "Call it." }],
  });
}

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: `${args.name}-id`,
        state: { ...args.inputs, identity: { principalId: `${args.name}-principal` } },
      }),
      call: () => ({ objectId: "o", clientId: "c", tenantId: "t" }),
    },
    "s2s-auth",
    "dev",
  );
});

test("allow() takes every caller at once: a second call is a programming error", () => {
  const api = declareApi();
  api.allow([]);
  expect(() => api.allow([])).toThrow('ProtectedApi "api": allow() must be called once, with every caller');
});

test("allow() refuses a role the API does not declare", () => {
  const api = declareApi();
  const identity = pulumi.output({ objectId: "o", clientId: "c" });
  expect(() => api.allow([{ caller: "x", identity, role: "Admin" }])).toThrow('api has no app role "Admin"');
});

test("an API without app roles is refused", () => {
  const hosting = new Hosting("h2", { location: "westeurope", sku: "B1", containerApps: false });
  expect(
    () => new ProtectedApi("bare", { hosting, host: "appService", displayName: "bare-dev", appRoles: [] }),
  ).toThrow("bare: at least one app role is required");
});
