// Human views of a plan: a resource tree like `pulumi preview`, the access matrix, the
// findings; as terminal text and as a Markdown PR comment.
import { isPlainObject, parseReferences, type PlannedResource, RESOURCE_TYPE, urnName } from "../../model/index.ts";
import type { AccessEntry } from "./access.ts";
import { plannedResources, type PlanDocument } from "./document.ts";
import { codeCell, codeSpan } from "./markdown.ts";

/**
 * The inputs that decide who can reach what, per type; the rest is in `--json`. Display only:
 * the recording and the access matrix never depend on this list.
 */
export const SECURITY_INPUTS: Readonly<Record<string, readonly string[]>> = {
  [RESOURCE_TYPE.webApp]: [
    "httpsOnly",
    "identity.type",
    "siteConfig.minTlsVersion",
    "siteConfig.ftpsState",
    "siteConfig.remoteDebuggingEnabled",
  ],
  [RESOURCE_TYPE.ftpAllowed]: ["allow"],
  [RESOURCE_TYPE.scmAllowed]: ["allow"],
  [RESOURCE_TYPE.authSettingsV2]: [
    "globalValidation.requireAuthentication",
    "globalValidation.unauthenticatedClientAction",
    "identityProviders.azureActiveDirectory.validation.allowedAudiences",
    "identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy.allowedApplications",
  ],
  [RESOURCE_TYPE.appServicePlan]: ["sku.name"],
  [RESOURCE_TYPE.containerApp]: [
    "identity.type",
    "configuration.ingress.external",
    "configuration.ingress.allowInsecure",
  ],
  [RESOURCE_TYPE.containerAppAuth]: [
    "globalValidation.unauthenticatedClientAction",
    "identityProviders.azureActiveDirectory.validation.allowedAudiences",
    "identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy.allowedApplications",
  ],
  [RESOURCE_TYPE.roleAssignment]: ["principalId", "roleDefinitionId"],
  [RESOURCE_TYPE.externalCaller]: ["principalId"],
  [RESOURCE_TYPE.federatedIdentityCredential]: ["issuer", "subject"],
  [RESOURCE_TYPE.application]: ["signInAudience", "appRoles", "web.implicitGrant"],
  [RESOURCE_TYPE.identifierUri]: ["identifierUri"],
  [RESOURCE_TYPE.servicePrincipal]: ["appRoleAssignmentRequired", "featureTags"],
  [RESOURCE_TYPE.appRoleAssignment]: ["principalObjectId", "appRoleId"],
  [RESOURCE_TYPE.preAuthorized]: ["authorizedClientId", "permissionIds"],
};

/**
 * Placeholders short enough to read: `${urn:pulumi:dev::proj::a$b::name#path}` → `${name#path}`,
 * `${invoke:pkg:mod/getUser:getUser({"userPrincipalName":"x"})#objectId}` → `${getUser(x)#objectId}`.
 */
export function shortenPlaceholders(text: string): string {
  let out = text;
  for (const ref of parseReferences(text)) {
    let source: string;
    if (ref.kind === "resource") source = urnName(ref.urn);
    else {
      const args = isPlainObject(ref.args) ? Object.values(ref.args) : [ref.args];
      const shown = args.map((a) => (typeof a === "string" ? shortenPlaceholders(a) : JSON.stringify(a)));
      source = `${ref.token.split(":").pop()}(${shown.join(", ")})`;
    }
    out = out.replace(ref.raw, `\${${source}#${ref.path}}`);
  }
  return out;
}

/** {@link shortenPlaceholders} applied to every string in a value. */
export function shortenAll(value: unknown): unknown {
  if (typeof value === "string") return shortenPlaceholders(value);
  if (Array.isArray(value)) return value.map(shortenAll);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shortenAll(v)]));
  return value;
}

function valueAt(inputs: Record<string, unknown>, path: string): unknown {
  let value: unknown = inputs;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

// Role lists show their values and member types only; ids and descriptions are in the JSON.
function compact(path: string, value: unknown): unknown {
  if (path === "appRoles" && Array.isArray(value)) {
    return value.map(
      (r: Record<string, unknown>) =>
        `${String(r["value"])}(${(r["allowedMemberTypes"] as string[] | undefined)?.join("+") ?? ""})`,
    );
  }
  return value;
}

export function securityInputs(resource: PlannedResource): string[] {
  return (SECURITY_INPUTS[resource.type] ?? []).flatMap((path) => {
    const value = valueAt(resource.inputs, path);
    if (value === undefined) return [];
    const short = shortenAll(compact(path, value));
    return [`${path.split(".").pop()}=${typeof short === "string" ? short : JSON.stringify(short)}`];
  });
}

interface TreeLine {
  prefix: string;
  resource: PlannedResource;
}

function treeLines(resources: readonly PlannedResource[]): TreeLine[] {
  const children = new Map<string | undefined, PlannedResource[]>();
  for (const r of resources) {
    const key = r.parent !== undefined && resources.some((p) => p.urn === r.parent) ? r.parent : undefined;
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  const lines: TreeLine[] = [];
  const walk = (parent: string | undefined, indent: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      lines.push({ prefix: `${indent}${last ? "└─ " : "├─ "}`, resource: r });
      walk(r.urn, `${indent}${last ? "   " : "│  "}`);
    });
  };
  walk(undefined, "");
  return lines;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(1, width - [...text].length));
}

/**
 * Callees hosted on Container Apps (their auth config is under the callee's component). Container
 * Apps authentication validates issuer and audience; Microsoft Learn ("Enable authentication and
 * authorization in Azure Container Apps with Microsoft Entra ID") documents no allowed-applications
 * check there, so the app role assignment (assignment required) is the only gate, and the app must
 * check the token itself. App Service and Functions enforce allowedApplications (403).
 */
export function containerAppCallees(resources: readonly PlannedResource[]): Set<string> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const callees = new Set<string>();
  for (const auth of resources.filter((r) => r.type === RESOURCE_TYPE.containerAppAuth)) {
    for (let p = byUrn.get(auth.parent ?? ""); p !== undefined; p = byUrn.get(p.parent ?? "")) {
      if (p.type === RESOURCE_TYPE.protectedApi) {
        callees.add(p.name);
        break;
      }
    }
  }
  return callees;
}

const CONTAINER_APPS_CHECK =
  "Container Apps authentication checks no allowed applications: an app there must check the token's " +
  "roles claim (and azp/appid, the caller's client id) itself.";

function accessTable(access: readonly AccessEntry[], onContainerApps: ReadonlySet<string>): string[] {
  if (access.length === 0) return ["  nobody: no principal can obtain a token for any callee"];
  const lines: string[] = [];
  const w = Math.max(...access.map((a) => a.principal.length)) + 2;
  let callee: string | undefined;
  for (const a of access) {
    if (a.callee !== callee) {
      callee = a.callee;
      const gate = onContainerApps.has(callee) ? "  (Container Apps: the app role assignment is the only gate)" : "";
      lines.push(`  ${callee}${gate}`);
    }
    lines.push(`    ${pad(a.principalType, 18)}${pad(a.principal, w)}${a.role}`);
  }
  if (access.some((a) => onContainerApps.has(a.callee))) lines.push("", `  ${CONTAINER_APPS_CHECK}`);
  return lines;
}

/** The terminal view of a plan. */
export function renderPlanText(plan: PlanDocument): string {
  const resources = plannedResources(plan);
  const protectedCount = resources.filter((r) => r.protect).length;
  const out: string[] = [
    `Plan for ${plan.project}, stack ${plan.stack} (offline: the real program under Pulumi's mocks)`,
    "",
    `     ${plan.project}-${plan.stack} (pulumi:pulumi:Stack)`,
  ];
  const lines = treeLines(resources);
  const typeWidth = Math.max(...lines.map((l) => [...l.prefix].length + l.resource.type.length)) + 2;
  for (const { prefix, resource } of lines) {
    const info = [resource.protect ? "[protect]" : "", ...securityInputs(resource)].filter(Boolean).join(" ");
    out.push(` +   ${pad(prefix + resource.type, typeWidth)}${resource.name}${info ? `  ${info}` : ""}`);
  }
  out.push(
    "",
    `Resources: ${plan.changeSummary.create} to create (${protectedCount} of ${resources.length} protected)`,
    "",
    "Access: who can obtain a token for each callee",
    ...accessTable(plan.access, containerAppCallees(resources)),
    "",
    ...findingsText(plan),
  );
  return `${out.join("\n")}\n`;
}

function findingsText(plan: PlanDocument): string[] {
  if (plan.diagnostics.length === 0) return ["Findings: none"];
  return [
    `Findings: ${plan.diagnostics.length}`,
    ...plan.diagnostics.map((d) => `  ${pad(d.severity, 8)}${d.policy}  ${urnName(d.urn)}: ${d.message}`),
  ];
}

/** The access rows as a Markdown table; every value a code span (tools/plan/markdown.ts). */
export function accessMarkdown(access: readonly AccessEntry[]): string[] {
  return [
    "| Callee | Principal | Type | Role |",
    "|---|---|---|---|",
    ...access.map(
      (a) =>
        `| ${codeCell(a.callee)} | ${codeCell(a.principal)} | ${codeCell(a.principalType)} | ${codeCell(a.role)} |`,
    ),
  ];
}

/** A plan as a PR comment body: the renderer's words in Markdown, every value of the plan a code span. */
export function renderPlanMarkdown(plan: PlanDocument): string {
  const resources = plannedResources(plan);
  const out = [
    `### Offline plan: ${codeSpan(plan.project)} stack ${codeSpan(plan.stack)}`,
    "",
    `**${plan.changeSummary.create} to create**, ${resources.filter((r) => r.protect).length} protected, ` +
      `${plan.access.length} access grant${plan.access.length === 1 ? "" : "s"}, ` +
      `${plan.diagnostics.length} finding${plan.diagnostics.length === 1 ? "" : "s"}`,
    "",
    "#### Access",
    "",
    ...(plan.access.length > 0 ? accessMarkdown(plan.access) : ["Nobody can obtain a token for any callee."]),
    "",
  ];
  const onContainerApps = [...containerAppCallees(resources)].filter((c) => plan.access.some((a) => a.callee === c));
  if (onContainerApps.length > 0)
    out.push(
      "> [!NOTE]",
      `> On Container Apps (${onContainerApps.map(codeSpan).join(", ")}) the app role assignment is the only gate: ` +
        "Container Apps authentication checks no allowed applications, so the app must check the token's `roles` " +
        "claim (and `azp`/`appid`, the caller's client id) itself.",
      "",
    );
  if (plan.diagnostics.length > 0) {
    out.push("#### Findings", "", "| Severity | Policy | Resource | Message |", "|---|---|---|---|");
    for (const d of plan.diagnostics)
      out.push(`| ${codeCell(d.severity)} | ${codeCell(d.policy)} | ${codeCell(d.urn)} | ${codeCell(d.message)} |`);
    out.push("");
  }
  out.push(
    "<details><summary>Resources</summary>",
    "",
    "| Type | Name | Protect | Security inputs |",
    "|---|---|---|---|",
  );
  for (const r of resources) {
    const inputs = codeCell(securityInputs(r).join(", "));
    out.push(`| ${codeCell(r.type)} | ${codeCell(r.name)} | ${r.protect ? "yes" : ""} | ${inputs} |`);
  }
  out.push("", "</details>", "");
  return out.join("\n");
}
