/**
 * What every azure-native resource type shares: ARM's generic PUT/GET/DELETE over `state.arm.resources`,
 * driven by one `ArmSpec` per type (twin/src/arm/<type>.ts). A rule of one type lives in its spec, with
 * its source; what is here holds for every type.
 *
 * azure-native's resource shapes: outputs are the ARM response with `properties` flattened to the top
 * level plus `azureApiVersion` (node_modules/@pulumi/azure-native/<module>/<res>.d.ts); the API versions
 * in the specs are the ones those files name ("Uses Azure REST API version ...").
 */
import { requireAzureAction } from "../deployer.ts";
import { models } from "../fidelity.ts";
import { managedIdentityServicePrincipal, removePrincipal } from "../graph/managedIdentity.ts";
import type { ResourceHandler } from "../provider.ts";
import {
  type ArmResource,
  type Json,
  type JsonObject,
  type TwinState,
  UNKNOWN,
  allTenants,
  armKey,
  subscriptionsOf,
  isObject,
  newGuid,
  randomHex,
} from "../state.ts";
import { ARM_ERRORS, AZURE_NATIVE_ERRORS, type CloudError } from "./errors.ts";
import { requireTokenTenant } from "./tenancy.ts";

export interface ArmSpec {
  armType: string;
  apiVersion: string;
  /** The resource id template: `{subscriptionId}` and input names; `{scope}` is an id itself. */
  path: string;
  /** How azure-native names the resource when the program does not (pulumi-azure-native autonaming). */
  autoname?: "random" | "uuid";
  /** Inputs that ARM keeps beside `properties` rather than inside it (the type's REST "envelope"). */
  envelope: readonly string[];
  /** Path parameters the REST response also carries in `properties`. */
  pathParamsInProperties?: readonly string[];
  /**
   * Config-like resources that exist as long as their parent and have no DELETE: destroying them resets
   * them (azure-native's "default resource state on delete", pulumi-azure-native #4330 / #4373).
   */
  resetOnDelete?: JsonObject;
  /**
   * Body properties azure-native's metadata marks ForceNew for this type (twin/src/arm/replacement.json,
   * filled in by twin/src/arm.ts); path parameters replace too.
   */
  forceNew?: readonly string[];
  /** ARM's checks of a PUT, on create and on update alike. */
  validate?(state: TwinState, resource: ArmResource, inputs: JsonObject): void;
  /** ARM's checks of a DELETE, once the caller may delete. */
  validateDelete?(state: TwinState, resource: ArmResource): void;
  /**
   * What a request for this type carries for ABAC conditions (twin/src/arm/condition.ts): `@Request`
   * attributes on a write, the existing resource's `@Resource` attributes on a delete.
   */
  conditionAttributes?(source: "@Request" | "@Resource", resource: ArmResource): Record<string, string[]>;
  /** Properties ARM computes on create (kept across updates). */
  computed?(state: TwinState, resource: ArmResource): JsonObject;
  /** Properties ARM computes again from what an update (or its preview) sets. */
  recomputedOnUpdate?(state: TwinState, resource: ArmResource): JsonObject;
}

export const RG = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}";

/** A type whose resources live in a resource group at `<armType>/{<nameParam>}`, auto-named when unnamed. */
export function autoNamedInGroup(
  armType: string,
  apiVersion: string,
  nameParam: string,
  envelope: readonly string[],
): Pick<ArmSpec, "armType" | "apiVersion" | "path" | "autoname" | "envelope"> {
  return { armType, apiVersion, path: `${RG}/providers/${armType}/{${nameParam}}`, autoname: "random", envelope };
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((p) => p !== "subscriptionId");
}

/** The resource id a spec's path template gives for these inputs. */
export function render(subscriptionId: string, path: string, inputs: JsonObject): string {
  return path.replace(/\{(\w+)\}/g, (_, param: string) => {
    if (param === "subscriptionId") return subscriptionId;
    const value = inputs[param];
    if (typeof value !== "string" || value === "") throw AZURE_NATIVE_ERRORS.missingPathParameter(param);
    return param === "scope" ? value.replace(/\/+$/, "") : value;
  });
}

function segments(id: string): string[] {
  return id.split("/").filter((s) => s !== "");
}

/** `resourceGroups/<rg>` of an id, when it has one. */
export function resourceGroupOf(id: string): string | undefined {
  const parts = segments(id);
  const at = parts.findIndex((p) => p.toLowerCase() === "resourcegroups");
  return at >= 0 ? parts[at + 1] : undefined;
}

/** ARM's answer for a missing resource or group. */
function notFound(id: string): CloudError {
  const parts = segments(id);
  const rg = resourceGroupOf(id) ?? "";
  if (parts.length === 4 && parts[2]?.toLowerCase() === "resourcegroups") return ARM_ERRORS.resourceGroupNotFound(rg);
  const providerAt = parts.findIndex((p) => p.toLowerCase() === "providers");
  return ARM_ERRORS.resourceNotFound(parts.slice(providerAt + 1).join("/"), rg);
}

/** The id a resource lives under: its parent resource, else its resource group, else its subscription. */
function parentId(id: string): string | undefined {
  const parts = segments(id);
  const providerAt = parts.lastIndexOf("providers");
  if (providerAt < 0) return parts.length > 2 ? `/${parts.slice(0, 2).join("/")}` : undefined;
  const typed = parts.slice(providerAt + 2);
  if (typed.length > 2) return `/${parts.slice(0, parts.length - 2).join("/")}`;
  return providerAt > 0 ? `/${parts.slice(0, providerAt).join("/")}` : undefined;
}

function exists(state: TwinState, id: string): boolean {
  const parts = segments(id);
  // The tenant's subscriptions (twin/src/cli.ts add-subscription), and resources made outside the stacks
  // (add-resource).
  const own =
    parts.length === 2 &&
    parts[0]?.toLowerCase() === "subscriptions" &&
    subscriptionsOf(state).includes(parts[1]!.toLowerCase());
  return own || state.arm.resources[armKey(id)] !== undefined;
}

/** A reference to another resource (plan, environment) must resolve, or ARM answers 404. */
export function requireExisting(state: TwinState, value: Json | undefined): void {
  if (typeof value === "string" && value !== "" && !exists(state, value)) throw notFound(value);
}

/** Names a resource takes across all tenants (its DNS name): the twin's tenants stand in for "all of Azure". */
export function globallyUnique(state: TwinState, resource: ArmResource, error: () => CloudError): void {
  const clash = allTenants(state).some((tenant) =>
    Object.values(tenant.arm.resources).some(
      (r) =>
        r.type === resource.type &&
        r.name.toLowerCase() === resource.name.toLowerCase() &&
        armKey(r.id) !== armKey(resource.id),
    ),
  );
  if (clash) throw error();
}

/** The resource id travels as the engine's id, not as an output (azure-native's schemas have no `id` property). */
function outputs(spec: ArmSpec, resource: ArmResource): JsonObject {
  const envelope: JsonObject = { name: resource.name, type: resource.type };
  for (const key of ["location", "kind", "sku", "tags", "identity", "systemData"] as const) {
    const value = resource[key];
    if (value !== undefined) envelope[key] = value as Json;
  }
  return { ...resource.properties, ...envelope, azureApiVersion: spec.apiVersion };
}

function build(state: TwinState, spec: ArmSpec, inputs: JsonObject): ArmResource {
  const id = render(state.subscriptionId, spec.path, inputs);
  const params = new Set(pathParams(spec.path));
  const resource: ArmResource = { id, name: segments(id).at(-1)!, type: spec.armType, properties: {} };
  for (const [key, value] of Object.entries(inputs)) {
    if (params.has(key)) continue;
    if (spec.envelope.includes(key)) (resource as unknown as JsonObject)[key] = value;
    else resource.properties[key] = value;
  }
  for (const key of spec.pathParamsInProperties ?? []) resource.properties[key] = inputs[key] ?? null;
  return resource;
}

/**
 * A system-assigned identity is created with its resource, and with it a service principal in Entra ID
 * that is deleted with the resource (Learn "What are managed identities for Azure resources?").
 */
function attachIdentity(state: TwinState, resource: ArmResource, previous: ArmResource | undefined): void {
  const type = resource.identity?.type ?? "";
  if (!/systemassigned/i.test(type)) {
    if (previous?.identity?.principalId) removePrincipal(state, previous.identity.principalId);
    return;
  }
  const principalId =
    previous?.identity?.principalId ?? managedIdentityServicePrincipal(state, resource.name, resource.id);
  resource.identity = { ...resource.identity!, principalId, tenantId: state.tenantId };
}

/** What ARM will compute, unknown until it does; values the program set inside the same object stay known. */
function unknownOver(input: Json | undefined, computed: Json): Json {
  if (isObject(input) && isObject(computed)) {
    return { ...input, ...Object.fromEntries(Object.entries(computed).map(([k, v]) => [k, unknownOver(input[k], v)])) };
  }
  return input ?? UNKNOWN;
}

function removeWithChildren(state: TwinState, id: string): void {
  const key = armKey(id);
  for (const [k, r] of Object.entries(state.arm.resources)) {
    if (k === key || k.startsWith(`${key}/`)) {
      if (r.identity?.principalId) removePrincipal(state, r.identity.principalId);
      delete state.arm.resources[k];
    }
  }
}

/** An update keeps what ARM computed at creation (host names, FQDNs, domains); what the program sets is replaced. */
function updated(state: TwinState, spec: ArmSpec, resource: ArmResource, previous: ArmResource): void {
  resource.properties = { ...previous.properties, ...resource.properties };
  Object.assign(resource.properties, spec.recomputedOnUpdate?.(state, resource) ?? {});
}

/**
 * The path parameters a resource id gives for a spec's path template (`{scope}` spans segments),
 * segments compared ignoring case as ARM does; undefined when the id does not fit the template.
 */
export function pathParamsOf(path: string, id: string): JsonObject | undefined {
  const names: string[] = [];
  const pattern = path
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (param === undefined) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(param);
      return param === "scope" ? "(.+?)" : "([^/]+)";
    })
    .join("/");
  const match = new RegExp(`^${pattern}$`, "i").exec(id);
  if (match === null) return undefined;
  return Object.fromEntries(
    names.flatMap((name, i) => (name === "subscriptionId" ? [] : [[name, match[i + 1]!]])),
  ) as JsonObject;
}

/** The provider's handler for a type, from its spec. */
export function armHandler(spec: ArmSpec): ResourceHandler {
  const params = pathParams(spec.path);
  const nameParam = params.at(-1);
  /**
   * The resource at `id` as ARM answers a GET: what the state holds, or for a config-like child that
   * exists as long as its parent (`resetOnDelete`: a site's authsettingsV2 and publishing policies) and
   * was never written, its default state, as a GET of it on any site returns one.
   */
  const current = (state: TwinState, id: string): ArmResource | undefined => {
    const resource = state.arm.resources[armKey(id)];
    if (resource !== undefined || spec.resetOnDelete === undefined) return resource;
    const parent = parentId(id);
    if (parent === undefined || state.arm.resources[armKey(parent)] === undefined) return undefined;
    return { id, name: segments(id).at(-1)!, type: spec.armType, properties: structuredClone(spec.resetOnDelete) };
  };
  const attributes = (source: "@Request" | "@Resource", resource: ArmResource) =>
    spec.conditionAttributes?.(source, resource) ?? {};
  return {
    // pulumi-azure-native provider/pkg/provider/diff.go, calculateDetailedDiff: a change, an addition or a
    // removal of a path parameter or of a ForceNew property replaces (twin/src/arm/replacement.json).
    replaceOn: [...params, ...(spec.forceNew ?? [])],
    // azure-native reads path parameters back from the resource id, not from the body.
    keepOnRead: params,

    check(news, olds, name) {
      if (spec.autoname === undefined || nameParam === undefined || news[nameParam] !== undefined) return news;
      const previous = olds[nameParam];
      // azure-native auto-names with the logical name and 8 random characters, untruncated
      // (pulumi-azure-native provider/pkg/provider/autonaming_test.go), keeping the previous name.
      const generated =
        typeof previous === "string" ? previous : spec.autoname === "uuid" ? newGuid() : `${name}${randomHex(8)}`;
      return { ...news, [nameParam]: generated };
    },

    create(state, inputs) {
      const resource = build(state, spec, inputs);
      requireTokenTenant(state, resource.id);
      requireAzureAction(state, `${spec.armType}/write`, resource.id, attributes("@Request", resource));
      const parent = parentId(resource.id);
      if (parent !== undefined && !exists(state, parent)) throw notFound(parent);
      const existing = state.arm.resources[armKey(resource.id)];
      // azure-native refuses to adopt a resource it did not create.
      if (existing !== undefined && spec.resetOnDelete === undefined)
        throw AZURE_NATIVE_ERRORS.alreadyExists(resource.id);
      spec.validate?.(state, resource, inputs);
      const now = new Date().toISOString();
      resource.systemData = { createdAt: now, lastModifiedAt: now };
      attachIdentity(state, resource, undefined);
      Object.assign(resource.properties, spec.computed?.(state, resource) ?? {});
      state.arm.resources[armKey(resource.id)] = resource;
      return { id: resource.id, outs: outputs(spec, resource) };
    },

    read(state, id) {
      requireTokenTenant(state, id);
      const resource = current(state, id);
      return resource === undefined ? undefined : outputs(spec, resource);
    },

    // azure-native computes an import's inputs from the resource id and the response: the path
    // parameters, and the body's writable properties (pulumi-azure-native provider/pkg/convert,
    // ResponseToSdkInputs). Read-only ones here: what ARM computes (`computed`), the identity's ids.
    importInputs(state, id) {
      const resource = current(state, id);
      if (resource === undefined) return {};
      const readOnly = new Set([
        ...Object.keys(spec.computed?.(state, structuredClone(resource)) ?? {}),
        ...(spec.pathParamsInProperties ?? []),
      ]);
      const inputs: JsonObject = { ...(pathParamsOf(spec.path, resource.id) ?? {}) };
      for (const key of spec.envelope) {
        const value = (resource as unknown as JsonObject)[key];
        if (value === undefined) continue;
        if (key === "identity" && isObject(value)) {
          const { principalId: _p, tenantId: _t, ...identity } = value;
          inputs[key] = identity;
        } else inputs[key] = value;
      }
      for (const [key, value] of Object.entries(resource.properties)) if (!readOnly.has(key)) inputs[key] = value;
      return inputs;
    },

    update(state, id, news) {
      requireTokenTenant(state, id);
      // A PUT: a config child never written yet is updated from its default state.
      const previous = current(state, id);
      if (previous === undefined) throw notFound(id);
      const resource = build(state, spec, news);
      requireAzureAction(state, `${spec.armType}/write`, id, attributes("@Request", resource));
      spec.validate?.(state, resource, news);
      resource.systemData = {
        createdAt: previous.systemData?.createdAt ?? new Date().toISOString(),
        lastModifiedAt: new Date().toISOString(),
      };
      attachIdentity(state, resource, previous);
      updated(state, spec, resource, previous);
      state.arm.resources[armKey(id)] = resource;
      return outputs(spec, resource);
    },

    // azure-native previews from the inputs, computed properties unknown (pulumi-azure-native provider.go,
    // Create/Update with preview); an update keeps what the resource already has.
    preview(state, inputs, id) {
      const resource = build(state, spec, inputs);
      const previous = id === undefined ? undefined : state.arm.resources[armKey(id)];
      const assigned = /systemassigned/i.test(resource.identity?.type ?? "");
      if (previous !== undefined) {
        if (assigned)
          resource.identity = {
            ...resource.identity!,
            principalId: previous.identity?.principalId ?? UNKNOWN,
            tenantId: previous.identity?.tenantId ?? UNKNOWN,
          };
        updated(state, spec, resource, previous);
        return outputs(spec, resource);
      }
      if (assigned) resource.identity = { ...resource.identity!, principalId: UNKNOWN, tenantId: UNKNOWN };
      for (const [key, value] of Object.entries(spec.computed?.(state, resource) ?? {})) {
        resource.properties[key] = key in resource.properties ? unknownOver(resource.properties[key], value) : UNKNOWN;
      }
      return outputs(spec, resource);
    },

    delete(state, id) {
      requireTokenTenant(state, id);
      const resource = state.arm.resources[armKey(id)];
      // azure-native treats a resource already gone as deleted (404 on DELETE is success).
      if (resource === undefined) return;
      requireAzureAction(state, `${resource.type}/delete`, id, attributes("@Resource", resource));
      spec.validateDelete?.(state, resource);
      if (spec.resetOnDelete !== undefined) {
        resource.properties = structuredClone(spec.resetOnDelete);
        return;
      }
      // Deleting a resource group deletes everything in it (Learn "Azure Resource Manager resource group
      // and resource deletion"); deleting a resource deletes its child resources.
      removeWithChildren(state, id);
    },
  };
}

const TEST = "test/arm/resource.test.ts";
models({
  class: "adoption",
  behaviour:
    "an azure-native import (a read with no previous state) gives the path parameters and the body's writable " +
    "properties as inputs, none of what ARM computes nor the identity's ids",
  source: "pulumi-azure-native provider/pkg/convert, ResponseToSdkInputs",
  test: `${TEST} › imports (no previous state): inputs that make the resource as it is, none of what ARM computes`,
});
models({
  class: "adoption",
  behaviour:
    "a site's config child that has no DELETE (authsettingsV2, publishing policies) exists as long as its site: " +
    "a GET of one never written answers its default state, and a PUT updates it",
  source: "Learn REST Web Apps: Get/Update Auth Settings V2 and Get/Update Ftp Allowed, with no Delete",
  test: `${TEST} › a site's publishing policy never written exists as long as the site, in its default state`,
});
