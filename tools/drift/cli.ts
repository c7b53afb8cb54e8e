// npm run drift -- --stack <name> [--assignments FILE]
// Run after `pulumi refresh --stack <name>`: judges the refreshed state with the policy rules and
// lists app role assignments on the stack's service principals that the stack does not manage.
// Assignments come from Graph through the Azure CLI (`az rest`, GET .../appRoleAssignedTo per
// service principal, every page), or from FILE (a JSON array of Graph appRoleAssignment objects, or Graph's
// `{ "value": [...] }`).
// Exit 0: no drift. 1: drift reported. 2: unreadable input. 64: a wrong command line.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import * as cli from "../cli/args.ts";
import { isEnvironment, RESOURCE_TYPE } from "../../model/index.ts";
import { audit, formatReport, managedServicePrincipals, type ExportedResource, type GraphAssignment } from "./audit.ts";

const DRIFT = cli.defineCommand({
  name: "drift",
  command: "npm run drift --",
  summary:
    "After pulumi refresh: the policy rules on the refreshed state, and app role assignments on the stack's " +
    "service principals that the stack does not manage (from az rest, or FILE).",
  usage: ["--stack NAME [--assignments FILE]"],
  options: { stack: { type: "string" }, assignments: { type: "string" } },
  optionHelp: [
    "--stack NAME        the refreshed stack to judge (pulumi stack export)",
    "--assignments FILE  Graph appRoleAssignment objects (a JSON array or { value: [...] }) instead of az rest",
  ],
  exitCodes: [
    [0, "no drift"],
    [1, "drift reported"],
    [2, "unreadable input (the stack export, the file or az rest)"],
    [cli.EXIT_USAGE, "wrong command line"],
  ],
  examples: ["pulumi refresh --stack dev --yes && npm run drift -- --stack dev"],
});

// Unreadable input (the export, the file, az rest): exit 2, unlike a wrong command line (64).
class InputError extends Error {}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err)
        reject(
          new InputError(`${file} ${args.slice(0, 3).join(" ")}: ${(stderr || err.message).trim().split("\n")[0]}`),
        );
      else resolve(stdout);
    }),
  );
}

function assignmentsOf(json: unknown): GraphAssignment[] {
  const list = Array.isArray(json) ? json : (json as { value?: unknown } | null)?.value;
  if (!Array.isArray(list)) throw new InputError("assignments: expected a JSON array or Graph's { value: [...] }");
  return list as GraphAssignment[];
}

/**
 * Every app role assignment on the service principals, read from Graph page by page: Graph
 * returns a long list in pages, each but the last with an `@odata.nextLink` to the next (Microsoft
 * Learn, "Paging Microsoft Graph data in your app"); `az rest` does not follow it.
 */
export async function readAssignments(
  servicePrincipals: readonly string[],
  get: (url: string) => Promise<unknown>,
): Promise<GraphAssignment[]> {
  const assignments: GraphAssignment[] = [];
  for (const sp of servicePrincipals) {
    const first = `https://graph.microsoft.com/v1.0/servicePrincipals/${sp}/appRoleAssignedTo`;
    const seen = new Set<string>();
    for (let url: string | undefined = first; url !== undefined;) {
      if (seen.has(url))
        throw new InputError(`Graph paging of ${first} returned a next link it had already given: ${url}`);
      seen.add(url);
      const page = await get(url);
      assignments.push(...assignmentsOf(page));
      const next = (page as { "@odata.nextLink"?: unknown })["@odata.nextLink"];
      url = typeof next === "string" ? next : undefined;
    }
  }
  return assignments;
}

async function drift(argv: string[], io: cli.CliIo): Promise<number> {
  const parsed = cli.readCommandLine(DRIFT, argv);
  const values = {
    stack: cli.stringOption(parsed.values, "stack"),
    assignments: cli.stringOption(parsed.values, "assignments"),
  };
  if (!values.stack) throw new cli.UsageError("drift: --stack is required (see npm run drift -- --help)");
  const stack = values.stack;
  const exported = JSON.parse(await run("pulumi", ["stack", "export", "--stack", stack])) as {
    deployment?: { resources?: ExportedResource[] };
  };
  const resources = exported.deployment?.resources ?? [];
  const root = resources.find((r) => r.type === RESOURCE_TYPE.stack);
  const environment = root?.outputs?.environment;
  if (!isEnvironment(environment)) {
    throw new InputError(`stack "${stack}" has no environment output: is it deployed?`);
  }
  let assignments: GraphAssignment[];
  if (values.assignments !== undefined) {
    let text: string;
    try {
      text = readFileSync(values.assignments, "utf8");
    } catch (err) {
      throw new InputError(
        `cannot read ${values.assignments}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    assignments = assignmentsOf(JSON.parse(text));
  } else {
    const get = async (url: string) =>
      JSON.parse(await run("az", ["rest", "--method", "GET", "--url", url])) as unknown;
    assignments = await readAssignments(managedServicePrincipals(resources), get);
  }
  const report = audit(resources, assignments, { environment });
  const text = formatReport(stack, report);
  io.stdout(
    text === ""
      ? `drift: ${stack}: none (policy rules pass on the refreshed state; no unmanaged app role assignment)\n`
      : `${text}\n`,
  );
  return text === "" ? 0 : 1;
}

/** `npm run drift -- <argv>`: the exit code, with everything printed through `io`. */
export function main(argv: string[], io: cli.CliIo): Promise<number> {
  return cli.runCli(drift, argv, io, { name: "drift", code: 2 });
}

if (import.meta.main) cli.runAsCommand(main);
