/**
 * What the azuread twin's handlers (twin/src/graph/<type>.ts) share: reading azuread's untyped inputs,
 * finding objects by azuread's ids, soft deletion, owners, and the app role and scope shapes that
 * applications and service principals both expose. Objects are stored as Graph v1.0 returns them
 * (the types in twin/src/state.ts); each handler maps azuread's attribute names
 * (node_modules/@pulumi/azuread/*.d.ts) to and from them.
 */
import { type GraphOperation, deployerOf, requireGraph } from "../deployer.ts";
import {
  type AppRole,
  type DirectoryObjectRef,
  type GraphApplication,
  type GraphServicePrincipal,
  type Json,
  type JsonObject,
  type PermissionScope,
  type TwinState,
  UNKNOWN,
  isObject,
  newGuid,
} from "../state.ts";
import type { CheckFailure } from "@pulumi/pulumi/provider/index.js";
import { AZUREAD_CHECKS, GRAPH_ERRORS } from "./errors.ts";

// ---------------------------------------------------------------------------------------------
// azuread's inputs, as the engine sends them (plain JSON)

export function objects(value: Json | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
export function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
export function str(value: Json | undefined): string {
  return typeof value === "string" ? value : "";
}
/** A string input, or `unset` when azuread leaves it out. */
export function strOr<T>(value: Json | undefined, unset: T): string | T {
  return typeof value === "string" ? value : unset;
}
/** A boolean input, or `unset` when azuread leaves it out. */
export function boolOr(value: Json | undefined, unset: boolean): boolean {
  return typeof value === "boolean" ? value : unset;
}

// ---------------------------------------------------------------------------------------------
// azuread's own validation (run in Check, twin/src/provider.ts ResourceHandler.validate)

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A value the engine does not know yet (a preview): validators leave it alone. */
export function isUnknown(value: Json | undefined): boolean {
  return value === UNKNOWN;
}

/** Collects check failures for one resource's inputs, skipping unknown values. */
export class Checks {
  readonly failures: CheckFailure[] = [];
  fail(property: string, reason: string): void {
    this.failures.push({ property, reason });
  }
  /** validation.StringIsNotEmpty on a required or set attribute. */
  notEmpty(property: string, value: Json | undefined): void {
    if (!isUnknown(value) && (typeof value !== "string" || value === "")) {
      this.fail(property, AZUREAD_CHECKS.notEmpty.message(property));
    }
  }
  /** validation.IsUUID. */
  uuid(property: string, value: Json | undefined): void {
    if (!isUnknown(value) && (typeof value !== "string" || !UUID.test(value))) {
      this.fail(property, AZUREAD_CHECKS.uuid.message(property, String(value ?? "")));
    }
  }
  /** validation.StringInSlice (case-sensitive). */
  oneOf(property: string, value: Json | undefined, allowed: readonly string[]): void {
    if (!isUnknown(value) && typeof value === "string" && !allowed.includes(value)) {
      this.fail(property, AZUREAD_CHECKS.oneOf.message(property, allowed, value));
    }
  }
  /** validation.StringLenBetween. */
  lengthBetween(property: string, value: Json | undefined, min: number, max: number): void {
    if (typeof value === "string" && !isUnknown(value) && (value.length < min || value.length > max)) {
      this.fail(property, AZUREAD_CHECKS.lengthBetween.message(property, min, max, value));
    }
  }
  /** MinItems / MaxItems of a list or set attribute. */
  items(property: string, value: Json | undefined, min: number, max: number): void {
    if (!Array.isArray(value)) return;
    if (value.length < min) this.fail(property, AZUREAD_CHECKS.items.message(property, "at least", min));
    if (value.length > max) this.fail(property, AZUREAD_CHECKS.items.message(property, "at most", max));
  }
}

// ---------------------------------------------------------------------------------------------
// azuread's ids

/** The object id in azuread's id of an application or service principal (`/applications/{objectId}`). */
export function objectIdOf(collection: "applications" | "servicePrincipals", id: string): string {
  return id.replace(collection === "applications" ? /^\/applications\// : /^\/servicePrincipals\//, "");
}

/** `/applications/{objectId}` (azuread v3's application resource id, application.d.ts "Import") → the object. */
export function applicationFromId(state: TwinState, applicationId: Json | undefined): GraphApplication {
  const objectId = objectIdOf("applications", str(applicationId));
  const app = state.graph.applications[objectId];
  if (app === undefined) throw GRAPH_ERRORS.resourceNotFound(objectId);
  return app;
}

// ---------------------------------------------------------------------------------------------
// Deletion

/**
 * Removes the object an azuread id (`/<collection>/{objectId}`) names, once the deployer may (`operation`);
 * undefined when it is already gone, which a delete takes as done.
 */
export function takeOut(
  state: TwinState,
  collection: "applications" | "servicePrincipals",
  id: string,
  operation: GraphOperation,
): GraphApplication | GraphServicePrincipal | undefined {
  const object = state.graph[collection][objectIdOf(collection, id)];
  if (object === undefined) return undefined;
  requireGraph(state, operation, object);
  delete state.graph[collection][object.id];
  return object;
}

/**
 * Deleted applications, service principals, users and groups stay restorable for 30 days under
 * /directory/deletedItems (Learn "directory: deletedItems", "Restore deleted item").
 */
export function softDelete(
  state: TwinState,
  odataType: string,
  object: GraphApplication | GraphServicePrincipal,
): void {
  state.graph.deletedItems[object.id] = {
    "@odata.type": odataType,
    ...object,
    deletedDateTime: new Date().toISOString(),
  };
}

/** App role assignments go with their principal or their resource. */
export function dropAssignmentsOf(state: TwinState, objectId: string): void {
  for (const [id, a] of Object.entries(state.graph.appRoleAssignments)) {
    if (a.principalId === objectId || a.resourceId === objectId) delete state.graph.appRoleAssignments[id];
  }
}

// ---------------------------------------------------------------------------------------------
// Owners

/**
 * The owners azuread creates an object with (terraform-provider-azuread v3.8.0 application_resource.go:
 * 1179-1300, service_principal_resource.go:437-521): the calling principal first, with the listed owners,
 * then the caller removed again unless listed. So the caller owns what it creates only when `owners` lists
 * it, whatever Graph permission it holds. Owners as Graph expands them (`$expand=owners`).
 */
export function ownersAtCreation(state: TwinState, inputs: JsonObject): DirectoryObjectRef[] {
  const caller = deployerOf(state).servicePrincipalId;
  const listed = strings(inputs.owners);
  const keepCaller = listed.some((o) => o.toLowerCase() === caller.toLowerCase());
  return [...new Set([caller, ...listed])]
    .filter((o) => keepCaller || o.toLowerCase() !== caller.toLowerCase())
    .map((id) => ({ id }));
}

// ---------------------------------------------------------------------------------------------
// App roles and scopes: azuread attribute names ↔ Graph's (azuread docs resources/application; Graph
// "application resource type")

export function appRoleToGraph(role: JsonObject): AppRole {
  return {
    allowedMemberTypes: strings(role.allowedMemberTypes),
    description: str(role.description),
    displayName: str(role.displayName),
    id: strOr(role.id, newGuid()),
    isEnabled: boolOr(role.enabled, true),
    value: strOr(role.value, null),
    origin: "Application",
  };
}

export function appRoleFromGraph(role: AppRole): JsonObject {
  return {
    allowedMemberTypes: role.allowedMemberTypes ?? [],
    description: role.description ?? "",
    displayName: role.displayName ?? "",
    enabled: role.isEnabled ?? true,
    id: role.id,
    value: role.value ?? "",
  };
}

export function scopeToGraph(scope: JsonObject): PermissionScope {
  return {
    adminConsentDescription: str(scope.adminConsentDescription),
    adminConsentDisplayName: str(scope.adminConsentDisplayName),
    id: strOr(scope.id, newGuid()),
    type: strOr(scope.type, "User"),
    userConsentDescription: str(scope.userConsentDescription),
    userConsentDisplayName: str(scope.userConsentDisplayName),
    value: str(scope.value),
    isEnabled: boolOr(scope.enabled, true),
  };
}

export function scopeFromGraph(scope: PermissionScope): JsonObject {
  return {
    adminConsentDescription: scope.adminConsentDescription ?? "",
    adminConsentDisplayName: scope.adminConsentDisplayName ?? "",
    id: scope.id,
    type: scope.type ?? "",
    userConsentDescription: scope.userConsentDescription ?? "",
    userConsentDisplayName: scope.userConsentDisplayName ?? "",
    value: scope.value,
    enabled: scope.isEnabled ?? true,
  };
}

/** azuread's `appRoleIds` / `oauth2PermissionScopeIds`: ids by value, for the items that have one. */
export function idsByValue(items: { id: string; value?: string | null }[]): JsonObject {
  return Object.fromEntries(
    items.filter((i) => typeof i.value === "string" && i.value !== "").map((i) => [String(i.value), i.id]),
  );
}
