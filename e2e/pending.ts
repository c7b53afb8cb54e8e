// After a killed `pulumi up`: the creates the state lists as pending (the engine wrote "creating"
// and died before the answer), resolved the way docs/deploying.md's runbook tells an operator to. For
// each, look in the cloud for what that create would have made; found, it is imported into the
// state (`pulumi refresh --import-pending-creates <urn> <id>`), so the next `up` neither creates a
// second one (auto-named ARM resources, Graph applications) nor fails on "already exists" (service
// principals, identifier URIs, app role assignments). Not found: the create never happened, and the
// pending entry is dropped (`--clear-pending-creates`). Pure: the cloud is passed in as data.
import { armIdFor } from "@s2s-auth/twin/arm.ts";
import { RESOURCE_TYPE } from "../model/index.ts";

/** A pending operation of `pulumi stack export` (deployment.pending_operations[]). */
export interface PendingOperation {
  type: string;
  resource: { urn: string; type: string; inputs?: Record<string, unknown> };
}

/** The slice of the tenant an operator would query (az resource show, az ad app/sp list, az rest). */
export interface Cloud {
  subscriptionId: string;
  armIds: ReadonlySet<string>;
  applications: readonly {
    id: string;
    displayName?: string;
    identifierUris?: string[];
    api?: { preAuthorizedApplications?: { appId: string }[] };
  }[];
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
    case RESOURCE_TYPE.application: {
      // Display names are not unique in Entra ID: only an application no stack manages can be this one.
      const found = cloud.applications.filter(
        (a) => a.displayName === str(inputs.displayName) && !managed.has(`/applications/${a.id}`),
      );
      return found.length === 1 ? `/applications/${found[0]!.id}` : undefined;
    }
    case RESOURCE_TYPE.servicePrincipal: {
      const sp = cloud.servicePrincipals.find((s) => s.appId === str(inputs.clientId));
      return sp === undefined ? undefined : `/servicePrincipals/${sp.id}`;
    }
    case RESOURCE_TYPE.identifierUri: {
      const app = cloud.applications.find((a) => `/applications/${a.id}` === str(inputs.applicationId));
      const uri = str(inputs.identifierUri);
      return app?.identifierUris?.includes(uri)
        ? `${str(inputs.applicationId)}/identifierUris/${Buffer.from(uri).toString("base64")}`
        : undefined;
    }
    case RESOURCE_TYPE.preAuthorized: {
      const app = cloud.applications.find((a) => `/applications/${a.id}` === str(inputs.applicationId));
      const client = str(inputs.authorizedClientId);
      return app?.api?.preAuthorizedApplications?.some((p) => p.appId === client)
        ? `${app.id}/preAuthorizedApplication/${client}`
        : undefined;
    }
    case RESOURCE_TYPE.appRoleAssignment: {
      const a = cloud.appRoleAssignments.find(
        (x) =>
          x.appRoleId === str(inputs.appRoleId) &&
          x.principalId === str(inputs.principalObjectId) &&
          x.resourceId === str(inputs.resourceObjectId),
      );
      return a === undefined || managed.has(lastSegment(a.id))
        ? undefined
        : `/servicePrincipals/${a.resourceId}/appRoleAssignedTo/${a.id}`;
    }
    default:
      return undefined;
  }
}

/** Every pending create resolved: imported when found in the cloud, cleared when not. */
export function resolvePendingCreates(
  pending: readonly PendingOperation[],
  cloud: Cloud,
  managed: ReadonlySet<string>,
): Resolution {
  const out: Resolution = { imports: [], cleared: [] };
  for (const op of pending) {
    if (op.type !== "creating") continue;
    const id = cloudIdFor(op, cloud, managed);
    if (id === undefined) out.cleared.push(op.resource.urn);
    else out.imports.push({ urn: op.resource.urn, id });
  }
  return out;
}

/** A resource of a state, as `pulumi stack export` lists it. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  inputs?: Record<string, unknown>;
}

/** The tenant in its REST shapes: what `az resource list`, `az ad app list`, `az ad sp list` show. */
export interface Tenant {
  subscriptionId: string;
  arm: { resources: Record<string, { id: string; identity?: { principalId?: string } }> };
  graph: {
    applications: Record<
      string,
      {
        id: string;
        displayName?: string;
        identifierUris?: string[];
        api?: { preAuthorizedApplications?: { appId: string }[] };
      }
    >;
    servicePrincipals: Record<string, { id: string; appId?: string }>;
    appRoleAssignments: Record<string, { id: string; appRoleId: string; principalId: string; resourceId: string }>;
  };
}

/**
 * The twin objects a state names: ARM ids (lower-case), Graph object ids of applications, service principals,
 * assignments.
 */
export function objectsOf(resources: readonly StateResource[], tenant: Tenant): Set<string> {
  const out = new Set<string>();
  for (const r of resources) {
    if (!r.custom || !r.id) continue;
    if (r.type.startsWith("azure-native:")) {
      const key = r.id.toLowerCase();
      out.add(key);
      const principal = tenant.arm.resources[key]?.identity?.principalId;
      if (principal) out.add(principal);
    } else if (
      (
        [RESOURCE_TYPE.application, RESOURCE_TYPE.servicePrincipal, RESOURCE_TYPE.appRoleAssignment] as string[]
      ).includes(r.type)
    ) {
      out.add(lastSegment(r.id));
    }
  }
  return out;
}

/** What a killed run made that no state records, for a person (or the e2e) to delete before `up` makes it again. */
export interface Unrecorded {
  /** Twin paths of whole objects: `arm.resources."<key>"`, `graph.<collection>.<id>`. */
  objects: string[];
  /**
   * Values an application holds that no state declares (identifier URIs, pre-authorized clients), as the application
   * should be.
   */
  applications: { id: string; identifierUris: string[]; preAuthorizedApplications: { appId: string }[] }[];
}

/**
 * Everything created since `before` that no state names, and values on recorded applications that no
 * state's resources declare. `states` are the resources of every stack of the backend.
 */
export function unrecorded(before: ReadonlySet<string>, tenant: Tenant, states: readonly StateResource[]): Unrecorded {
  const owned = objectsOf(states, tenant);
  const fresh = (id: string) => !before.has(id) && !owned.has(id);
  const objects = [
    ...Object.keys(tenant.arm.resources)
      .filter(fresh)
      .map((k) => `arm.resources."${k}"`),
    ...(["applications", "servicePrincipals", "appRoleAssignments"] as const).flatMap((c) =>
      Object.keys(tenant.graph[c])
        .filter(fresh)
        .map((id) => `graph.${c}.${id}`),
    ),
  ];
  const uris = new Set(
    states
      .filter((r) => r.type === RESOURCE_TYPE.identifierUri)
      .map((r) => `${str(r.inputs?.applicationId)} ${str(r.inputs?.identifierUri)}`),
  );
  const clients = new Set(
    states
      .filter((r) => r.type === RESOURCE_TYPE.preAuthorized)
      .map((r) => `${str(r.inputs?.applicationId)} ${str(r.inputs?.authorizedClientId)}`),
  );
  const declaredOnApp = new Map(
    states.filter((r) => r.type === RESOURCE_TYPE.application && r.id).map((r) => [r.id!, r.inputs ?? {}]),
  );
  const applications: Unrecorded["applications"] = [];
  for (const app of Object.values(tenant.graph.applications)) {
    const key = `/applications/${app.id}`;
    const own = declaredOnApp.get(key);
    if (own === undefined) continue;
    const ownUris = Array.isArray(own.identifierUris) ? (own.identifierUris as string[]) : [];
    const keepUris = (app.identifierUris ?? []).filter((u) => ownUris.includes(u) || uris.has(`${key} ${u}`));
    const pre = app.api?.preAuthorizedApplications ?? [];
    const keepPre = pre.filter((p) => clients.has(`${key} ${p.appId}`));
    if (keepUris.length !== (app.identifierUris ?? []).length || keepPre.length !== pre.length) {
      applications.push({ id: app.id, identifierUris: keepUris, preAuthorizedApplications: keepPre });
    }
  }
  return { objects, applications };
}
