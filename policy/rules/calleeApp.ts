// Rules on the callee's app registration: implicit grant off, an `api://` identifier URI, no
// credentials, and app roles that applications (managed identities) can hold. Roles of either
// shape (inline `appRoles` or ApplicationAppRole resources) come from the stack view.
import { APP_TYPES, asList, CREDENTIAL_TYPES, type StackView, valueAt } from "../stack.ts";
import { RESOURCE_TYPE } from "../../model/index.ts";
import { checkEveryResourceOf, describeValue, violationAt, wrongSetting, type Rule, type Violation } from "./rule.ts";

const appImplicitGrantOff: Rule = {
  id: "app-implicit-grant-off",
  severity: "error",
  description: "App registrations state implicit grant off for both access tokens and ID tokens.",
  // An Application nests the two switches under web.implicitGrant; an ApplicationRegistration
  // (the granular resource, e.g. for pulumi-azuread#1036) has them flat.
  check: (stack, ctx) => [...declaredImplicitGrant(stack, ctx), ...existingImplicitGrant(stack)],
};

/** An existing app registration a callee uses, by what was read of its implicit grant settings. */
function existingImplicitGrant(stack: StackView): Violation[] {
  return stack.callees().flatMap((callee) => {
    const existing = callee.existingApplication;
    if (existing === undefined) return [];
    const on = (
      [
        ["access tokens", existing.accessTokenIssuanceEnabled],
        ["ID tokens", existing.idTokenIssuanceEnabled],
      ] as const
    ).filter(([, enabled]) => enabled === true);
    return on.map(([what]) =>
      violationAt(
        callee.component,
        `app registration ${String(existing.clientId)} (existingApplication) issues ${what} by implicit ` +
          "grant. Fix: turn implicit grant off for access and ID tokens on its Authentication page; tokens must " +
          "only come from the token endpoint.",
      ),
    );
  });
}

const declaredImplicitGrant: Rule["check"] = checkEveryResourceOf(APP_TYPES, (app) => {
  const isApplication = app.type === RESOURCE_TYPE.application;
  const tokensOnlyFromTokenEndpoint = "tokens must only come from the token endpoint.";
  const fix = isApplication
    ? "set `web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } }` " +
      `on the Application; ${tokensOnlyFromTokenEndpoint}`
    : "set `implicitAccessTokenIssuanceEnabled: false, implicitIdTokenIssuanceEnabled: false` " +
      `on the ApplicationRegistration; ${tokensOnlyFromTokenEndpoint}`;
  const paths = isApplication
    ? [
        ["web", "implicitGrant", "accessTokenIssuanceEnabled"],
        ["web", "implicitGrant", "idTokenIssuanceEnabled"],
      ]
    : [["implicitAccessTokenIssuanceEnabled"], ["implicitIdTokenIssuanceEnabled"]];
  return paths.flatMap((path) => wrongSetting(app, path, false, fix) ?? []);
});

const appIdentifierUri: Rule = {
  id: "app-identifier-uri",
  severity: "error",
  description: "Every callee app has an identifier URI, and every identifier URI is an `api://` URI.",
  check(stack) {
    const found: Violation[] = [];
    const fix = "give the callee's app an ApplicationIdentifierUri `api://<clientId>` (the form every tenant accepts).";
    for (const callee of stack.callees()) {
      const onApp = asList(valueAt(callee.app?.inputs, "identifierUris")) ?? [];
      // An existing app registration's URIs are read: judged only once they are known.
      const existing = callee.existingApplication && asList(callee.existingApplication.identifierUris);
      if (
        callee.existingApplication !== undefined
          ? existing?.length === 0
          : callee.identifierUris.length === 0 && onApp.length === 0
      ) {
        found.push(
          violationAt(
            callee.component,
            `the callee has no identifier URI, so callers cannot ask for a token for it. Fix: ${fix}`,
          ),
        );
      }
    }
    for (const uri of stack.ofType(RESOURCE_TYPE.identifierUri)) {
      const value = uri.inputs["identifierUri"];
      if (typeof value === "string" && !value.startsWith("api://")) {
        found.push(violationAt(uri, `identifierUri is ${describeValue(value)}, must start with "api://". Fix: ${fix}`));
      }
    }
    for (const app of stack.ofType(RESOURCE_TYPE.application)) {
      for (const value of asList(app.inputs["identifierUris"]) ?? []) {
        if (typeof value === "string" && !value.startsWith("api://")) {
          found.push(
            violationAt(app, `identifierUris has ${describeValue(value)}, must start with "api://". Fix: ${fix}`),
          );
        }
      }
    }
    return found;
  },
};

const noAppCredentials: Rule = {
  id: "no-app-credentials",
  severity: "error",
  description:
    "No password or certificate on any app registration or service principal: " +
    "identities are managed, nothing is a secret.",
  check(stack) {
    const fix =
      "remove it; callers authenticate with their managed identity and the callee only validates tokens, " +
      "so no secret or certificate is needed.";
    const standalone = stack.resources
      .filter((credential) => CREDENTIAL_TYPES.includes(credential.type))
      .map((credential) =>
        violationAt(credential, `a credential (${credential.type.split(":").pop()}) is declared. Fix: ${fix}`),
      );
    const inline = stack
      .ofType(RESOURCE_TYPE.application)
      .filter((app) => app.inputs["password"] !== undefined && app.inputs["password"] !== null)
      .map((app) => violationAt(app, `the Application declares a \`password\` block. Fix: ${fix}`));
    return [...standalone, ...inline];
  },
};

const appRolesAllowApplications: Rule = {
  id: "app-roles-allow-applications",
  severity: "error",
  description: "Every app role can be assigned to applications (managed identities), the callers of this design.",
  check(stack) {
    const fix =
      'include "Application" in the role\'s `allowedMemberTypes`; a managed identity can only be granted such a role.';
    return stack
      .appRoles()
      .filter((role) => {
        const memberTypes = asList(role.allowedMemberTypes);
        return memberTypes !== undefined && !memberTypes.includes("Application");
      })
      .map((role) => {
        const memberTypes = describeValue(role.allowedMemberTypes);
        return violationAt(
          role.declaredBy,
          role.separate
            ? `allowedMemberTypes is ${memberTypes}. Fix: ${fix}`
            : `app role ${describeValue(role.value)} has allowedMemberTypes ${memberTypes}. Fix: ${fix}`,
        );
      });
  },
};

export const calleeAppRules: readonly Rule[] = [
  appImplicitGrantOff,
  appIdentifierUri,
  noAppCredentials,
  appRolesAllowApplications,
];
