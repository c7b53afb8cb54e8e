// Who an identity is in the twin, read as the twin's own plugins read it: the tenant whose service
// principal it is, its display name, what it holds (its Azure roles, built-in or custom, and its
// Microsoft Graph permissions), and whether any of that lets it change something.
import { grants, holdingsOf, permissionsOf } from "@s2s-auth/twin/deployer.ts";
import { readWorld, type Deployer, type TwinState } from "@s2s-auth/twin/state.ts";

export interface Identity {
  principal: string;
  tenantId: string;
  name: string;
  holdings: Deployer;
  /** Whether it can change Azure resources, a Pulumi state or Entra objects. */
  writes: boolean;
}

/**
 * Actions that change something, each on its plane (Learn "Azure permissions"): a resource group
 * (any deployment writes one), a role assignment, and a blob of a state container. A role whose
 * definition grants one of them, at any scope, writes; the twin's own role semantics decide.
 */
const WRITE_PROBES: readonly [string, "control" | "data"][] = [
  ["Microsoft.Resources/subscriptions/resourceGroups/write", "control"],
  ["Microsoft.Authorization/roleAssignments/write", "control"],
  ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write", "data"],
];

/** Whether the holdings change anything: a role granting a write, or a Graph permission beyond reading. */
export function canWrite(tenant: TwinState, holdings: Deployer): boolean {
  return (
    holdings.azureRoles.some(({ role }) =>
      WRITE_PROBES.some(([action, plane]) => grants(permissionsOf(tenant, role), action, plane)),
    ) || holdings.graphAppRoles.some((p) => !/\.Read(Basic)?\.All$/.test(p))
  );
}

/** The service principal `principal` of whichever tenant has it; throws when none does. */
export function identityOf(stateFile: string, principal: string): Identity {
  const world = readWorld(stateFile);
  for (const tenant of Object.values(world.tenants)) {
    const sp = tenant.graph.servicePrincipals[principal];
    if (sp === undefined) continue;
    const holdings = holdingsOf(tenant, principal);
    return {
      principal,
      tenantId: tenant.tenantId,
      name: sp.displayName ?? principal,
      holdings,
      writes: canWrite(tenant, holdings),
    };
  }
  throw new Error(`no tenant of the twin has a service principal ${principal}`);
}
