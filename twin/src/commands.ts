/**
 * The twin CLI's commands (twin/src/cli.ts), callable in this process: e2e scripts poke a tenant without
 * starting Node for each command, and the tests run them directly.
 */
import { existsSync } from "node:fs";
import { builtInRoleOf } from "./deployer.ts";
import {
  AZURE_CLI_APP_ID,
  type Deployer,
  armKey,
  MICROSOFT_GRAPH_APP_ID,
  type Json,
  type JsonObject,
  type TwinState,
  isObject,
  newGuid,
  newTenant,
  readState,
  statePath,
  withState,
  writeStateAtomically,
} from "./state.ts";

const USAGE =
  "usage: node twin/src/cli.ts init [--force] [--tenant-id <guid>] [--subscription-id <guid>] | show [path] | " +
  "count [--expect-empty] | set <path> <value> | unset <path> | find <collection> <field> <value> | add-user " +
  "<upn> [displayName] | add-group <objectId> <displayName> | add-resource <armId> <type> | deployer <json> | " +
  "deployer --as <servicePrincipalId>";

/** A wrong command line or a path that names nothing: exit 2 with the message. */
class CommandFailed extends Error {}

function fail(message: string): never {
  throw new CommandFailed(message);
}

function parseValue(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/**
 * Dotted path segments; ARM ids contain dots and slashes, so a segment may be quoted: arm.resources."<id>".properties.
 */
function segments(path: string): string[] {
  return [...path.matchAll(/"([^"]*)"|([^.]+)/g)].map((m) => m[1] ?? m[2]!);
}

// Segments that walk from a plain object into its prototype (`__proto__`) or, through a function,
// to one (`constructor.prototype`): a `set` there would change every object in the process.
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** The segments of a path that `set` or `unset` writes; refused when one could reach a prototype. */
function writableSegments(path: string): string[] {
  const keys = segments(path);
  if (keys.some((k) => PROTOTYPE_KEYS.has(k)))
    fail(`refusing path ${path}: __proto__, constructor and prototype are never path segments`);
  return keys;
}

function at(root: unknown, path: string): Json | undefined {
  let node: unknown = root;
  for (const key of segments(path))
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  return node as Json | undefined;
}

/** What is not the tenant's seed: Microsoft's service principals and the deployer are always there. */
function remains(state: TwinState): JsonObject {
  const seedApps = new Set([MICROSOFT_GRAPH_APP_ID, AZURE_CLI_APP_ID]);
  const deployerSp = state.graph.servicePrincipals[state.deployer.servicePrincipalId];
  const deployerApp = deployerSp?.appId;
  const byType: Record<string, number> = {};
  for (const r of Object.values(state.arm.resources)) byType[r.type] = (byType[r.type] ?? 0) + 1;
  const sps = Object.values(state.graph.servicePrincipals).filter(
    (sp) => !seedApps.has(sp.appId) && sp.appId !== deployerApp,
  );
  const apps = Object.values(state.graph.applications).filter((a) => a.appId !== deployerApp);
  const deleted: Record<string, number> = {};
  for (const d of Object.values(state.graph.deletedItems))
    deleted[d["@odata.type"]] = (deleted[d["@odata.type"]] ?? 0) + 1;
  return {
    arm: { total: Object.keys(state.arm.resources).length, byType },
    graph: {
      applications: apps.length,
      servicePrincipals: sps.length,
      appRoleAssignments: Object.keys(state.graph.appRoleAssignments).length,
      federatedIdentityCredentials: Object.keys(state.graph.federatedIdentityCredentials).length,
    },
    softDeleted: deleted,
  };
}

/**
 * What a principal holds, read from the tenant as Azure and Graph read it: its role assignments
 * (Azure RBAC evaluates the assignments at or above a scope, Learn "Understand scope for Azure
 * RBAC") and its app role assignments on Microsoft Graph (application permissions are app role
 * assignments to Graph's service principal, Learn "Grant or revoke API permissions
 * programmatically").
 */
function heldBy(state: TwinState, servicePrincipalId: string): Deployer {
  if (state.graph.servicePrincipals[servicePrincipalId] === undefined)
    fail(`no service principal ${servicePrincipalId}`);
  const azureRoles = Object.values(state.arm.resources)
    .filter(
      (r) => r.type === "Microsoft.Authorization/roleAssignments" && r.properties.principalId === servicePrincipalId,
    )
    .flatMap((r) => {
      const role = builtInRoleOf(String(r.properties.roleDefinitionId ?? ""));
      const scope = r.id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i, "");
      const condition = typeof r.properties.condition === "string" ? r.properties.condition : undefined;
      return role === undefined ? [] : [{ role, scope, ...(condition === undefined ? {} : { condition }) }];
    });
  const graph = Object.values(state.graph.servicePrincipals).find((sp) => sp.appId === MICROSOFT_GRAPH_APP_ID);
  const roleNames = new Map((graph?.appRoles ?? []).map((role) => [role.id, String(role.value)]));
  const graphAppRoles = Object.values(state.graph.appRoleAssignments)
    .filter((a) => a.principalId === servicePrincipalId && a.resourceId === graph?.id)
    .map((a) => roleNames.get(a.appRoleId))
    .filter((name): name is string => name !== undefined)
    .sort();
  return { servicePrincipalId, azureRoles, graphAppRoles };
}

/** What a command printed and its exit code (0 done, 1 `count --expect-empty` found something, 2 refused). */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one command (`argv` without `node twin/src/cli.ts`) on the tenant at `path` (default S2S_TWIN_STATE),
 * in this process: the CLI's entry and the e2e scripts call it alike.
 */
export function twinCommand(argv: readonly string[], path?: string): CommandResult {
  let stdout = "";
  const print = (text: string) => (stdout += text);
  try {
    return { code: run(argv, path ?? statePath(), print), stdout, stderr: "" };
  } catch (err) {
    if (!(err instanceof CommandFailed)) throw err;
    return { code: 2, stdout, stderr: `twin: ${err.message}\n` };
  }
}

function run([command, ...args]: readonly string[], path: string, print: (text: string) => void): number {
  const change = <T>(body: (state: TwinState) => T): T => withState(body, path);
  switch (command) {
    case "init": {
      if (existsSync(path) && !args.includes("--force")) fail(`${path} exists; pass --force to start a new tenant`);
      const tenant = newTenant();
      const option = (name: string) => {
        const at = args.indexOf(name);
        return at >= 0 ? args[at + 1] : undefined;
      };
      tenant.tenantId = option("--tenant-id") ?? tenant.tenantId;
      tenant.subscriptionId = option("--subscription-id") ?? tenant.subscriptionId;
      writeStateAtomically(path, tenant);
      print(`${path}\n`);
      break;
    }
    case "show": {
      const state = readState(path);
      print(`${JSON.stringify(args[0] === undefined ? state : (at(state, args[0]) ?? null), null, 2)}\n`);
      break;
    }
    case "count": {
      const summary = remains(readState(path));
      print(`${JSON.stringify(summary, null, 2)}\n`);
      const arm = summary.arm as { total: number };
      const graph = Object.values(summary.graph as Record<string, number>).reduce((a, b) => a + b, 0);
      if (args.includes("--expect-empty") && arm.total + graph > 0) return 1;
      break;
    }
    case "set": {
      const [path, value] = args;
      if (path === undefined || value === undefined) fail(USAGE);
      change((state) => {
        const keys = writableSegments(path);
        const last = keys.pop()!;
        let node: unknown = state;
        for (const key of keys) node = isObject(node) ? node[key] : undefined;
        if (!isObject(node)) fail(`no object at ${keys.join(".")}`);
        node[last] = parseValue(value);
      });
      break;
    }
    case "unset": {
      // Removes an object behind Pulumi's back, as a person in the portal would (e.g. an app role assignment).
      const [path] = args;
      if (path === undefined) fail(USAGE);
      change((state) => {
        const keys = writableSegments(path);
        const last = keys.pop()!;
        let node: unknown = state;
        for (const key of keys) node = isObject(node) ? node[key] : undefined;
        if (!isObject(node) || !(last in node)) fail(`nothing at ${path}`);
        delete (node as Record<string, unknown>)[last];
      });
      break;
    }
    case "find": {
      const [collection, field, value] = args;
      if (collection === undefined || field === undefined || value === undefined) fail(USAGE);
      const state = readState(path);
      const items = at(state, collection.includes(".") ? collection : `graph.${collection}`);
      if (!isObject(items)) fail(`no collection ${collection}`);
      const ids = Object.entries(items)
        .filter(([, item]) => isObject(item) && String(at(item, field)) === value)
        .map(([id]) => id);
      print(ids.map((id) => `${id}\n`).join(""));
      break;
    }
    case "add-user": {
      const [upn, displayName] = args;
      if (upn === undefined) fail(USAGE);
      const id = change((state) => {
        const user = {
          id: newGuid(),
          userPrincipalName: upn,
          displayName: displayName ?? upn.split("@")[0]!,
          mail: upn,
          accountEnabled: true,
          userType: "Member",
        };
        state.graph.users[user.id] = user;
        return user.id;
      });
      print(`${id}\n`);
      break;
    }
    case "add-group": {
      const [id, displayName] = args;
      if (id === undefined || displayName === undefined) fail(USAGE);
      change((state) => {
        state.graph.groups[id] = { id, displayName, securityEnabled: true, members: [] };
      });
      break;
    }
    case "add-resource": {
      const [id, type] = args;
      if (id === undefined || type === undefined) fail(USAGE);
      change((state) => {
        state.arm.resources[armKey(id)] = { id, name: id.split("/").at(-1)!, type, properties: {} };
      });
      break;
    }
    case "deployer": {
      if (args[0] === "--as") {
        const id = args[1];
        if (id === undefined) fail(USAGE);
        const deployer = change((state) => (state.deployer = heldBy(state, id)));
        print(`${JSON.stringify(deployer, null, 2)}\n`);
        break;
      }
      const [json] = args;
      if (json === undefined) fail(USAGE);
      change((state) => {
        state.deployer = { ...state.deployer, ...(JSON.parse(json) as Partial<Deployer>) };
      });
      break;
    }
    default:
      fail(USAGE);
  }
  return 0;
}
