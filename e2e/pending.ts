// After a killed `pulumi up`: the creates the state lists as pending (the engine wrote "creating"
// and died before the answer), resolved the way the README's runbook tells an operator to. For
// each, look in the cloud for what that create would have made; found, it is imported into the
// state (`pulumi refresh --import-pending-creates <urn> <id>`), so the next `up` neither creates a
// second one (auto-named ARM resources, Graph applications) nor fails on "already exists" (service
// principals, identifier URIs, app role assignments). Not found: the create never happened, and the
// pending entry is dropped (`--clear-pending-creates`). Pure: the cloud is passed in as data.
import { armIdFor } from "../twin/arm.ts";

/** A pending operation of `pulumi stack export` (deployment.pending_operations[]). */
export interface PendingOperation {
  type: string;
  resource: { urn: string; type: string; inputs?: Record<string, unknown> };
}

/** The slice of the tenant an operator would query (az resource show, az ad app/sp list, az rest). */
export interface Cloud {
  subscriptionId: string;
  armIds: ReadonlySet<string>;
  applications: readonly { id: string; displayName?: string; identifierUris?: string[]; api?: { preAuthorizedApplications?: { appId: string }[] } }[];
  servicePrincipals: readonly { id: string; appId?: string }[];
  appRoleAssignments: readonly { id: string; appRoleId: string; principalId: string; resourceId: string }[];
}

export interface Resolution {
  /** `--import-pending-creates` pairs. */
  imports: { urn: string; id: string }[];
  /** Pending creates that made nothing: cleared. */
  cleared: string[];
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const lastSegment = (id: string): string => id.split("/").filter(Boolean).at(-1) ?? "";

/** The id of what this pending create made, if the cloud has it and no state already manages it. */
export function cloudIdFor(op: PendingOperation, cloud: Cloud, managed: ReadonlySet<string>): string | undefined {
  const inputs = (op.resource.inputs ?? {}) as Record<string, never>;
  const type = op.resource.type;
  if (type.startsWith("azure-native:")) {
    const id = armIdFor(type, cloud.subscriptionId, inputs);
    return id !== undefined && cloud.armIds.has(id.toLowerCase()) && !managed.has(id.toLowerCase()) ? id : undefined;
  }
  switch (type) {
    case "azuread:index/application:Application": {
      // Display names are not unique in Entra ID: only an application no stack manages can be this one.
      const found = cloud.applications.filter((a) => a.displayName === str(inputs.displayName) && !managed.has(`/applications/${a.id}`));
      return found.length === 1 ? `/applications/${found[0]!.id}` : undefined;
    }
    case "azuread:index/servicePrincipal:ServicePrincipal": {
      const sp = cloud.servicePrincipals.find((s) => s.appId === str(inputs.clientId));
      return sp === undefined ? undefined : `/servicePrincipals/${sp.id}`;
    }
    case "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri": {
      const app = cloud.applications.find((a) => `/applications/${a.id}` === str(inputs.applicationId));
      const uri = str(inputs.identifierUri);
      return app?.identifierUris?.includes(uri) ? `${str(inputs.applicationId)}/identifierUris/${Buffer.from(uri).toString("base64")}` : undefined;
    }
    case "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized": {
      const app = cloud.applications.find((a) => `/applications/${a.id}` === str(inputs.applicationId));
      const client = str(inputs.authorizedClientId);
      return app?.api?.preAuthorizedApplications?.some((p) => p.appId === client) ? `${app.id}/preAuthorizedApplication/${client}` : undefined;
    }
    case "azuread:index/appRoleAssignment:AppRoleAssignment": {
      const a = cloud.appRoleAssignments.find(
        (x) => x.appRoleId === str(inputs.appRoleId) && x.principalId === str(inputs.principalObjectId) && x.resourceId === str(inputs.resourceObjectId),
      );
      return a === undefined || managed.has(lastSegment(a.id)) ? undefined : `/servicePrincipals/${a.resourceId}/appRoleAssignedTo/${a.id}`;
    }
    default:
      return undefined;
  }
}

/** Every pending create resolved: imported when found in the cloud, cleared when not. */
export function resolvePendingCreates(pending: readonly PendingOperation[], cloud: Cloud, managed: ReadonlySet<string>): Resolution {
  const out: Resolution = { imports: [], cleared: [] };
  for (const op of pending) {
    if (op.type !== "creating") continue;
    const id = cloudIdFor(op, cloud, managed);
    if (id === undefined) out.cleared.push(op.resource.urn);
    else out.imports.push({ urn: op.resource.urn, id });
  }
  return out;
}
