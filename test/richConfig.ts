// A dev stack that uses every feature of the config: several callees and roles, a caller of
// two callees, developer tools, users by name and by id, a group. Determinism and lifecycle
// tests run it because every id and name kind appears in it.
import type { Registered } from "./harness.ts";

export function richDevConfig(): Record<string, unknown> {
  return {
    "azure-native:location": "westeurope",
    "s2s-auth:environment": "dev",
    "s2s-auth:appServicePlanSku": "B1",
    "s2s-auth:callees": [
      {
        name: "orders-api",
        appRoles: [
          { value: "Orders.Read", displayName: "Read orders", description: "Lists and reads orders." },
          { value: "Orders.Write" },
        ],
      },
      { name: "billing-api" },
    ],
    "s2s-auth:callers": [
      { name: "web-frontend", calls: [{ callee: "orders-api", role: "Orders.Read" }, { callee: "billing-api" }] },
      { name: "nightly-job", calls: [{ callee: "orders-api", role: "Orders.Write" }] },
    ],
    "s2s-auth:devAccess": {
      authorizedClients: ["azure-cli", "0a7d2c9e-6f51-4b8e-a9d3-5c1e7f2b4a60"],
      users: ["dev.one@contoso.example", "3F2504E0-4F89-41D3-9A0C-0305E82C3301"],
      groups: ["11111111-2222-3333-4444-555555555555"],
    },
  };
}

/** The stack as the engine would key it: URN → type and inputs, independent of declaration order. */
export function byUrn(resources: Registered[]): Map<string, { type: string; inputs: Record<string, unknown> }> {
  return new Map(resources.map((r) => [r.urn, { type: r.type, inputs: r.inputs }]));
}
