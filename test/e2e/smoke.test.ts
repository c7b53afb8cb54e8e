// How npm run e2e maps stack outputs onto the twin's front doors and reads Entra's refusals.
import { calleesGrantedTo, refusalCode, siteFor, type StackOutputs } from "../../e2e/smoke.ts";

const outputs: StackOutputs = {
  callees: {
    orders: {
      url: "https://orders-1.azurecontainerapps.io",
      applicationIdUri: "api://o",
      servicePrincipalObjectId: "sp-orders",
    },
    ledger: {
      url: "https://ledger-2.azurewebsites.net",
      applicationIdUri: "api://l",
      servicePrincipalObjectId: "sp-ledger",
    },
  },
};

test("siteFor finds the site whose Azure host name is the URL's host, in any case", () => {
  const sites = { a: { host: "orders-1.azurecontainerapps.io" }, b: { host: "Ledger-2.azurewebsites.net" } };
  expect(siteFor({ sites } as never, "https://LEDGER-2.azurewebsites.net/")).toBe("b");
  expect(siteFor({ sites } as never, "https://other.azurewebsites.net")).toBeUndefined();
});

test("calleesGrantedTo lists the callees whose service principal the principal holds an assignment on", () => {
  const assignments = [
    { principalId: "mi-ingest", resourceId: "sp-orders" },
    { principalId: "mi-orders", resourceId: "sp-ledger" },
  ];
  expect(calleesGrantedTo(outputs, assignments, "mi-ingest")).toEqual(["orders"]);
  expect(calleesGrantedTo(outputs, assignments, "mi-orders")).toEqual(["ledger"]);
  expect(calleesGrantedTo(outputs, assignments, "nobody")).toEqual([]);
});

test("refusalCode reads the AADSTS code from a token or identity endpoint refusal, else the status", () => {
  expect(
    refusalCode(400, {
      error: "invalid_grant",
      error_description: "AADSTS501051: Application 'x' is not assigned to a role",
    }),
  ).toBe("AADSTS501051");
  expect(refusalCode(400, { message: "AADSTS65001: consent" })).toBe("AADSTS65001");
  expect(refusalCode(500, {})).toBe("HTTP 500");
});
