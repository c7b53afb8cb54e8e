// The Azure name of every resource the program declares, and the rule each must fit. Names a
// resource cannot choose would fail at create, after the plan said everything was fine.
//
// Rules: Microsoft Learn, "Naming rules and restrictions for Azure resources"
// (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules), per
// provider namespace; where terraform-provider-azurerm validates the same name, its validator
// is named too. Names compare case-insensitively in Azure; these rules check the exact text.
import { createHash } from "node:crypto";

/** How azure-native names a resource whose name input is left out. */
export type Autoname = "random" | "uuid";

export interface NameRule {
  /** The SDK input that carries the Azure name. */
  nameInput: string;
  /**
   * What azure-native puts there when the program sets none: `random` appends 8 lowercase hex
   * characters to the logical name and does not truncate; `uuid` is a random GUID
   * (pulumi-azure-native `provider/pkg/provider/autonaming_test.go`: "test" → "test614742c2").
   */
  autoname: Autoname;
  pattern: RegExp;
  /** The rule in words, for error messages. */
  rule: string;
  source: string;
}

/** The characters azure-native's random auto-name appends. */
export const AUTONAME_SUFFIX = /^[0-9a-f]{8}$/;

const LEARN = "Microsoft Learn, Naming rules and restrictions for Azure resources";

/** Container app names: 2-32, lowercase letters, digits and '-', start with a letter, end alphanumeric, no '--'. */
const CONTAINER_APP = /^(?!.*--)[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

/** The naming rule of every azure-native resource type the program declares with a name of its own. */
export const AZURE_NAME_RULES: Readonly<Record<string, NameRule>> = {
  "azure-native:resources:ResourceGroup": {
    nameInput: "resourceGroupName",
    autoname: "random",
    // Unicode letters are allowed too; the program only ever derives ASCII names.
    pattern: /^[-\w.()]{0,89}[-\w()]$/,
    rule: "1-90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'",
    source:
      `${LEARN}, Microsoft.Resources/resourcegroups; ` +
      "terraform-provider-azurerm resource/validate ResourceGroupName",
  },
  "azure-native:web:AppServicePlan": {
    nameInput: "name",
    autoname: "random",
    pattern: /^[A-Za-z0-9-]{1,60}$/,
    rule: "1-60 letters, digits or '-'",
    source: `${LEARN}, Microsoft.Web/serverfarms`,
  },
  "azure-native:app:ManagedEnvironment": {
    nameInput: "environmentName",
    autoname: "random",
    pattern: /^[A-Za-z][A-Za-z0-9-]{0,58}[A-Za-z0-9]$/,
    rule: "2-60 letters, digits or '-', starting with a letter and ending with a letter or digit",
    source: `${LEARN}, Microsoft.App/managedEnvironments`,
  },
  "azure-native:web:WebApp": {
    nameInput: "name",
    autoname: "random",
    // Sites are global (<name>.azurewebsites.net); Punycode-mappable Unicode is allowed too.
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,58}[A-Za-z0-9])$/,
    rule: "2-60 letters, digits or '-', not starting or ending with '-'",
    source: `${LEARN}, Microsoft.Web/sites; terraform-provider-azurerm appservice/validate WebAppName`,
  },
  "azure-native:storage:StorageAccount": {
    nameInput: "accountName",
    autoname: "random",
    pattern: /^[a-z0-9]{3,24}$/,
    rule: "3-24 lowercase letters or digits",
    source:
      `${LEARN}, Microsoft.Storage/storageAccounts; ` +
      "terraform-provider-azurerm storage/validate StorageAccountName",
  },
  "azure-native:app:ContainerApp": {
    nameInput: "containerAppName",
    autoname: "random",
    pattern: CONTAINER_APP,
    rule: "2-32 lowercase letters, digits or '-', starting with a letter, ending with a letter or digit, no '--'",
    source: `${LEARN}, Microsoft.App/containerApps; terraform-provider-azurerm containerapps/validate ContainerAppName`,
  },
  "azure-native:authorization:RoleAssignment": {
    nameInput: "roleAssignmentName",
    autoname: "uuid",
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    rule: "a GUID",
    source: `${LEARN}, Microsoft.Authorization/roleAssignments`,
  },
};

/**
 * Resources that live under a parent and carry a fixed name of Azure's (the site's `ftp` and
 * `scm` publishing policies, its `authsettingsV2`, a container app's `current` auth config):
 * nothing of the program's config reaches their names.
 */
export const NAMED_BY_PARENT: readonly string[] = [
  "azure-native:web:WebAppFtpAllowed",
  "azure-native:web:WebAppScmAllowed",
  "azure-native:web:WebAppAuthSettingsV2",
  "azure-native:app:ContainerAppsAuthConfig",
];

/** Why `name` cannot be the Azure name of a resource of `type`; undefined when it fits. */
export function nameProblem(type: string, name: string): string | undefined {
  const rule = AZURE_NAME_RULES[type];
  if (rule === undefined) return `no naming rule is known for ${type}`;
  return rule.pattern.test(name) ? undefined : `"${name}" is not ${rule.rule} (${rule.source})`;
}

/**
 * The name Azure will get for a declared resource: its name input when the program sets one,
 * else azure-native's auto-name of the logical name, with `suffix` standing for the 8 random
 * characters (or, for `uuid` types, the GUID). Undefined for a type without a rule.
 */
export function azureName(
  type: string,
  logicalName: string,
  inputs: Record<string, unknown>,
  suffix: string,
): string | undefined {
  const rule = AZURE_NAME_RULES[type];
  if (rule === undefined) return undefined;
  const explicit = inputs[rule.nameInput];
  if (typeof explicit === "string") return explicit;
  return rule.autoname === "uuid" ? suffix : `${logicalName}${suffix}`;
}

/**
 * A container app's name from its service's name (2-40 lowercase letters, digits and inner
 * hyphens, no '--'): the service name itself when it fits Azure's 2-32 rule, else a readable
 * head and 8 hex characters of the service name's SHA-256, 32 characters at most. Container
 * app names are unique per resource group, and the stack has one, so the service name (unique
 * per stack) is enough; no random part is needed, and the plan shows the real name. Config
 * validation refuses the (astronomically unlikely) case of two services deriving one name.
 */
export function containerAppName(service: string): string {
  if (CONTAINER_APP.test(service)) return service;
  const hash = createHash("sha256").update(service).digest("hex").slice(0, 8);
  // A leading digit is not allowed: prefix a letter.
  const head = (/^[a-z]/.test(service) ? service : `c${service}`).slice(0, 32 - 1 - hash.length).replace(/-+$/, "");
  return `${head}-${hash}`;
}
