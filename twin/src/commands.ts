/**
 * The twin CLI's commands (twin/src/cli.ts), callable in this process: e2e scripts poke a tenant without
 * starting Node for each command, and the tests run them directly.
 */
import { existsSync } from "node:fs";
import { DATA_OPERATIONS, dataRequest } from "./dataplane.ts";
import { DataPlaneError } from "./dataplane/errors.ts";
import { holdingsOf } from "./deployer.ts";
import { accountByLogin, addAccount, addRepository } from "./github/shared.ts";
import { handMade, removeHandMade } from "./handMade.ts";
import {
  AZURE_CLI_APP_ID,
  type Deployer,
  armKey,
  MICROSOFT_GRAPH_APP_ID,
  type Json,
  type TwinState,
  type TwinWorld,
  isObject,
  newGuid,
  newTenant,
  readState,
  readWorld,
  statePath,
  subscriptionsOf,
  tenantOf,
  tenantOfSubscription,
  withState,
  withWorld,
  writeStateAtomically,
} from "./state.ts";

/**
 * `npm run twin -- --help`, in the layout every CLI of the project shares (tools/cli/args.ts, which the
 * twin does not import: it is a package of its own).
 */
export const HELP = [
  "Pokes the Azure twin (the state file $S2S_TWIN_STATE names: its tenants and GitHub) from scripts and by hand.",
  "",
  "Usage:",
  "  npm run twin -- [--tenant <guid>] <command> [arguments]",
  "",
  "Commands:",
  "  init [--force] [--tenant-id <guid>] [--subscription-id <guid>]",
  "                                      a fresh state of one tenant (refuses to overwrite without --force)",
  "  add-tenant [--tenant-id <guid>] [--subscription-id <guid>]",
  "                                      another tenant, with its own directory and subscription; prints its id",
  "  add-subscription <guid>             another subscription of the tenant",
  "  tenants                             the tenants, their subscriptions and default deployers",
  "  show [path]                         the tenant, or the part at a dotted path (graph.servicePrincipals;",
  "                                      github.repositories for GitHub)",
  "  count [--expect-empty]              what the stacks left (every tenant, or --tenant's): ARM resources by",
  "                                      type, Graph objects, soft-deleted items",
  "  set <path> <value>                  change a value behind Pulumi's back (JSON value, else a string)",
  "  unset <path>                        remove an object behind Pulumi's back (e.g. an app role assignment)",
  "  find <collection> <field> <value>   ids of Graph objects or ARM resources whose field equals value",
  "  add-user <upn> [displayName]        a directory user (for getUser and user assignments)",
  "  add-group <objectId> <displayName>  a security group",
  "  add-resource <armId> <type>         an ARM resource made outside the stacks, to assign roles on",
  "  deployer <json>                     merge into the deployer (servicePrincipalId, azureRoles, graphAppRoles)",
  "  deployer --as <servicePrincipalId>  deploy as that principal, holding what the tenant has assigned to it",
  "  request --as <principal> <operation> <armId>",
  '                                      a data-plane request ("Put Blob" on a container, "Update Key" on a key)',
  "                                      as a service principal (object or client id): prints the data action",
  "                                      that allows it, or the service's 403 and exits 3",
  "  add-repository <owner/name>         a GitHub repository (for @pulumi/github's resources); prints its id",
  "  add-github-user <login>             a GitHub user who may review deployments; prints its id",
  "  add-github-team <slug> [login...]   a GitHub team of those users; prints its id",
  "  hand-made <prefix> [--loose]        the seed's walkthrough done by hand (two sites, an app registration, its",
  "                                      enterprise app, an assignment, EasyAuth); prints the ids pulumi import takes;",
  "                                      --loose: assignment not required, visible to users, implicit grant on",
  "  hand-made <prefix> --remove         delete what hand-made made under that prefix",
  "",
  "Options:",
  "  --tenant <guid>     the tenant a command acts on (default: the default tenant, the first)",
  "  -h, --help          this text",
  "",
  "Exit codes:",
  "   0  done",
  "   1  count --expect-empty found something",
  "   2  refused: no state file set, a tenant that exists, a path that names nothing",
  "   3  the data plane refused the request",
  "  64  wrong command line",
  "",
  "Examples:",
  '  eval "$(npm run -s twin:env)" && npm run twin -- count',
  "  npm run twin -- add-user alice@contoso.example",
  "  npm run twin -- --tenant <guid> hand-made legacy",
  "",
].join("\n");

const COMMANDS: ReadonlySet<string> = new Set([
  "init",
  "add-tenant",
  "add-subscription",
  "tenants",
  "show",
  "count",
  "set",
  "unset",
  "find",
  "add-user",
  "add-group",
  "add-resource",
  "deployer",
  "request",
  "add-repository",
  "add-github-user",
  "add-github-team",
  "hand-made",
]);

/** Where a wrong command line points. */
const SEE_HELP = "(see npm run twin -- --help)";

/** A refusal (a path that names nothing, a tenant that exists): exit 2 with the message. */
class CommandFailed extends Error {
  readonly code: number = 2;
}

/** A wrong command line: exit 64 (sysexits' EX_USAGE, as every CLI of the project) with one line. */
class UsageFailed extends CommandFailed {
  override readonly code = 64;
}

function fail(message: string): never {
  throw new CommandFailed(message);
}

function usage(problem: string): never {
  throw new UsageFailed(`${problem} ${SEE_HELP}`);
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

/** What `count` prints: what the stacks left in the tenants. */
interface Remains {
  arm: { total: number; byType: Record<string, number> };
  graph: Record<string, number>;
  softDeleted: Record<string, number>;
}

/** Two counts as one, key by key. */
function sum(a: Remains, b: Remains): Remains {
  const add = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    arm: { total: a.arm.total + b.arm.total, byType: add(a.arm.byType, b.arm.byType) },
    graph: add(a.graph, b.graph),
    softDeleted: add(a.softDeleted, b.softDeleted),
  };
}

/** What is not the tenant's seed: Microsoft's service principals and the deployer are always there. */
function remains(state: TwinState): Remains {
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
 * What a command printed and its exit code (0 done, 1 `count --expect-empty` found something, 2 refused,
 * 3 the data plane refused the `request`, 64 a wrong command line).
 */
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
  if (argv.includes("--help") || argv.includes("-h")) return { code: 0, stdout: HELP, stderr: "" };
  let stdout = "";
  const print = (text: string) => (stdout += text);
  try {
    // A wrong command is a wrong command line whether or not a tenant is set; `--tenant <guid>` may come first.
    const [command] = argv[0] === "--tenant" ? argv.slice(2) : argv;
    if (command === undefined) usage("a command is required");
    if (!COMMANDS.has(command))
      usage(command.startsWith("-") ? `Unknown option '${command}'` : `unknown command '${command}'`);
    return { code: run(argv, path ?? tenantPath(), print), stdout, stderr: "" };
  } catch (err) {
    if (!(err instanceof CommandFailed)) throw err;
    return { code: err.code, stdout, stderr: `twin: ${err.message}\n` };
  }
}

/** The tenant file, or a refusal naming the variable: one line, never a stack trace. */
function tenantPath(): string {
  try {
    return statePath();
  } catch (err) {
    return fail((err as Error).message);
  }
}

/** `--name <value>` taken out of `args`, or undefined. */
function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith("--")) usage(`${name} needs a value`);
  args.splice(at, 2);
  return value;
}

/** Sets (or, with `value` undefined, removes) what a dotted path names under `root`. */
function put(root: unknown, path: string, value: Json | undefined): void {
  const keys = writableSegments(path);
  const last = keys.pop()!;
  let node: unknown = root;
  for (const key of keys) node = isObject(node) ? node[key] : undefined;
  if (!isObject(node)) fail(`no object at ${keys.join(".")}`);
  if (value !== undefined) node[last] = value;
  else if (last in node) delete (node as Record<string, unknown>)[last];
  else fail(`nothing at ${path}`);
}

/** A path under `github.` names GitHub's state, any other a tenant's. */
const GITHUB_PATH = /^github(\.|$)/;

function run(argv: readonly string[], path: string, print: (text: string) => void): number {
  const args = [...argv];
  // The tenant a command acts on (default: the default tenant), wherever it is on the line.
  const tenant = option(args, "--tenant");
  const command = args.shift();
  const change = <T>(body: (state: TwinState) => T): T => withState(body, path, tenant);
  const read = (): TwinState => readState(path, tenant);
  /** The tenant, or GitHub for a `github.` path. */
  const rootFor = (world: TwinWorld, at: string): unknown =>
    GITHUB_PATH.test(at) ? world : (tenantOf(world, tenant ?? world.defaultTenantId) ?? fail(`no tenant ${tenant}`));
  switch (command) {
    case "init": {
      if (existsSync(path) && !args.includes("--force")) fail(`${path} exists; pass --force to start a new tenant`);
      writeStateAtomically(path, newTenant(option(args, "--tenant-id"), option(args, "--subscription-id")));
      print(`${path}\n`);
      break;
    }
    case "add-tenant": {
      // Another tenant with its own directory and subscription, as a second Entra ID organisation.
      const added = newTenant(option(args, "--tenant-id"), option(args, "--subscription-id"));
      withWorld((world) => {
        if (tenantOf(world, added.tenantId) !== undefined) fail(`tenant ${added.tenantId} exists`);
        world.tenants[added.tenantId] = added;
      }, path);
      print(`${added.tenantId}\n`);
      break;
    }
    case "add-subscription": {
      const [subscriptionId] = args;
      if (subscriptionId === undefined) usage("add-subscription needs <guid>");
      withWorld((world) => {
        const holder = tenantOfSubscription(Object.values(world.tenants), subscriptionId);
        if (holder !== undefined) fail(`subscription ${subscriptionId} is already tenant ${holder.tenantId}'s`);
        tenantOf(world, tenant ?? world.defaultTenantId)?.subscriptions.push(subscriptionId);
      }, path);
      break;
    }
    case "tenants": {
      const world = readWorld(path);
      const list = Object.values(world.tenants).map((t) => ({
        tenantId: t.tenantId,
        default: t.tenantId === world.defaultTenantId,
        subscriptionId: t.subscriptionId,
        subscriptions: subscriptionsOf(t),
        deployer: t.deployer.servicePrincipalId,
      }));
      print(`${JSON.stringify(list, null, 2)}\n`);
      break;
    }
    case "show": {
      const [where] = args;
      const root = rootFor(readWorld(path), where ?? "");
      print(`${JSON.stringify(where === undefined ? root : (at(root, where) ?? null), null, 2)}\n`);
      break;
    }
    case "count": {
      // Every tenant's remains, or one tenant's.
      const world = readWorld(path);
      const tenants = tenant === undefined ? Object.values(world.tenants) : [read()];
      const summary = tenants.map(remains).reduce(sum);
      print(`${JSON.stringify(summary, null, 2)}\n`);
      const graph = Object.values(summary.graph).reduce((a, b) => a + b, 0);
      if (args.includes("--expect-empty") && summary.arm.total + graph > 0) return 1;
      break;
    }
    case "set":
    case "unset": {
      // `unset` removes an object behind Pulumi's back, as a person in the portal would (e.g. an app role assignment).
      const [where, value] = args;
      if (where === undefined || (command === "set" && value === undefined))
        usage(command === "set" ? "set needs <path> <value>" : "unset needs <path>");
      withWorld(
        (world) => put(rootFor(world, where), where, value === undefined ? undefined : parseValue(value)),
        path,
      );
      break;
    }
    case "find": {
      const [collection, field, value] = args;
      if (collection === undefined || field === undefined || value === undefined)
        usage("find needs <collection> <field> <value>");
      const items = at(read(), collection.includes(".") ? collection : `graph.${collection}`);
      if (!isObject(items)) fail(`no collection ${collection}`);
      const ids = Object.entries(items)
        .filter(([, item]) => isObject(item) && String(at(item, field)) === value)
        .map(([id]) => id);
      print(ids.map((id) => `${id}\n`).join(""));
      break;
    }
    case "add-user": {
      const [upn, displayName] = args;
      if (upn === undefined) usage("add-user needs <upn>");
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
      if (id === undefined || displayName === undefined) usage("add-group needs <objectId> <displayName>");
      change((state) => {
        state.graph.groups[id] = { id, displayName, securityEnabled: true, members: [] };
      });
      break;
    }
    case "add-resource": {
      const [id, type] = args;
      if (id === undefined || type === undefined) usage("add-resource needs <armId> <type>");
      change((state) => {
        state.arm.resources[armKey(id)] = { id, name: id.split("/").at(-1)!, type, properties: {} };
      });
      break;
    }
    case "deployer": {
      if (args[0] === "--as") {
        const id = args[1];
        if (id === undefined) usage("deployer --as needs <servicePrincipalId>");
        const deployer = change((state) => {
          if (state.graph.servicePrincipals[id] === undefined) fail(`no service principal ${id}`);
          return (state.deployer = holdingsOf(state, id));
        });
        print(`${JSON.stringify(deployer, null, 2)}\n`);
        break;
      }
      const [json] = args;
      if (json === undefined) usage("deployer needs <json> or --as <servicePrincipalId>");
      change((state) => {
        state.deployer = { ...state.deployer, ...(JSON.parse(json) as Partial<Deployer>) };
      });
      break;
    }
    case "hand-made": {
      const [prefix, ...flags] = args;
      if (prefix === undefined || prefix.startsWith("-")) usage("hand-made needs <prefix>");
      const wrong = flags.find((f) => f !== "--loose" && f !== "--remove");
      if (wrong !== undefined) usage(`Unknown option '${wrong}'`);
      if (flags.includes("--remove")) {
        change((state) => removeHandMade(state, prefix));
        break;
      }
      const ids = change((state) => handMade(state, prefix, flags.includes("--loose")));
      print(`${JSON.stringify(ids, null, 2)}\n`);
      break;
    }
    case "request": {
      // A data-plane request as a principal (its object id or client id): what the azblob backend and the
      // Key Vault secrets provider ask for, answered as Storage or Key Vault would (twin/src/dataplane.ts).
      const as = option(args, "--as");
      const [name, target] = args;
      const operation = name === undefined ? undefined : DATA_OPERATIONS[name];
      if (as === undefined || name === undefined || target === undefined)
        usage("request needs --as <principal> <operation> <armId>");
      if (operation === undefined)
        usage(`request: unknown operation '${name}' (${Object.keys(DATA_OPERATIONS).join(", ")})`);
      const state = read();
      const caller = Object.values(state.graph.servicePrincipals).find(
        (sp) => sp.id.toLowerCase() === as.toLowerCase() || sp.appId.toLowerCase() === as.toLowerCase(),
      );
      if (caller === undefined) fail(`no service principal ${as}`);
      try {
        print(`allowed: ${dataRequest(state, caller, operation, target)}\n`);
      } catch (err) {
        if (!(err instanceof DataPlaneError)) throw err;
        print(`${err.message}\n`);
        return 3;
      }
      break;
    }
    case "add-repository": {
      const [fullName] = args;
      if (fullName === undefined || !/^[^/\s]+\/[^/\s]+$/.test(fullName)) usage("add-repository needs <owner/name>");
      const id = withWorld((world) => addRepository(world.github, fullName), path);
      print(`${id}\n`);
      break;
    }
    case "add-github-user":
    case "add-github-team": {
      const [login, ...members] = args;
      if (login === undefined) usage(`${command} needs <login>`);
      const id = withWorld((world) => {
        const type = command === "add-github-user" ? "User" : "Team";
        const ids = members.map((m) => accountByLogin(world.github, m, "User")?.id ?? fail(`no GitHub user ${m}`));
        return addAccount(world.github, login, type, ids);
      }, path);
      print(`${id}\n`);
      break;
    }
    default:
      usage(`unknown command '${String(command)}'`);
  }
  return 0;
}
