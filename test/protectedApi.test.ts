import * as pulumi from "@pulumi/pulumi";
import { Hosting } from "../components/hosting/hosting.ts";
import { ProtectedApi } from "../components/api/protectedApi.ts";

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

test("allow() after seal() is a programming error: the allow-list is already settled", () => {
  const api = declareApi();
  const caller = { name: "late", identity: pulumi.output({ objectId: "o", clientId: "c" }) };
  api.seal();
  expect(() => api.allow(caller, "Invoke")).toThrow(
    'ProtectedApi "api": allow(late) after seal(); admit every caller first',
  );
});

test("seal() settles the allow-list once: a second call is a programming error", () => {
  const api = declareApi();
  api.seal();
  expect(() => api.seal()).toThrow('ProtectedApi "api": seal() must be called once');
});

test("allow() refuses a role the API does not declare", () => {
  const api = declareApi();
  const identity = pulumi.output({ objectId: "o", clientId: "c" });
  expect(() => api.allow({ name: "x", identity }, "Admin")).toThrow('api has no app role "Admin"');
});

test("an API without app roles is refused", () => {
  const hosting = new Hosting("h2", { location: "westeurope", sku: "B1", containerApps: false });
  expect(
    () => new ProtectedApi("bare", { hosting, host: "appService", displayName: "bare-dev", appRoles: [] }),
  ).toThrow("bare: at least one app role is required");
});
