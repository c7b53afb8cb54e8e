// Rules on every site. Web and function apps (App Service) have all of these settings; a container
// app has HTTPS, CORS and its identity at the app level (TLS is the platform's, and it has no FTP,
// SCM or remote debugging), so only those rules look at it.
import { NOT_YET_KNOWN, type PlannedResource } from "../../model/index.ts";
import { asList, HOST_TYPES, valueAt, type StackView } from "../stack.ts";
import { RESOURCE_TYPE } from "../../model/index.ts";
import { checkEveryResourceOf, describeValue, wrongSetting, type Rule } from "./rule.ts";

const TLS_OK = new Set(["1.2", "1.3"]);

/** A rule that checks each site on its own; by default only App Service's web and function apps. */
function siteRule(
  id: string,
  description: string,
  check: (site: PlannedResource, stack: StackView) => string | string[] | undefined,
  types: readonly string[] = [RESOURCE_TYPE.webApp],
): Rule {
  return { id, severity: "error", description, check: checkEveryResourceOf(types, check) };
}

const siteHttpsOnly = siteRule(
  "site-https-only",
  "Every web and function app redirects HTTP to HTTPS; every container app's ingress refuses plain HTTP.",
  (site) => {
    if (site.type === RESOURCE_TYPE.webApp)
      return wrongSetting(site, ["httpsOnly"], true, "set `httpsOnly: true` on the WebApp.");
    // No ingress, no endpoint to reach.
    return valueAt(site.inputs, "configuration", "ingress") === undefined
      ? undefined
      : wrongSetting(
          site,
          ["configuration", "ingress", "allowInsecure"],
          false,
          "set `configuration.ingress.allowInsecure: false` on the ContainerApp.",
        );
  },
  HOST_TYPES,
);

const siteMinTls = siteRule("site-min-tls", "Every site (and its SCM site) accepts TLS 1.2 or later only.", (site) => {
  const fix = 'set `siteConfig.minTlsVersion: "1.2"` (and `scmMinTlsVersion: "1.2"`) on the WebApp.';
  const found: string[] = [];
  const min = valueAt(site.inputs, "siteConfig", "minTlsVersion");
  if (min !== NOT_YET_KNOWN && !TLS_OK.has(String(min)))
    found.push(`siteConfig.minTlsVersion is ${describeValue(min)}, must be "1.2" or later. Fix: ${fix}`);
  const scm = valueAt(site.inputs, "siteConfig", "scmMinTlsVersion");
  if (scm !== undefined && scm !== NOT_YET_KNOWN && !TLS_OK.has(String(scm)))
    found.push(`siteConfig.scmMinTlsVersion is ${describeValue(scm)}, must be "1.2" or later. Fix: ${fix}`);
  return found;
});

const siteFtpsDisabled = siteRule("site-ftps-disabled", "Every site has FTP and FTPS deployment disabled.", (site) =>
  wrongSetting(site, ["siteConfig", "ftpsState"], "Disabled", 'set `siteConfig.ftpsState: "Disabled"` on the WebApp.'),
);

const siteRemoteDebuggingOff = siteRule("site-remote-debugging-off", "Every site has remote debugging off.", (site) =>
  wrongSetting(
    site,
    ["siteConfig", "remoteDebuggingEnabled"],
    false,
    "set `siteConfig.remoteDebuggingEnabled: false` on the WebApp.",
  ),
);

const siteBasicAuthOff = siteRule(
  "site-basic-auth-publishing-off",
  "Every site refuses basic-auth (username and password) publishing over FTP and SCM.",
  (site, stack) => {
    const policies = stack.publishingPolicies(site);
    return [
      { policy: policies.ftp, kind: "WebAppFtpAllowed", protocol: "FTP" },
      { policy: policies.scm, kind: "WebAppScmAllowed", protocol: "SCM" },
    ].flatMap(({ policy, kind, protocol }) => {
      const fix =
        `declare a ${kind} with \`allow: false\` for the site ` +
        "(hardenedWebApp in components/hosting/appService.ts does).";
      if (policy === undefined)
        return [`no ${kind} covers this site, so ${protocol} accepts a username and password. Fix: ${fix}`];
      return policy.inputs["allow"] === false
        ? []
        : [`${kind} ${policy.name} has allow ${describeValue(policy.inputs["allow"])}, must be false. Fix: ${fix}`];
    });
  },
);

const siteNoWildcardCors = siteRule(
  "site-no-wildcard-cors",
  "No web, function or container app allows every CORS origin.",
  (site) => {
    const path =
      site.type === RESOURCE_TYPE.webApp
        ? ["siteConfig", "cors", "allowedOrigins"]
        : ["configuration", "ingress", "corsPolicy", "allowedOrigins"];
    const origins = asList(valueAt(site.inputs, ...path)) ?? [];
    return origins.includes("*")
      ? `${path.join(".")} contains "*". ` +
          "Fix: list the origins that may call the app, or none (service-to-service calls need no CORS)."
      : undefined;
  },
  HOST_TYPES,
);

const siteSystemIdentity = siteRule(
  "site-system-identity",
  "Every web, function and container app has a system-assigned managed identity.",
  (site) => {
    const type = valueAt(site.inputs, "identity", "type");
    return typeof type === "string" && type.split(",").some((t) => t.trim() === "SystemAssigned")
      ? undefined
      : `identity.type is ${describeValue(type)}. ` +
          `Fix: set \`identity: { type: "SystemAssigned" }\` on the ${site.type.split(":").pop()}; ` +
          "it is the app's only credential.";
  },
  HOST_TYPES,
);

export const everySiteRules: readonly Rule[] = [
  siteHttpsOnly,
  siteMinTls,
  siteFtpsDisabled,
  siteRemoteDebuggingOff,
  siteBasicAuthOff,
  siteNoWildcardCors,
  siteSystemIdentity,
];
