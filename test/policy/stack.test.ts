// policy/stack.ts: the index the rules query. Small hand-built stacks, so that each relation
// (parent, placeholder reference) is tested on its own.
import { NOT_YET_KNOWN, type PlannedResource, RESOURCE_TYPE } from "../../model/index.ts";
import { asList, indexStack, isBookkeeping, outputAgreement, valueAt } from "../../policy/stack.ts";

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
  expect(isBookkeeping(resource(RESOURCE_TYPE.webApp, "site"))).toBe(false);
  expect(isBookkeeping(resource("s2s-auth:pulumi:Thing", "x"))).toBe(false);
});

describe("indexStack", () => {
  const root = resource("pulumi:pulumi:Stack", "s2s-auth-dev");
  const api = resource(RESOURCE_TYPE.protectedApi, "orders", root);
  const app = resource(RESOURCE_TYPE.application, "orders-app", api, { appRoles: [{ id: "r1", value: "Invoke" }] });
  const sp = resource(RESOURCE_TYPE.servicePrincipal, "orders-sp", api, { clientId: "orders-client-id" });
  const site = resource(RESOURCE_TYPE.webApp, "orders-site", api);
  const auth = resource(RESOURCE_TYPE.authSettingsV2, "orders-auth", api);
  const container = resource(RESOURCE_TYPE.containerApp, "orders-container", api);
  const containerAuth = resource(RESOURCE_TYPE.containerAppAuth, "orders-container-auth", api);
  const policy = resource(RESOURCE_TYPE.ftpAllowed, "orders-site-ftp", api);
  // Parts declared outside the component, tied to the app only by placeholder.
  const outsideUri = resource(RESOURCE_TYPE.identifierUri, "orders-uri", root, { applicationId: ref(app, "id") });
  const outsideSp = resource(RESOURCE_TYPE.servicePrincipal, "orders-sp2", root, { clientId: ref(app, "clientId") });
  // A reference to the right app through the wrong output is not a part.
  const wrongOutput = resource(RESOURCE_TYPE.identifierUri, "orders-uri-wrong", root, {
    applicationId: ref(app, "clientId"),
  });
  const grant = resource("s2s-auth:access:AppRoleGrant", "a_to_orders", root);
  const assignment = resource(RESOURCE_TYPE.appRoleAssignment, "a_to_orders-assignment", grant);
  // Service principals outside any callee.
  const toolsParent = resource("s2s-auth:tools:Tools", "tools", root);
  const toolsApp = resource(RESOURCE_TYPE.application, "tools-app", toolsParent, { appRoles: [{ id: "t1" }] });
  const toolsSp = resource(RESOURCE_TYPE.servicePrincipal, "tools-sp", toolsParent, { clientId: "tools-client-id" });
  const ciParent = resource("s2s-auth:ci:CiPrincipal", "ci", root);
  const ciApp = resource(RESOURCE_TYPE.application, "ci-app", ciParent, { appRoles: [] });
  const ciSp = resource(RESOURCE_TYPE.servicePrincipal, "ci-sp", ciParent);
  const refSp = resource(RESOURCE_TYPE.servicePrincipal, "by-ref-sp", undefined, {
    clientId: ref(toolsApp, "clientId"),
  });
  const danglingSp = resource(RESOURCE_TYPE.servicePrincipal, "dangling-sp", undefined, {
    clientId: "${urn:pulumi:dev::s2s-auth::x::gone#clientId}",
  });
  const loneSp = resource(RESOURCE_TYPE.servicePrincipal, "lone-sp");
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
    expect(names(stack.ofType(RESOURCE_TYPE.application))).toEqual(["orders-app", "tools-app", "ci-app"]);
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
    expect(names(stack.children(api, [RESOURCE_TYPE.webApp, RESOURCE_TYPE.ftpAllowed]))).toEqual([
      "orders-site",
      "orders-site-ftp",
    ]);
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
    const child = resource(RESOURCE_TYPE.webApp, "child", a);
    expect(indexStack([a, b, child]).ancestor(child, RESOURCE_TYPE.protectedApi)).toBeUndefined();
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
    const bare = resource(RESOURCE_TYPE.protectedApi, "bare", root);
    const [callee] = indexStack([
      root,
      bare,
      resource(RESOURCE_TYPE.identifierUri, "u", root, { applicationId: ref(app, "id") }),
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

describe("what the stack view offers the rules", () => {
  const root = resource("pulumi:pulumi:Stack", "s2s-auth-dev");
  const names = (rs: readonly PlannedResource[]) => rs.map((r) => r.name);

  test("appRoles: every Application's inline roles, then every ApplicationAppRole", () => {
    const app = resource(RESOURCE_TYPE.application, "orders-app", root, {
      appRoles: [{ id: "r1", value: "Invoke", allowedMemberTypes: ["Application"] }],
    });
    const unknownRoles = resource(RESOURCE_TYPE.application, "unknown-app", root, { appRoles: NOT_YET_KNOWN });
    // An ApplicationRegistration declares roles only as resources of their own.
    const registration = resource(RESOURCE_TYPE.applicationRegistration, "reg", root, { appRoles: [{ id: "x" }] });
    const role = resource(RESOURCE_TYPE.applicationAppRole, "orders-role-read", root, {
      roleId: "r2",
      value: "Read",
      allowedMemberTypes: ["User"],
    });
    expect(indexStack([root, role, app, unknownRoles, registration]).appRoles()).toEqual([
      { declaredBy: app, separate: false, value: "Invoke", id: "r1", allowedMemberTypes: ["Application"] },
      { declaredBy: role, separate: true, value: "Read", id: "r2", allowedMemberTypes: ["User"] },
    ]);
  });

  test("permissionScopes: every Application's inline scopes, then every ApplicationPermissionScope", () => {
    const scope = resource(RESOURCE_TYPE.permissionScope, "orders-scope", root, { value: "read" });
    const app = resource(RESOURCE_TYPE.application, "orders-app", root, {
      api: { oauth2PermissionScopes: [{ value: "user_impersonation" }, {}] },
    });
    const withoutApi = resource(RESOURCE_TYPE.application, "plain-app", root);
    expect(indexStack([root, scope, app, withoutApi]).permissionScopes()).toEqual([
      { declaredBy: app, value: "user_impersonation" },
      { declaredBy: app, value: undefined },
      { declaredBy: scope, value: "read" },
    ]);
  });

  describe("a callee's roles", () => {
    const api = resource(RESOURCE_TYPE.protectedApi, "orders", root);
    const app = resource(RESOURCE_TYPE.application, "orders-app", api, { appRoles: [{ id: "r1", value: "Invoke" }] });
    const under = resource(RESOURCE_TYPE.applicationAppRole, "orders-role-under", api, { roleId: "r2", value: "Read" });
    // Outside the component, tied to the app by a placeholder through any output.
    const byRef = resource(RESOURCE_TYPE.applicationAppRole, "orders-role-ref", root, {
      applicationId: ref(app, "objectId"),
    });
    const unrelated = resource(RESOURCE_TYPE.applicationAppRole, "other-role", root, { applicationId: "other-app-id" });

    test("are its app's inline roles and the ApplicationAppRoles under it or naming its app", () => {
      const [callee] = indexStack([root, api, app, under, byRef, unrelated]).callees();
      expect(callee!.appRoles?.map((r) => [r.declaredBy.name, r.separate, r.id])).toEqual([
        ["orders-app", false, "r1"],
        ["orders-role-under", true, "r2"],
        ["orders-role-ref", true, undefined],
      ]);
    });

    test("of an ApplicationRegistration are its ApplicationAppRoles alone", () => {
      const registration = resource(RESOURCE_TYPE.applicationRegistration, "orders-reg", api, {
        appRoles: [{ id: "x" }],
      });
      const [callee] = indexStack([root, api, registration, under]).callees();
      expect(callee!.appRoles?.map((r) => r.declaredBy.name)).toEqual(["orders-role-under"]);
    });

    test("are not known without an app, or while the app's roles are not known", () => {
      expect(indexStack([root, api, under]).callees()[0]!.appRoles).toBeUndefined();
      const unknown = { ...app, inputs: { appRoles: NOT_YET_KNOWN } };
      expect(indexStack([root, api, unknown, under]).callees()[0]!.appRoles).toBeUndefined();
    });
  });

  describe("calleeOfGrant", () => {
    const api = resource(RESOURCE_TYPE.protectedApi, "orders", root);
    const sp = resource(RESOURCE_TYPE.servicePrincipal, "orders-sp", api);
    const otherSp = resource(RESOURCE_TYPE.servicePrincipal, "graph-sp", root);
    const grant = (name: string, parent: PlannedResource, resourceObjectId?: string) =>
      resource(
        RESOURCE_TYPE.appRoleAssignment,
        name,
        parent,
        resourceObjectId === undefined ? {} : { resourceObjectId },
      );
    const outsideByRef = grant("by-ref", root, ref(sp, "objectId"));
    const outsideWrongOutput = grant("wrong-output", root, ref(sp, "clientId"));
    const insideNoRef = grant("inside", api);
    const insideNamingOther = grant("inside-other", api, ref(otherSp, "objectId"));
    const stack = indexStack([
      root,
      api,
      sp,
      otherSp,
      outsideByRef,
      outsideWrongOutput,
      insideNoRef,
      insideNamingOther,
    ]);

    test("is the callee of the service principal that resourceObjectId names", () => {
      expect(stack.calleeOfGrant(outsideByRef)?.component).toBe(api);
      // The target decides, not where the grant is declared.
      expect(stack.calleeOfGrant(insideNamingOther)).toBeUndefined();
    });

    test("else the callee the grant is declared under", () => {
      expect(stack.calleeOfGrant(insideNoRef)?.component).toBe(api);
      expect(stack.calleeOfGrant(outsideWrongOutput)).toBeUndefined();
    });
  });

  describe("publishingPolicies", () => {
    const parent = resource("s2s-auth:hosting:CallerApp", "caller", root);
    const site = resource(RESOURCE_TYPE.webApp, "caller-site", parent);
    const policy = (type: string, name: string, inputs: Record<string, unknown> = {}, under = parent) =>
      resource(type, name, under, inputs);

    test("by logical name beside the site when neither names the other", () => {
      const ftp = policy(RESOURCE_TYPE.ftpAllowed, "caller-site-ftp");
      const scm = policy(RESOURCE_TYPE.scmAllowed, "caller-site-scm");
      const elsewhere = policy(RESOURCE_TYPE.ftpAllowed, "caller-site-ftp", {}, root);
      const view = indexStack([root, parent, site, elsewhere, ftp, scm]);
      expect(view.publishingPolicies(site)).toEqual({ ftp, scm });
      expect(indexStack([root, parent, site, elsewhere]).publishingPolicies(site)).toEqual({
        ftp: undefined,
        scm: undefined,
      });
    });

    test("by a placeholder naming the site, wherever the policy is declared", () => {
      const other = resource(RESOURCE_TYPE.webApp, "other-site", parent);
      const ftp = policy(RESOURCE_TYPE.ftpAllowed, "renamed", { name: ref(site, "name") }, root);
      const othersScm = policy(RESOURCE_TYPE.scmAllowed, "caller-site-scm", { name: ref(other, "name") });
      expect(indexStack([root, parent, site, other, ftp, othersScm]).publishingPolicies(site)).toEqual({
        ftp,
        scm: undefined,
      });
    });

    test("by the site's name when both state one", () => {
      const named = { ...site, inputs: { name: "caller-web" } };
      const ftp = policy(RESOURCE_TYPE.ftpAllowed, "x", { name: "caller-web" }, root);
      const scm = policy(RESOURCE_TYPE.scmAllowed, "caller-site-scm", { name: "other-web" });
      expect(indexStack([root, parent, named, ftp, scm]).publishingPolicies(named)).toEqual({ ftp, scm: undefined });
    });
  });

  test("federatedIdentities: credentials grouped by owner, with the grants under it or naming its principal", () => {
    const ci = resource("s2s-auth:access:CiPrincipal", "ci", root);
    const ciApp = resource(RESOURCE_TYPE.application, "ci-app", ci);
    const ciSp = resource(RESOURCE_TYPE.servicePrincipal, "ci-sp", ci);
    const pr = resource(RESOURCE_TYPE.federatedIdentityCredential, "ci-fic-pr", ci);
    const env = resource(RESOURCE_TYPE.federatedIdentityCredential, "ci-fic-env", ci);
    const under = resource(RESOURCE_TYPE.roleAssignment, "ci-reader", ci);
    const naming = resource(RESOURCE_TYPE.appRoleAssignment, "ci-graph", root, {
      principalObjectId: ref(ciSp, "objectId"),
    });
    const someoneElses = resource(RESOURCE_TYPE.roleAssignment, "other", root, {
      principalId: "00000000-0000-0000-0000-000000000001",
    });
    // A credential outside any component belongs to the app it names.
    const loneApp = resource(RESOURCE_TYPE.application, "lone-app", root);
    const lone = resource(RESOURCE_TYPE.federatedIdentityCredential, "lone-fic", undefined, {
      applicationId: ref(loneApp, "id"),
    });
    const view = indexStack([root, ci, ciApp, ciSp, pr, env, under, naming, someoneElses, loneApp, lone]);
    expect(
      view.federatedIdentities().map((identity) => ({
        owner: identity.owner.name,
        credentials: names(identity.credentials),
        grants: names(identity.grants),
        apps: names(identity.apps),
      })),
    ).toEqual([
      { owner: "ci", credentials: ["ci-fic-pr", "ci-fic-env"], grants: ["ci-reader", "ci-graph"], apps: ["ci-app"] },
      { owner: "lone-app", credentials: ["lone-fic"], grants: [], apps: [] },
    ]);
  });
});
