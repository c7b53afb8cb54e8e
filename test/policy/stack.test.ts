// policy/stack.ts: the index the rules query. Small hand-built stacks, so that each relation
// (parent, placeholder reference) is tested on its own.
import type { PlannedResource } from "../../policy/model.ts";
import { asList, indexStack, isBookkeeping, outputAgreement, placeholderRef, T, valueAt } from "../../policy/stack.ts";

const urnOf = (type: string, name: string, parents: string[] = []) =>
  `urn:pulumi:dev::s2s-auth::${[...parents, type].join("$")}::${name}`;

function resource(
  type: string,
  name: string,
  parent?: PlannedResource,
  inputs: Record<string, unknown> = {},
): PlannedResource {
  return {
    urn: urnOf(type, name, parent ? [parent.type] : []),
    type,
    name,
    custom: !type.startsWith("s2s-auth:"),
    parent: parent?.urn,
    protect: false,
    inputs,
  };
}
const ref = (r: PlannedResource, output: string) => `\${${r.urn}#${output}}`;

describe("valueAt", () => {
  test("reads nested objects and list elements", () => {
    expect(valueAt({ a: { b: [{ c: 1 }] } }, "a", "b", 0, "c")).toBe(1);
    expect(valueAt({ a: 1 })).toEqual({ a: 1 });
  });
  test("is undefined past a missing, null or scalar value", () => {
    expect(valueAt({ a: null }, "a", "b")).toBeUndefined();
    expect(valueAt({ a: "text" }, "a", "length")).toBeUndefined();
    expect(valueAt(undefined, "a")).toBeUndefined();
    expect(valueAt({}, "a", "b")).toBeUndefined();
  });
});

test("asList is the array itself, or undefined for anything else", () => {
  const values = [1, undefined];
  expect(asList(values)).toBe(values);
  expect(asList("a,b")).toBeUndefined();
  expect(asList({ 0: "a", length: 1 })).toBeUndefined();
});

describe("placeholderRef", () => {
  test("reads the URN and output of an offline-plan placeholder", () => {
    expect(placeholderRef("${urn:pulumi:dev::p::azuread:index/application:Application::app#clientId}")).toEqual({
      urn: "urn:pulumi:dev::p::azuread:index/application:Application::app",
      output: "clientId",
    });
  });
  test.each([
    ["not a string", 42],
    ["plain text", "the-callee-app-client-id"],
    ["text around a placeholder", "api://${urn:pulumi:dev::p::t::app#clientId}"],
    ["not a Pulumi URN", "${arn:aws:iam::1#id}"],
    ["no output", "${urn:pulumi:dev::p::t::app}"],
    ["an empty output", "${urn:pulumi:dev::p::t::app#}"],
  ])("is undefined for %s", (_what, value) => {
    expect(placeholderRef(value)).toBeUndefined();
  });
});

test("outputAgreement tells same, different and unknown apart", () => {
  expect(outputAgreement("a", "a")).toBe("same");
  expect(outputAgreement("a", "b")).toBe("different");
  expect(outputAgreement(undefined, "a")).toBe("unknown");
  expect(outputAgreement("a", undefined)).toBe("unknown");
  expect(outputAgreement(null, "a")).toBe("different");
});

test("isBookkeeping: the stack and providers, nothing else", () => {
  expect(isBookkeeping(resource("pulumi:pulumi:Stack", "s2s-auth-dev"))).toBe(true);
  expect(isBookkeeping(resource("pulumi:providers:azuread", "default"))).toBe(true);
  expect(isBookkeeping(resource(T.webApp, "site"))).toBe(false);
  expect(isBookkeeping(resource("s2s-auth:pulumi:Thing", "x"))).toBe(false);
});

describe("indexStack", () => {
  const root = resource("pulumi:pulumi:Stack", "s2s-auth-dev");
  const api = resource(T.protectedApi, "orders", root);
  const app = resource(T.application, "orders-app", api, { appRoles: [{ id: "r1", value: "Invoke" }] });
  const sp = resource(T.servicePrincipal, "orders-sp", api, { clientId: "orders-client-id" });
  const site = resource(T.webApp, "orders-site", api);
  const auth = resource(T.authSettingsV2, "orders-auth", api);
  const container = resource(T.containerApp, "orders-container", api);
  const containerAuth = resource(T.containerAppAuth, "orders-container-auth", api);
  const policy = resource(T.ftpAllowed, "orders-site-ftp", api);
  // Parts declared outside the component, tied to the app only by placeholder.
  const outsideUri = resource(T.identifierUri, "orders-uri", root, { applicationId: ref(app, "id") });
  const outsideSp = resource(T.servicePrincipal, "orders-sp2", root, { clientId: ref(app, "clientId") });
  // A reference to the right app through the wrong output is not a part.
  const wrongOutput = resource(T.identifierUri, "orders-uri-wrong", root, { applicationId: ref(app, "clientId") });
  const grant = resource("s2s-auth:access:AppRoleGrant", "a_to_orders", root);
  const assignment = resource(T.appRoleAssignment, "a_to_orders-assignment", grant);
  // Service principals outside any callee.
  const toolsParent = resource("s2s-auth:tools:Tools", "tools", root);
  const toolsApp = resource(T.application, "tools-app", toolsParent, { appRoles: [{ id: "t1" }] });
  const toolsSp = resource(T.servicePrincipal, "tools-sp", toolsParent, { clientId: "tools-client-id" });
  const ciParent = resource("s2s-auth:ci:CiPrincipal", "ci", root);
  const ciApp = resource(T.application, "ci-app", ciParent, { appRoles: [] });
  const ciSp = resource(T.servicePrincipal, "ci-sp", ciParent);
  const refSp = resource(T.servicePrincipal, "by-ref-sp", undefined, { clientId: ref(toolsApp, "clientId") });
  const danglingSp = resource(T.servicePrincipal, "dangling-sp", undefined, {
    clientId: "${urn:pulumi:dev::s2s-auth::x::gone#clientId}",
  });
  const loneSp = resource(T.servicePrincipal, "lone-sp");
  const resources = [
    root,
    api,
    app,
    sp,
    site,
    auth,
    container,
    containerAuth,
    policy,
    outsideUri,
    outsideSp,
    wrongOutput,
    grant,
    assignment,
    toolsParent,
    toolsApp,
    toolsSp,
    ciParent,
    ciApp,
    ciSp,
    refSp,
    danglingSp,
    loneSp,
  ];
  const stack = indexStack(resources);
  const names = (rs: readonly (PlannedResource | undefined)[]) => rs.map((r) => r?.name);

  test("byUrn and ofType", () => {
    expect(stack.byUrn(app.urn)).toBe(app);
    expect(stack.byUrn(undefined)).toBeUndefined();
    expect(stack.byUrn("urn:pulumi:dev::s2s-auth::x::missing")).toBeUndefined();
    expect(names(stack.ofType(T.application))).toEqual(["orders-app", "tools-app", "ci-app"]);
    expect(stack.resources).toBe(resources);
  });

  test("children, all or of some types", () => {
    expect(names(stack.children(api))).toEqual([
      "orders-app",
      "orders-sp",
      "orders-site",
      "orders-auth",
      "orders-container",
      "orders-container-auth",
      "orders-site-ftp",
    ]);
    expect(names(stack.children(api, [T.webApp, T.ftpAllowed]))).toEqual(["orders-site", "orders-site-ftp"]);
    expect(stack.children(site)).toEqual([]);
  });

  test("ancestor is the nearest of the type, never the resource itself", () => {
    expect(stack.ancestor(assignment, "s2s-auth:access:AppRoleGrant")).toBe(grant);
    expect(stack.ancestor(assignment, "pulumi:pulumi:Stack")).toBe(root);
    expect(stack.ancestor(grant, "s2s-auth:access:AppRoleGrant")).toBeUndefined();
    expect(stack.ancestor(loneSp, "pulumi:pulumi:Stack")).toBeUndefined();
  });

  test("ancestor ends on a parent cycle", () => {
    const a: PlannedResource = { ...resource("s2s-auth:x:A", "a"), parent: urnOf("s2s-auth:x:B", "b") };
    const b: PlannedResource = { ...resource("s2s-auth:x:B", "b"), parent: a.urn };
    const child = resource(T.webApp, "child", a);
    expect(indexStack([a, b, child]).ancestor(child, T.protectedApi)).toBeUndefined();
  });

  test("a callee's parts: its children, and outside parts that reference its app by the right output", () => {
    const [callee, ...others] = stack.callees();
    expect(others).toEqual([]);
    expect(callee!.component).toBe(api);
    expect(callee!.app).toBe(app);
    expect(names(callee!.servicePrincipals)).toEqual(["orders-sp", "orders-sp2"]);
    expect(names(callee!.identifierUris)).toEqual(["orders-uri"]);
    expect(names(callee!.sites)).toEqual(["orders-site", "orders-container"]);
    expect(names(callee!.authSettings)).toEqual(["orders-auth", "orders-container-auth"]);
  });

  test("a callee without an app has no parts by reference", () => {
    const bare = resource(T.protectedApi, "bare", root);
    const [callee] = indexStack([
      root,
      bare,
      resource(T.identifierUri, "u", root, { applicationId: ref(app, "id") }),
    ]).callees();
    expect(callee!.app).toBeUndefined();
    expect(callee!.identifierUris).toEqual([]);
  });

  test("calleeOf: the component, its descendants and its parts by reference", () => {
    for (const r of [api, app, site, policy, outsideUri, outsideSp]) expect(stack.calleeOf(r)?.component).toBe(api);
    for (const r of [wrongOutput, assignment, toolsSp, root]) expect(stack.calleeOf(r)).toBeUndefined();
  });

  test("apiServicePrincipals: callees', and any whose app declares roles", () => {
    expect(names(stack.apiServicePrincipals())).toEqual(["orders-sp", "orders-sp2", "tools-sp", "by-ref-sp"]);
  });
});
