// `npm run plan -- --import-file FILE`: a `pulumi import --file` document for every resource a stack
// declares, so that a setup made by hand can be brought under the stack without recreating it
// (docs/reusing.md). Components are listed as such (`component: true`) so each resource gets the
// parent, and so the URN, the program gives it; each resource's `id` is the one given, else the form
// its type's import id takes, with `<…>` to fill in.
import { plannedResources, type PlanDocument } from "./document.ts";

/** One entry of a Pulumi import file (pulumi/pkg cmd/pulumi/operations/import.go, importSpec). */
export interface ImportSpec {
  type: string;
  /** Unique in the file; what `parent` refers to. */
  name: string;
  /** The resource's name in its URN. */
  logicalName: string;
  id?: string;
  parent?: string;
  component?: true;
}

export interface ImportFile {
  resources: ImportSpec[];
}

const ARM = "/subscriptions/<subscription id>/resourceGroups/<resource group>/providers";
const SITE = `${ARM}/Microsoft.Web/sites/<site name>`;

/**
 * The import id of each resource type the program declares: ARM resource ids as the REST API paths
 * give them (azure-native takes the ARM id), and the forms azuread 6.9.1 documents under "Import"
 * (node_modules/@pulumi/azuread/<resource>.d.ts).
 */
export const IMPORT_ID_FORMS: Readonly<Record<string, string>> = {
  "azure-native:resources:ResourceGroup": "/subscriptions/<subscription id>/resourceGroups/<resource group>",
  "azure-native:web:AppServicePlan": `${ARM}/Microsoft.Web/serverfarms/<plan name>`,
  "azure-native:web:WebApp": SITE,
  "azure-native:web:WebAppAuthSettingsV2": `${SITE}/config/authsettingsV2`,
  "azure-native:web:WebAppFtpAllowed": `${SITE}/basicPublishingCredentialsPolicies/ftp`,
  "azure-native:web:WebAppScmAllowed": `${SITE}/basicPublishingCredentialsPolicies/scm`,
  "azure-native:storage:StorageAccount": `${ARM}/Microsoft.Storage/storageAccounts/<account name>`,
  "azure-native:authorization:RoleAssignment":
    "<scope id>/providers/Microsoft.Authorization/roleAssignments/<role assignment name>",
  "azure-native:app:ManagedEnvironment": `${ARM}/Microsoft.App/managedEnvironments/<environment name>`,
  "azure-native:app:ContainerApp": `${ARM}/Microsoft.App/containerApps/<app name>`,
  "azure-native:app:ContainerAppsAuthConfig": `${ARM}/Microsoft.App/containerApps/<app name>/authConfigs/current`,
  "azuread:index/application:Application": "/applications/<application object id>",
  "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri":
    "/applications/<application object id>/identifierUris/<the URI, base64>",
  "azuread:index/servicePrincipal:ServicePrincipal": "/servicePrincipals/<service principal object id>",
  "azuread:index/appRoleAssignment:AppRoleAssignment":
    "/servicePrincipals/<callee's service principal object id>/appRoleAssignedTo/<assignment id>",
  "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized":
    "<application object id>/preAuthorizedApplication/<client id>",
  "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential":
    "<application object id>/federatedIdentityCredential/<credential id>",
};

/**
 * The import file of a plan: every resource but the root stack, in the plan's order (a parent before
 * its children), custom resources with `ids[<logical name>]` or their type's id form.
 */
export function importFile(plan: PlanDocument, ids: Readonly<Record<string, string>> = {}): ImportFile {
  const resources = plannedResources(plan);
  const taken = new Map<string, number>();
  const nameOf = new Map<string, string>();
  for (const r of resources) {
    // Logical names are unique per type and parent only: a repeat gets its type in its file name.
    const seen = taken.get(r.name) ?? 0;
    taken.set(r.name, seen + 1);
    nameOf.set(r.urn, seen === 0 ? r.name : `${r.name} (${r.type})`);
  }
  return {
    resources: resources.map((r): ImportSpec => {
      const parent = r.parent === undefined ? undefined : nameOf.get(r.parent);
      return {
        type: r.type,
        name: nameOf.get(r.urn)!,
        logicalName: r.name,
        ...(parent === undefined ? {} : { parent }),
        ...(r.custom ? { id: ids[r.name] ?? IMPORT_ID_FORMS[r.type] ?? "<its id>" } : { component: true }),
      };
    }),
  };
}
