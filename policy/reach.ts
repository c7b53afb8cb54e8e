// What an identity with federated credentials can write and read, computed from what its grants
// really allow: each Azure role assignment by its role's definition (a built-in role's from
// model/roles.ts, a custom role's from the RoleDefinition the stack declares) at its scope, each
// Graph permission by its name's pattern and its tenant-wide reach. Environments are known by the
// identities that serve them (their app registrations' tags): an environment's assets are the
// subscription, state container and key its identities are granted. The identity rules, the pack,
// the plan and the threat model (tools/threats/) all read reach from here.
import {
  allows,
  builtInRole,
  graphPermission,
  graphReach,
  managesKeys,
  OPERATIONS,
  type RolePermissions,
  writingOperations,
} from "../model/roles.ts";
import { DEPLOYS_TAG, type PlannedResource, READS_TAG, RESOURCE_TYPE, resourceReference } from "../model/index.ts";
import { asList, valueAt, type FederatedIdentity, type StackView } from "./stack.ts";

/** `repo:<owner>/<name>:<rest>` → `<rest>`; undefined while the subject is unknown. */
export function subjectClaim(credential: PlannedResource): string | undefined {
  const subject = credential.inputs["subject"];
  if (typeof subject !== "string") return undefined;
  const match = /^repo:[^:]+:(.+)$/.exec(subject);
  return match ? match[1] : subject;
}

/** The subjects an identity trusts, known ones only. */
export function subjectsOf(identity: FederatedIdentity): string[] {
  return identity.credentials.map(subjectClaim).filter((s): s is string => s !== undefined);
}

/** The values of an identity's app registration tags that start with `prefix`. */
function tagged(identity: FederatedIdentity, prefix: string): string[] {
  return identity.apps.flatMap((app) =>
    (asList(valueAt(app.inputs, "tags")) ?? [])
      .filter((tag): tag is string => typeof tag === "string" && tag.startsWith(prefix))
      .map((tag) => tag.slice(prefix.length)),
  );
}

/** The environments its app registrations say it deploys (`s2s-auth-deploys:<env>`). */
export const deploysOf = (identity: FederatedIdentity): string[] => tagged(identity, DEPLOYS_TAG);
/** The environments its app registrations say it only reads (`s2s-auth-reads:<env>`). */
export const readsOf = (identity: FederatedIdentity): string[] => tagged(identity, READS_TAG);
/** Every environment it serves. */
export const servesOf = (identity: FederatedIdentity): string[] => [...deploysOf(identity), ...readsOf(identity)];

/** An Azure role's definition as the stack knows it: permission blocks, and where it is defined. */
export interface RoleDefinitionView {
  name: string;
  blocks: RolePermissions[];
  /** `built-in` (model/roles.ts) or the URN of the RoleDefinition the stack declares. */
  definedBy: string;
}

function guidOf(id: unknown): string | undefined {
  return typeof id === "string" && !id.includes("${") ? id.split("/").pop()!.toLowerCase() : undefined;
}

/** A RoleDefinition resource's permission blocks, as its inputs state them. */
function blocksOf(definition: PlannedResource): RolePermissions[] {
  const list = (value: unknown) => (asList(value) ?? []).filter((v): v is string => typeof v === "string");
  return (asList(definition.inputs["permissions"]) ?? []).map((block) => ({
    actions: list(valueAt(block, "actions")),
    notActions: list(valueAt(block, "notActions")),
    dataActions: list(valueAt(block, "dataActions")),
    notDataActions: list(valueAt(block, "notDataActions")),
  }));
}

/**
 * The definition of the role a role assignment grants: a built-in role by id, or the custom role
 * the stack declares with that id (or names by reference); undefined when the stack cannot tell.
 */
export function roleDefinitionOf(assignment: PlannedResource, stack: StackView): RoleDefinitionView | undefined {
  const id = assignment.inputs["roleDefinitionId"];
  const ref = resourceReference(id);
  const guid = guidOf(id);
  const custom = stack
    .ofType(RESOURCE_TYPE.roleDefinition)
    .find((d) => d.urn === ref?.urn || (guid !== undefined && guidOf(d.inputs["roleDefinitionId"]) === guid));
  if (custom !== undefined) {
    const name = custom.inputs["roleName"];
    return { name: typeof name === "string" ? name : custom.name, blocks: blocksOf(custom), definedBy: custom.urn };
  }
  const role = guid === undefined ? undefined : builtInRole(guid);
  return role && { name: role.name, blocks: [role.permissions], definedBy: "built-in" };
}

/** One grant of an identity and what it allows, derived from its definition. */
export interface ClassifiedGrant {
  resource: PlannedResource;
  kind: "azure" | "graph" | "access";
  /** The role's or permission's name, or its id when the stack cannot tell. */
  name: string;
  /** Why it writes (the operations that change something), empty when it only reads. */
  writes: string[];
  /** Azure: the scope; undefined when not known yet. */
  scope?: string;
  /** Azure: the definition; undefined for an unknown role (which counts as writing). */
  definition?: RoleDefinitionView;
  /** Graph: the permission applies to every object of its kind in the tenant. */
  tenantWide?: boolean;
}

/** How a grant reads in a message: `Contributor at /subscriptions/…` or `Graph AppRoleAssignment.ReadWrite.All`. */
export function describeGrant(grant: ClassifiedGrant): string {
  if (grant.kind === "azure") return `${grant.name} (${grant.resource.name})`;
  return `Graph ${grant.name} (${grant.resource.name})`;
}

/** One grant, classified. An app role of an API the stack declares is access to that API, not a permission. */
export function classifyGrant(grant: PlannedResource, stack: StackView): ClassifiedGrant {
  if (grant.type === RESOURCE_TYPE.roleAssignment) {
    const definition = roleDefinitionOf(grant, stack);
    const scope = typeof grant.inputs["scope"] === "string" ? grant.inputs["scope"] : undefined;
    const id = guidOf(grant.inputs["roleDefinitionId"]);
    return {
      resource: grant,
      kind: "azure",
      name: definition?.name ?? `Azure role ${id ?? "(not known yet)"}`,
      writes: definition ? definition.blocks.flatMap(writingOperations) : ["an Azure role the stack does not define"],
      ...(scope !== undefined ? { scope } : {}),
      ...(definition ? { definition } : {}),
    };
  }
  const target = resourceReference(grant.inputs["resourceObjectId"]);
  if (
    (target !== undefined && stack.byUrn(target.urn)?.type === RESOURCE_TYPE.servicePrincipal) ||
    stack.calleeOf(grant) !== undefined
  )
    return { resource: grant, kind: "access", name: grant.name, writes: [] };
  const id = grant.inputs["appRoleId"];
  const permission = typeof id === "string" ? graphPermission(id) : undefined;
  const reach = permission && graphReach(permission.name);
  return {
    resource: grant,
    kind: "graph",
    name: permission?.name ?? `app role ${typeof id === "string" ? id : "(not known yet)"}`,
    writes: reach?.readOnly ? [] : [permission?.name ?? "an app role the stack does not define"],
    // An unknown app role could be anything: judged as writing the whole tenant.
    tenantWide: reach?.tenantWide ?? true,
  };
}

/** Every grant of an identity, classified. */
export function grantsOf(identity: FederatedIdentity, stack: StackView): ClassifiedGrant[] {
  return identity.grants.map((grant) => classifyGrant(grant, stack));
}

/** Why the identity can write, one line per grant; empty for an identity that only reads. */
export function writesOf(identity: FederatedIdentity, stack: StackView): string[] {
  return grantsOf(identity, stack)
    .filter((g) => g.writes.length > 0)
    .map((g) => (g.writes[0] === g.name ? describeGrant(g) : `${describeGrant(g)}: ${g.writes[0]}`));
}

/** What an environment consists of, as far as access is concerned. */
export type AssetKind = "subscription" | "state" | "key";

export interface Asset {
  environment: string;
  kind: AssetKind;
  /** Its ARM id. */
  scope: string;
}

/** The kind of asset an ARM id is, by its shape; undefined for any other scope. */
export function assetKind(scope: string): AssetKind | undefined {
  if (/^\/subscriptions\/[^/]+$/i.test(scope)) return "subscription";
  if (/\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+\/blobServices\/default\/containers\/[^/]+$/i.test(scope))
    return "state";
  if (/\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/keys\/[^/]+$/i.test(scope)) return "key";
  return undefined;
}

/**
 * Every environment's assets: the scopes granted to the identities that deploy it (an
 * environment no identity of the stack deploys: those of the identities that read it),
 * deduplicated. A reader's stray grant makes no asset: it is what the rules find.
 */
export function environmentAssets(stack: StackView): Asset[] {
  const seen = new Map<string, Asset>();
  const identities = stack.federatedIdentities();
  const deployed = new Set(identities.flatMap(deploysOf));
  for (const identity of identities) {
    const served = [...deploysOf(identity), ...readsOf(identity).filter((e) => !deployed.has(e))];
    for (const grant of grantsOf(identity, stack)) {
      const kind = grant.scope === undefined ? undefined : assetKind(grant.scope);
      if (kind === undefined) continue;
      for (const environment of served)
        seen.set(`${environment} ${grant.scope!.toLowerCase()}`, { environment, kind, scope: grant.scope! });
    }
  }
  return [...seen.values()];
}

/** Whether `outer` is `inner` or one of its ancestors (Learn, "Understand scope for Azure RBAC"). */
export function scopeCovers(outer: string, inner: string): boolean {
  const o = outer.toLowerCase().replace(/\/+$/, "");
  const i = inner.toLowerCase();
  return i === o || i.startsWith(`${o}/`);
}

/** What an identity can do to an asset: `write` changes it, `manage` (keys) can disable or export it. */
export type Access = "read" | "use" | "write" | "manage";

export interface Reach {
  asset: Asset;
  access: Access;
  /** The grant that gives it. */
  via: ClassifiedGrant;
}

/** What one set of role permissions allows on an asset the role's scope covers. */
function accessTo(kind: AssetKind, blocks: RolePermissions[]): Access | undefined {
  const any = (test: (p: RolePermissions) => boolean) => blocks.some(test);
  if (kind === "state") {
    if (
      any(
        (p) =>
          allows(p, OPERATIONS.listStorageKeys) ||
          allows(p, OPERATIONS.writeBlobs, true) ||
          allows(p, OPERATIONS.deleteBlobs, true),
      )
    )
      return "write";
    return any((p) => allows(p, OPERATIONS.readBlobs, true)) ? "read" : undefined;
  }
  if (kind === "key") {
    if (any(managesKeys)) return "manage";
    if (any((p) => allows(p, OPERATIONS.decrypt, true) || allows(p, OPERATIONS.encrypt, true))) return "use";
    return any((p) => allows(p, OPERATIONS.readKey, true)) ? "read" : undefined;
  }
  if (any((p) => writingOperations(p).length > 0)) return "write";
  return any((p) => p.actions.length > 0) ? "read" : undefined;
}

/** Everything, for a role the stack cannot tell: Owner's actions and every data action. */
const ALL: RolePermissions = { actions: ["*"], notActions: [], dataActions: ["*"], notDataActions: [] };

/**
 * What the identity reaches of each environment's assets through its Azure grants: a grant whose
 * scope covers the asset (or, for a subscription, lies inside it) gives what its role allows
 * there. An unknown role is judged as writing whatever its scope covers.
 */
export function reachOf(identity: FederatedIdentity, stack: StackView, assets = environmentAssets(stack)): Reach[] {
  const reach: Reach[] = [];
  for (const grant of grantsOf(identity, stack)) {
    if (grant.kind !== "azure" || grant.scope === undefined) continue;
    const blocks = grant.definition?.blocks ?? [ALL];
    for (const asset of assets) {
      const covers = scopeCovers(grant.scope, asset.scope);
      const inside = asset.kind === "subscription" && scopeCovers(asset.scope, grant.scope);
      if (!covers && !inside) continue;
      const access = accessTo(asset.kind, blocks);
      if (access !== undefined) reach.push({ asset, access, via: grant });
    }
  }
  return reach;
}

/** The Graph grants of an identity that write the whole tenant (and so every environment in it). */
export function tenantWritesOf(identity: FederatedIdentity, stack: StackView): ClassifiedGrant[] {
  return grantsOf(identity, stack).filter((g) => g.kind === "graph" && g.writes.length > 0 && g.tenantWide);
}
