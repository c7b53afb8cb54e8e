// Rules on the callee's site: its host's built-in authentication (EasyAuth v2 on web and function
// apps, authConfigs on container apps) requires a token for the callee's own app and has no secret.
import type { PlannedResource } from "../../model/index.ts";
import { NOT_YET_KNOWN } from "../../model/index.ts";
import { asList, AUTH_TYPES, outputAgreement, valueAt, type Callee, type StackView } from "../stack.ts";
import { RESOURCE_TYPE } from "../../model/index.ts";
import { checkEveryResourceOf, describeValue, violationAt, wrongSetting, type Rule, type Violation } from "./rule.ts";

/** Checks each callee's auth settings; `reportMissing` makes a callee site without any a violation. */
function checkCalleeAuth(
  stack: StackView,
  reportMissing: boolean,
  check: (auth: PlannedResource, callee: Callee) => string[],
): Violation[] {
  const found: Violation[] = [];
  for (const callee of stack.callees()) {
    if (reportMissing && callee.sites.length > 0 && callee.authSettings.length === 0) {
      found.push(
        violationAt(
          callee.sites[0]!,
          "the callee's app has no built-in authentication settings, so it answers anyone who reaches it. " +
            "Fix: add its host's authentication (WebAppAuthSettingsV2 or ContainerAppsAuthConfig; " +
            "see components/hosting/).",
        ),
      );
    }
    for (const auth of callee.authSettings) {
      found.push(...check(auth, callee).map((message) => violationAt(auth, message)));
    }
  }
  return found;
}

const calleeSiteAuthRequired: Rule = {
  id: "callee-site-auth-required",
  severity: "error",
  description:
    "Every callee app has its host's built-in authentication (EasyAuth v2 on web and function apps, " +
    "authConfigs on container apps) on, requiring authentication and answering unauthenticated requests with 401.",
  check: (stack) =>
    checkCalleeAuth(stack, true, (auth) => {
      // Container Apps auth has no requireAuthentication: Return401 alone turns anonymous calls away.
      const isAppService = auth.type === RESOURCE_TYPE.authSettingsV2;
      const fix = isAppService
        ? "set `platform: { enabled: true }, " +
          'globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "Return401" }`.'
        : 'set `platform: { enabled: true }, globalValidation: { unauthenticatedClientAction: "Return401" }`.';
      return [
        wrongSetting(auth, ["platform", "enabled"], true, fix),
        isAppService ? wrongSetting(auth, ["globalValidation", "requireAuthentication"], true, fix) : undefined,
        wrongSetting(auth, ["globalValidation", "unauthenticatedClientAction"], "Return401", fix),
      ].filter((message) => message !== undefined);
    }),
};

const ENTRA_PROVIDER = ["identityProviders", "azureActiveDirectory"];

const calleeSiteEntraProvider: Rule = {
  id: "callee-site-entra-provider",
  severity: "error",
  description:
    "The callee's Entra ID provider is on, registered with the callee's own client id, " +
    "and accepts the callee's identifier URI as audience.",
  check: (stack) =>
    checkCalleeAuth(stack, false, (auth, callee) => {
      const found: string[] = [];
      const provider = valueAt(auth.inputs, ...ENTRA_PROVIDER);
      if (valueAt(provider, "enabled") === false || provider === undefined) {
        found.push(
          `identityProviders.azureActiveDirectory is ${provider === undefined ? "not set" : "disabled"}. ` +
            "Fix: enable the Entra ID provider with the callee's client id.",
        );
        return found;
      }
      // The service principal's clientId and the registration's clientId both come from the
      // callee app's clientId: when one is known, so is the other.
      const clientId = valueAt(provider, "registration", "clientId");
      for (const sp of callee.servicePrincipals) {
        const expected = sp.inputs["clientId"];
        const agreement = outputAgreement(clientId, expected);
        if (
          expected !== undefined &&
          (agreement === "different" || (agreement === "unknown" && clientId === undefined))
        ) {
          found.push(
            `registration.clientId is ${describeValue(clientId)}, ` +
              `must be the callee app's client id ${describeValue(expected)}. ` +
              "Fix: register the provider with the callee's own client id.",
          );
        }
      }
      // An existing app registration's client id is the one config names.
      const existingClientId = callee.existingApplication?.clientId;
      if (existingClientId !== undefined && outputAgreement(clientId, existingClientId) === "different") {
        found.push(
          `registration.clientId is ${describeValue(clientId)}, must be the client id of the existing app ` +
            `registration ${describeValue(existingClientId)}. Fix: register the provider with that client id.`,
        );
      }
      const declared = valueAt(provider, "validation", "allowedAudiences");
      const audiences = asList(declared);
      for (const uri of callee.identifierUris) {
        const expected = uri.inputs["identifierUri"];
        const unknown =
          declared === NOT_YET_KNOWN || expected === NOT_YET_KNOWN || (audiences ?? []).includes(NOT_YET_KNOWN);
        if (expected === undefined || unknown) continue;
        if (!audiences?.includes(expected)) {
          found.push(
            `validation.allowedAudiences is ${describeValue(audiences)}, ` +
              `must include the identifier URI ${describeValue(expected)}. ` +
              "Fix: list the identifier URI (and the client id) in allowedAudiences.",
          );
        }
      }
      return found;
    }),
};

const CLIENT_SECRET_SETTINGS = [
  "clientSecretSettingName",
  "clientSecretCertificateThumbprint",
  "clientSecretCertificateIssuer",
  "clientSecretCertificateSubjectAlternativeName",
];

const calleeSiteNoClientSecret: Rule = {
  id: "callee-site-no-client-secret",
  severity: "error",
  description:
    "The callee's Entra ID provider has no client secret or certificate setting: it only validates bearer tokens.",
  check: checkEveryResourceOf(AUTH_TYPES, (auth) => {
    const registration = valueAt(auth.inputs, ...ENTRA_PROVIDER, "registration");
    const set = CLIENT_SECRET_SETTINGS.filter(
      (key) => valueAt(registration, key) !== undefined && valueAt(registration, key) !== null,
    );
    return set.length === 0
      ? undefined
      : `registration.${set.join(", registration.")} is set. ` +
          "Fix: remove it; the site validates tokens and never signs anyone in, so it needs no secret.";
  }),
};

export const calleeSiteRules: readonly Rule[] = [
  calleeSiteAuthRequired,
  calleeSiteEntraProvider,
  calleeSiteNoClientSecret,
];
