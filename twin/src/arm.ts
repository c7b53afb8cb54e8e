/**
 * The slice of Azure Resource Manager the program and bootstrap/ use, as the azure-native provider
 * (3.28.0) sees it: one spec per type token, a generic PUT/GET/DELETE over `state.arm.resources`.
 *
 * azure-native's resource shapes: outputs are the ARM response with `properties` flattened to the top
 * level plus `azureApiVersion` (node_modules/@pulumi/azure-native/<module>/<res>.d.ts); the API versions
 * below are the ones those files name ("Uses Azure REST API version ...").
 */
import { builtInRoleOf, CloudError, deployerOf, requireAzureAction } from "./deployer.ts";
import { AZCORE } from "./faults.ts";
import { managedIdentityServicePrincipal, principalVisible, removePrincipal } from "./graph.ts";
import type { InvokeHandler, PackageTable, ResourceHandler } from "./provider.ts";
import {
  type ArmResource,
  type Json,
  type JsonObject,
  type TwinState,
  UNKNOWN,
  armKey,
  isObject,
  newGuid,
  randomHex,
} from "./state.ts";

interface ArmSpec {
  armType: string;
  apiVersion: string;
  /** The resource id template: `{subscriptionId}` and input names; `{scope}` is an id itself. */
  path: string;
  /** How azure-native names the resource when the program does not (pulumi-azure-native autonaming). */
  autoname?: "random" | "uuid";
  /** Inputs that ARM keeps beside `properties` rather than inside it (the type's REST "envelope"). */
  envelope: readonly string[];
  /**
   * Config-like resources that exist as long as their parent and have no DELETE: destroying them resets
   * them (azure-native's "default resource state on delete", pulumi-azure-native #4330 / #4373).
   */
  resetOnDelete?: JsonObject;
  /** Extra replacement triggers beyond path parameters and location. */
  alsoReplaceOn?: readonly string[];
  validate?(state: TwinState, resource: ArmResource, inputs: JsonObject): void;
  /** Properties ARM computes on create (kept across updates). */
  computed?(state: TwinState, resource: ArmResource): JsonObject;
}

const RG = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}";

/** A type whose resources live in a resource group at `<armType>/{<nameParam>}`, auto-named when unnamed. */
function autoNamedInGroup(
  armType: string,
  apiVersion: string,
  nameParam: string,
  envelope: readonly string[],
): Pick<ArmSpec, "armType" | "apiVersion" | "path" | "autoname" | "envelope"> {
  return { armType, apiVersion, path: `${RG}/providers/${armType}/{${nameParam}}`, autoname: "random", envelope };
}

/** A site's FTP or SCM basic-auth publishing policy: one ARM type, two names; destroy resets it to allowed. */
function publishingCredentialsPolicy(name: "ftp" | "scm"): ArmSpec {
  return {
    armType: "Microsoft.Web/sites/basicPublishingCredentialsPolicies",
    apiVersion: "2025-05-01",
    path: `${RG}/providers/Microsoft.Web/sites/{name}/basicPublishingCredentialsPolicies/${name}`,
    envelope: ["kind"],
    resetOnDelete: { allow: true },
  };
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((p) => p !== "subscriptionId");
}

function render(state: TwinState, path: string, inputs: JsonObject): string {
  return path.replace(/\{(\w+)\}/g, (_, param: string) => {
    if (param === "subscriptionId") return state.subscriptionId;
    const value = inputs[param];
    if (typeof value !== "string" || value === "") throw new Error(`missing required property '${param}'`);
    return param === "scope" ? value.replace(/\/+$/, "") : value;
  });
}

function segments(id: string): string[] {
  return id.split("/").filter((s) => s !== "");
}

/** `resourceGroups/<rg>` of an id, when it has one. */
function resourceGroupOf(id: string): string | undefined {
  const parts = segments(id);
  const at = parts.findIndex((p) => p.toLowerCase() === "resourcegroups");
  return at >= 0 ? parts[at + 1] : undefined;
}

/**
 * ARM's answers for a missing resource or group (Learn "Resolve errors for resource not found":
 * ResourceNotFound "The Resource '<type>/<name>' under resource group '<rg>' was not found.",
 * ResourceGroupNotFound "Resource group '<rg>' could not be found.").
 */
function notFound(id: string): CloudError {
  const parts = segments(id);
  const rg = resourceGroupOf(id) ?? "";
  if (parts.length === 4 && parts[2]?.toLowerCase() === "resourcegroups") {
    return new CloudError(404, "ResourceGroupNotFound", `Resource group '${rg}' could not be found.`);
  }
  const providerAt = parts.findIndex((p) => p.toLowerCase() === "providers");
  const typeAndName = parts.slice(providerAt + 1).join("/");
  return new CloudError(
    404,
    "ResourceNotFound",
    `The Resource '${typeAndName}' under resource group '${rg}' was not found. For more details please go to ` +
      `https://aka.ms/ARMResourceNotFoundFix`,
  );
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
  const own =
    parts.length === 2 &&
    parts[0]?.toLowerCase() === "subscriptions" &&
    parts[1]?.toLowerCase() === state.subscriptionId.toLowerCase();
  // Other subscriptions of the tenant, and resources made outside the stacks, are seeded as ARM
  // resources (twin/src/cli.ts add-resource).
  return own || state.arm.resources[armKey(id)] !== undefined;
}

/** A reference to another resource (plan, environment) must resolve, or ARM answers 404. */
function requireExisting(state: TwinState, value: Json | undefined): void {
  if (typeof value === "string" && value !== "" && !exists(state, value)) throw notFound(value);
}

/**
 * Naming rules: Learn "Naming rules and restrictions for Azure resources" (resource-name-rules):
 * Microsoft.Web/sites 2-60, alphanumerics, hyphens (and Unicode mapped to Punycode), not starting or
 * ending with a hyphen; Microsoft.Storage/storageAccounts 3-24, lowercase letters and numbers;
 * Microsoft.App/containerApps 2-32, lowercase letters, numbers and hyphens, start with a letter, end
 * alphanumeric, no "--"; Microsoft.App/managedEnvironments 2-60, same characters and ends.
 */
function siteName(name: string): void {
  if (name.length < 2 || name.length > 60 || !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name)) {
    // Error code and wording are a guess; the rule is Learn's.
    throw new CloudError(
      400,
      "InvalidResourceName",
      `The site name '${name}' is invalid: 2-60 characters, letters, numbers and hyphens, not starting or ` +
        `ending with a hyphen.`,
    );
  }
}

function storageName(name: string): void {
  if (!/^[a-z0-9]{3,24}$/.test(name)) {
    // Learn "Resolve errors for storage account names": AccountNameInvalid.
    throw new CloudError(
      400,
      "AccountNameInvalid",
      `${name} is not a valid storage account name. Storage account name must be between 3 and 24 characters ` +
        `in length and use numbers and lower-case letters only.`,
    );
  }
}

function containerAppsName(kind: string, max: number) {
  return (name: string): void => {
    if (name.length < 2 || name.length > max || !/^[a-z][a-z0-9-]*[a-z0-9]$/.test(name) || name.includes("--")) {
      // The message follows Container Apps' ContainerAppInvalidName answer; its exact wording is a guess.
      throw new CloudError(
        400,
        `${kind}InvalidName`,
        `Invalid ${kind} name '${name}'. A name must consist of lower case alphanumeric characters or '-', ` +
          `start with an alphabetic character, and end with an alphanumeric character and cannot have '--'. The ` +
          `length must not be more than ${max} characters.`,
      );
    }
  };
}

/** Names a resource takes across all tenants (its DNS name); the twin's tenant stands in for "all of Azure". */
function globallyUnique(state: TwinState, resource: ArmResource, error: () => CloudError): void {
  const clash = Object.values(state.arm.resources).some(
    (r) =>
      r.type === resource.type &&
      r.name.toLowerCase() === resource.name.toLowerCase() &&
      armKey(r.id) !== armKey(resource.id),
  );
  if (clash) throw error();
}

const SPECS: Readonly<Record<string, ArmSpec>> = {
  "azure-native:resources:ResourceGroup": {
    armType: "Microsoft.Resources/resourceGroups",
    apiVersion: "2024-03-01",
    path: RG,
    autoname: "random",
    envelope: ["location", "tags", "managedBy"],
    computed: () => ({ provisioningState: "Succeeded" }),
  },
  "azure-native:web:AppServicePlan": {
    ...autoNamedInGroup("Microsoft.Web/serverfarms", "2025-05-01", "name", [
      "location",
      "kind",
      "sku",
      "tags",
      "extendedLocation",
    ]),
    computed: (_state, r) => ({
      provisioningState: "Succeeded",
      status: "Ready",
      numberOfSites: 0,
      resourceGroup: resourceGroupOf(r.id) ?? "",
    }),
  },
  "azure-native:web:WebApp": {
    ...autoNamedInGroup("Microsoft.Web/sites", "2025-05-01", "name", [
      "location",
      "kind",
      "identity",
      "tags",
      "extendedLocation",
    ]),
    validate: (state, r, inputs) => {
      siteName(r.name);
      // A site's name is its host name under azurewebsites.net, unique across Azure (Learn resource-name-rules,
      // Microsoft.Web/sites);
      // App Service answers a taken name with 409 Conflict "Website with given name <name> already exists." (wording
      // from
      // App Service's CreateOrUpdate answer; treat as approximate).
      globallyUnique(
        state,
        r,
        () => new CloudError(409, "Conflict", `Website with given name ${r.name} already exists.`),
      );
      requireExisting(state, inputs.serverFarmId);
    },
    // Learn "App Service overview" / REST Web Apps - Get: defaultHostName is <name>.azurewebsites.net.
    computed: (_state, r) => {
      const host = `${r.name.toLowerCase()}.azurewebsites.net`;
      return {
        defaultHostName: host,
        hostNames: [host],
        enabledHostNames: [host, `${r.name.toLowerCase()}.scm.azurewebsites.net`],
        state: "Running",
        usageState: "Normal",
        availabilityState: "Normal",
        enabled: true,
        resourceGroup: resourceGroupOf(r.id) ?? "",
        outboundIpAddresses: "20.0.0.1,20.0.0.2",
        customDomainVerificationId: randomHex(64).toUpperCase(),
      };
    },
  },
  "azure-native:web:WebAppFtpAllowed": publishingCredentialsPolicy("ftp"),
  "azure-native:web:WebAppScmAllowed": publishingCredentialsPolicy("scm"),
  "azure-native:web:WebAppAuthSettingsV2": {
    armType: "Microsoft.Web/sites/config",
    apiVersion: "2021-02-01",
    path: `${RG}/providers/Microsoft.Web/sites/{name}/config/authsettingsV2`,
    envelope: ["kind"],
    // Web Apps REST has Get/Update for authsettingsV2 and no Delete; azure-native resets it on destroy
    // by turning the platform off (pulumi-azure-native #4330 / #4373).
    resetOnDelete: { platform: { enabled: false } },
  },
  "azure-native:app:ManagedEnvironment": {
    ...autoNamedInGroup("Microsoft.App/managedEnvironments", "2025-02-02-preview", "environmentName", [
      "location",
      "kind",
      "identity",
      "tags",
    ]),
    validate: (_state, r) => containerAppsName("ManagedEnvironment", 60)(r.name),
    // Container Apps REST Managed Environments - Get: defaultDomain "<random>.<region>.azurecontainerapps.io".
    computed: (_state, r) => ({
      provisioningState: "Succeeded",
      defaultDomain: `${randomHex(8)}.${(r.location ?? "westeurope").toLowerCase().replace(/\s+/g, "")}.azurecontainerapps.io`,
      staticIp: "20.1.2.3",
    }),
  },
  "azure-native:app:ContainerApp": {
    ...autoNamedInGroup("Microsoft.App/containerApps", "2025-02-02-preview", "containerAppName", [
      "location",
      "kind",
      "identity",
      "tags",
      "extendedLocation",
      "managedBy",
    ]),
    validate: (state, r, inputs) => {
      containerAppsName("ContainerApp", 32)(r.name);
      requireExisting(state, inputs.managedEnvironmentId ?? inputs.environmentId);
    },
    // Container Apps ingress: the app's FQDN is <app>.<environment default domain>, internal ones add
    // ".internal" (Learn "Ingress in Azure Container Apps").
    computed: (state, r) => {
      const envId = String(r.properties.managedEnvironmentId ?? r.properties.environmentId ?? "");
      const domain = String(
        state.arm.resources[armKey(envId)]?.properties.defaultDomain ?? "unknown.azurecontainerapps.io",
      );
      const configuration = isObject(r.properties.configuration) ? r.properties.configuration : {};
      const ingress = isObject(configuration.ingress) ? configuration.ingress : undefined;
      const fqdn = ingress ? `${r.name}${ingress.external === true ? "" : ".internal"}.${domain}` : undefined;
      const revision = `${r.name}--${randomHex(7)}`;
      return {
        provisioningState: "Succeeded",
        runningStatus: "Running",
        latestRevisionName: revision,
        latestReadyRevisionName: revision,
        latestRevisionFqdn: fqdn ? fqdn.replace(r.name, revision) : "",
        outboundIpAddresses: ["20.1.2.4"],
        customDomainVerificationId: randomHex(64).toUpperCase(),
        configuration: ingress ? { ...configuration, ingress: { ...ingress, fqdn: fqdn ?? "" } } : configuration,
      };
    },
  },
  "azure-native:app:ContainerAppsAuthConfig": {
    armType: "Microsoft.App/containerApps/authConfigs",
    apiVersion: "2025-02-02-preview",
    path: `${RG}/providers/Microsoft.App/containerApps/{containerAppName}/authConfigs/{authConfigName}`,
    envelope: [],
  },
  "azure-native:storage:StorageAccount": {
    ...autoNamedInGroup("Microsoft.Storage/storageAccounts", "2024-01-01", "accountName", [
      "location",
      "kind",
      "sku",
      "identity",
      "tags",
      "extendedLocation",
    ]),
    validate: (state, r) => {
      storageName(r.name);
      // Learn "Resolve errors for storage account names": StorageAccountAlreadyTaken.
      globallyUnique(
        state,
        r,
        () =>
          new CloudError(409, "StorageAccountAlreadyTaken", `The storage account named ${r.name} is already taken.`),
      );
    },
    computed: (_state, r) => ({
      provisioningState: "Succeeded",
      statusOfPrimary: "available",
      primaryLocation: r.location ?? "",
      creationTime: new Date().toISOString(),
      primaryEndpoints: Object.fromEntries(
        ["blob", "queue", "table", "file", "dfs", "web"].map((s) => [s, `https://${r.name}.${s}.core.windows.net/`]),
      ),
    }),
  },
  "azure-native:authorization:RoleAssignment": {
    armType: "Microsoft.Authorization/roleAssignments",
    apiVersion: "2022-04-01",
    path: "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
    // Role assignment names are GUIDs (Learn "Assign Azure roles using the REST API"); azure-native generates one.
    autoname: "uuid",
    envelope: [],
    // A role assignment cannot be changed in place: ARM answers RoleAssignmentUpdateNotPermitted
    // (Learn "Troubleshoot Azure RBAC"), so azure-native replaces it.
    alsoReplaceOn: ["principalId", "roleDefinitionId", "principalType", "condition"],
    validate: (state, r, inputs) => {
      const principalId = String(inputs.principalId ?? "");
      // Learn "Troubleshoot Azure RBAC": PrincipalNotFound, including a principal that is still replicating,
      // unless the request names its principalType ("set the role assignment principalType property" is the
      // documented way around the replication delay for a principal just created).
      const known =
        state.graph.servicePrincipals[principalId] ?? state.graph.users[principalId] ?? state.graph.groups[principalId];
      const typed = typeof inputs.principalType === "string" && inputs.principalType !== "";
      if (known === undefined || (!typed && !principalVisible(state, principalId))) {
        throw new CloudError(
          400,
          "PrincipalNotFound",
          `Principal ${principalId.replace(/-/g, "")} does not exist in the directory ${state.tenantId}. Check ` +
            `that you have the correct principal ID. ` +
            "If you are creating this principal and then immediately assigning a role, this error might be " +
            "related to a replication delay. In this case, set the role assignment principalType property to a " +
            "value, such as ServicePrincipal, User, or Group.",
        );
      }
      // The role must exist: ARM answers 400 RoleDefinitionDoesNotExist for an id that names no role
      // definition (Learn "Troubleshoot Azure RBAC"). This twin knows the built-in roles only.
      const roleDefinitionId = String(inputs.roleDefinitionId ?? "");
      if (builtInRoleOf(roleDefinitionId) === undefined) {
        throw new CloudError(
          400,
          "RoleDefinitionDoesNotExist",
          `The specified role definition with ID '${roleDefinitionId.split("/").at(-1)}' does not exist.`,
        );
      }
      // Learn "Troubleshoot Azure RBAC": RoleAssignmentExists for the same principal, role and scope.
      const duplicate = Object.values(state.arm.resources).some(
        (other) =>
          other.type === r.type &&
          armKey(other.id) !== armKey(r.id) &&
          other.properties.principalId === principalId &&
          String(other.properties.roleDefinitionId ?? "").toLowerCase() ===
            String(inputs.roleDefinitionId ?? "").toLowerCase() &&
          String(other.properties.scope ?? "").toLowerCase() === String(inputs.scope ?? "").toLowerCase(),
      );
      if (duplicate) throw new CloudError(409, "RoleAssignmentExists", "The role assignment already exists.");
    },
    computed: (state) => ({ createdOn: new Date().toISOString(), createdBy: deployerOf(state).servicePrincipalId }),
  },
};

function roleDefinitionOf(resource: ArmResource): string | undefined {
  const id = resource.properties.roleDefinitionId;
  return typeof id === "string" ? id : undefined;
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
  const id = render(state, spec.path, inputs);
  const params = new Set(pathParams(spec.path));
  const resource: ArmResource = { id, name: segments(id).at(-1)!, type: spec.armType, properties: {} };
  for (const [key, value] of Object.entries(inputs)) {
    if (params.has(key)) continue;
    if (spec.envelope.includes(key)) (resource as unknown as JsonObject)[key] = value;
    else resource.properties[key] = value;
  }
  if (spec.armType === "Microsoft.Authorization/roleAssignments") resource.properties.scope = inputs.scope ?? null;
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

function handler(spec: ArmSpec): ResourceHandler {
  const params = pathParams(spec.path);
  const nameParam = params.at(-1);
  return {
    // Path parameters name the resource, so a change is a new resource (pulumi-azure-native diff.go:
    // path parameters and forceNew properties replace); ARM cannot move a resource to another region,
    // so `location` replaces too (azure-native marks it forceNew).
    replaceOn: [...params, ...(spec.envelope.includes("location") ? ["location"] : []), ...(spec.alsoReplaceOn ?? [])],
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
      requireAzureAction(state, `${spec.armType}/write`, resource.id, roleDefinitionOf(resource));
      const parent = parentId(resource.id);
      if (parent !== undefined && !exists(state, parent)) throw notFound(parent);
      const existing = state.arm.resources[armKey(resource.id)];
      if (existing !== undefined && spec.resetOnDelete === undefined) {
        // azure-native refuses to adopt a resource it did not create (pulumi-azure-native provider.go, Create).
        throw new Error(
          `resource ${resource.id} already exists; to be managed by Pulumi, it must be imported into the stack ` +
            `(pulumi import)`,
        );
      }
      spec.validate?.(state, resource, inputs);
      const now = new Date().toISOString();
      resource.systemData = { createdAt: now, lastModifiedAt: now };
      attachIdentity(state, resource, undefined);
      Object.assign(resource.properties, spec.computed?.(state, resource) ?? {});
      state.arm.resources[armKey(resource.id)] = resource;
      return { id: resource.id, outs: outputs(spec, resource) };
    },

    read(state, id) {
      const resource = state.arm.resources[armKey(id)];
      return resource === undefined ? undefined : outputs(spec, resource);
    },

    update(state, id, news) {
      const previous = state.arm.resources[armKey(id)];
      if (previous === undefined) throw notFound(id);
      const resource = build(state, spec, news);
      requireAzureAction(state, `${spec.armType}/write`, id, roleDefinitionOf(resource));
      resource.systemData = {
        createdAt: previous.systemData?.createdAt ?? new Date().toISOString(),
        lastModifiedAt: new Date().toISOString(),
      };
      attachIdentity(state, resource, previous);
      // What ARM computed at creation (host names, FQDNs, domains) stays; what the program sets is replaced.
      resource.properties = { ...previous.properties, ...resource.properties };
      if (spec.armType === "Microsoft.App/containerApps")
        Object.assign(resource.properties, { configuration: spec.computed!(state, resource).configuration ?? null });
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
        resource.properties = { ...previous.properties, ...resource.properties };
        if (spec.armType === "Microsoft.App/containerApps")
          Object.assign(resource.properties, { configuration: spec.computed!(state, resource).configuration ?? null });
        return outputs(spec, resource);
      }
      if (assigned) resource.identity = { ...resource.identity!, principalId: UNKNOWN, tenantId: UNKNOWN };
      for (const [key, value] of Object.entries(spec.computed?.(state, resource) ?? {})) {
        resource.properties[key] = key in resource.properties ? unknownOver(resource.properties[key], value) : UNKNOWN;
      }
      return outputs(spec, resource);
    },

    delete(state, id) {
      const resource = state.arm.resources[armKey(id)];
      // azure-native treats a resource already gone as deleted (404 on DELETE is success).
      if (resource === undefined) return;
      requireAzureAction(state, `${resource.type}/delete`, id, roleDefinitionOf(resource));
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

/** azure-native's getClientConfig: the deployer's ids and the subscription (authorization/getClientConfig.d.ts). */
const getClientConfig: InvokeHandler = (state) => {
  const deployer = deployerOf(state);
  const sp = state.graph.servicePrincipals[deployer.servicePrincipalId];
  return {
    clientId: String(sp?.appId ?? ""),
    objectId: deployer.servicePrincipalId,
    subscriptionId: state.subscriptionId,
    tenantId: state.tenantId,
  };
};

export const AZURE_NATIVE: PackageTable = {
  name: "azure-native",
  version: "3.28.0",
  keepInputs: true,
  retry: AZCORE,
  resources: Object.fromEntries(Object.entries(SPECS).map(([token, spec]) => [token, handler(spec)])),
  invokes: { "azure-native:authorization:getClientConfig": getClientConfig },
};

/**
 * The ARM id a resource of this azure-native type gets from these (checked) inputs, or undefined for a
 * type the twin does not model: what `az resource show --ids` needs to find a resource a killed
 * `pulumi up` created but never recorded (e2e/pending.ts).
 */
export function armIdFor(token: string, subscriptionId: string, inputs: JsonObject): string | undefined {
  const spec = SPECS[token];
  if (spec === undefined) return undefined;
  try {
    return render({ subscriptionId } as TwinState, spec.path, inputs);
  } catch {
    return undefined;
  }
}
