// A drift audit of a deployed stack, for what `pulumi refresh` and the policy pack cannot say:
// - the policy pack judges the program's *proposed* inputs, so after a refresh that pulled in a
//   change made in the portal, `pulumi preview --policy-pack` proposes the fix and passes. Here the
//   same rules (policy/rules/) judge the *refreshed state* (`pulumi stack export`), so a stack
//   running with the change is reported until `pulumi up` puts it back;
// - an app role assignment Pulumi does not manage is invisible to refresh. Here every assignment on
//   a service principal the stack manages (Graph `appRoleAssignedTo`) that the state does not hold
//   is listed: `pulumi up` leaves it, a person removes it.
// Pure functions; tools/drift/cli.ts reads the export and Graph's assignments.
import { type Finding, type PlannedResource, RESOURCE_TYPE, type RuleContext, urnName } from "../../model/index.ts";
import { evaluate } from "../../policy/rules/index.ts";

/** One resource of `pulumi stack export` (deployment.resources[]). */
export interface ExportedResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  parent?: string;
  protect?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** An app role assignment as Graph returns it (`GET /servicePrincipals/{id}/appRoleAssignedTo`). */
export interface GraphAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType?: string;
  principalDisplayName?: string;
  resourceId: string;
}

export interface DriftReport {
  /** Policy findings on the refreshed state. */
  findings: Finding[];
  /** Assignments on the stack's service principals that the stack does not manage. */
  unmanaged: GraphAssignment[];
}

const SIG = "4dabf18193072939515e22adb298388d";

/** A secret in an export (`{ "4dabf…": "1b47…", "plaintext": "<json>" }` with --show-secrets) unwrapped. */
function unwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrap);
  if (typeof value === "object" && value !== null) {
    const o = value as Record<string, unknown>;
    if (SIG in o)
      return "plaintext" in o && typeof o.plaintext === "string" ? unwrap(JSON.parse(o.plaintext)) : unwrap(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, unwrap(v)]));
  }
  return value;
}

/** The exported state in the shape the rules read: the state's inputs, which a refresh updated. */
export function toPlanned(resources: readonly ExportedResource[]): PlannedResource[] {
  return resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: urnName(r.urn),
    custom: r.custom ?? true,
    parent: r.parent,
    protect: r.protect ?? false,
    inputs: unwrap(r.inputs ?? {}) as Record<string, unknown>,
  }));
}

/** Object ids of the service principals the stack manages: the resources assignments are made on. */
export function managedServicePrincipals(resources: readonly ExportedResource[]): string[] {
  return resources
    .filter((r) => r.type === RESOURCE_TYPE.servicePrincipal)
    .map((r) => String(r.outputs?.objectId ?? r.id?.split("/").at(-1) ?? ""))
    .filter((id) => id !== "");
}

/** Ids of the assignments the stack manages (azuread's id ends `/appRoleAssignedTo/{assignment id}`). */
function managedAssignmentIds(resources: readonly ExportedResource[]): Set<string> {
  return new Set(
    resources.filter((r) => r.type === RESOURCE_TYPE.appRoleAssignment && r.id).map((r) => r.id!.split("/").at(-1)!),
  );
}

/** Policy findings on the refreshed state, and the assignments nobody declared. */
export function audit(
  resources: readonly ExportedResource[],
  assignments: readonly GraphAssignment[],
  ctx: RuleContext,
): DriftReport {
  const managed = managedAssignmentIds(resources);
  const principals = new Set(managedServicePrincipals(resources));
  const unmanaged = assignments.filter((a) => principals.has(a.resourceId) && !managed.has(a.id));
  return { findings: evaluate(toPlanned(resources), ctx), unmanaged };
}

/** The report, one line per finding or assignment; empty when nothing drifted. */
export function formatReport(stack: string, report: DriftReport): string {
  const lines = report.findings.map((f) => `drift: ${stack}: ${f.severity} ${f.policy} ${f.urn}: ${f.message}`);
  for (const a of report.unmanaged) {
    lines.push(
      `drift: ${stack}: unmanaged app role assignment ${a.id} on service principal ${a.resourceId}: ` +
        `${a.principalType ?? "principal"} ${a.principalId}` +
        `${a.principalDisplayName ? ` (${a.principalDisplayName})` : ""} holds role ${a.appRoleId}; ` +
        "pulumi up does not remove it: remove it if nobody granted it on purpose " +
        `(az rest --method DELETE --url https://graph.microsoft.com/v1.0/servicePrincipals/${a.resourceId}/appRoleAssignedTo/${a.id})`,
    );
  }
  return lines.join("\n");
}
