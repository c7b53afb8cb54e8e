/**
 * Pokes the Azure twin from scripts: `node twin/src/cli.ts <command>` with the state file in S2S_TWIN_STATE.
 *
 *   init [--force] [--tenant-id <guid>] [--subscription-id <guid>]
 *                                       a fresh tenant (refuses to overwrite without --force)
 *   show [path]                         the state, or the part at a dotted path (graph.servicePrincipals)
 *   count [--expect-empty]              what the stacks left: ARM resources by type, Graph objects, soft-deleted items
 *   set <path> <value>                  change a value behind Pulumi's back (JSON value, else a string)
 *   unset <path>                        remove an object behind Pulumi's back (e.g. an app role assignment)
 *   find <collection> <field> <value>   ids of Graph objects or ARM resources whose field equals value
 *   add-user <upn> [displayName]        a directory user (for getUser and user assignments)
 *   add-group <objectId> <displayName>  a security group
 *   add-resource <armId> <type>         an ARM resource made outside the stacks (a state container, a key) to assign
 * roles on
 *   deployer <json>                     merge into the deployer (servicePrincipalId, azureRoles, graphAppRoles)
 *   deployer --as <servicePrincipalId>  deploy as that principal, holding what the tenant has assigned to it
 */
import { twinCommand } from "./commands.ts";

const result = twinCommand(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
