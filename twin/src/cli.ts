/**
 * Pokes the twin from scripts: `node twin/src/cli.ts [--tenant <guid>] <command>` with the state file in
 * S2S_TWIN_STATE. `--tenant` picks the tenant a command acts on (default: the default tenant, the first).
 *
 *   init [--force] [--tenant-id <guid>] [--subscription-id <guid>]
 *                                       a fresh state of one tenant (refuses to overwrite without --force)
 *   add-tenant [--tenant-id <guid>] [--subscription-id <guid>]
 *                                       another tenant, with its own directory and subscription; prints its id
 *   add-subscription <guid>             another subscription of the tenant
 *   tenants                             the tenants, their subscriptions and default deployers
 *   show [path]                         the tenant, or the part at a dotted path (graph.servicePrincipals;
 *                                       github.repositories for GitHub)
 *   count [--expect-empty]              what the stacks left (every tenant, or --tenant's): ARM resources by
 *                                       type, Graph objects, soft-deleted items
 *   set <path> <value>                  change a value behind Pulumi's back (JSON value, else a string)
 *   unset <path>                        remove an object behind Pulumi's back (e.g. an app role assignment)
 *   find <collection> <field> <value>   ids of Graph objects or ARM resources whose field equals value
 *   add-user <upn> [displayName]        a directory user (for getUser and user assignments)
 *   add-group <objectId> <displayName>  a security group
 *   add-resource <armId> <type>         an ARM resource made outside the stacks (a state container, a key) to
 *                                       assign roles on
 *   deployer <json>                     merge into the deployer (servicePrincipalId, azureRoles, graphAppRoles)
 *   deployer --as <servicePrincipalId>  deploy as that principal, holding what the tenant has assigned to it
 *   request --as <principal> <operation> <armId>
 *                                       a data-plane request ("Put Blob" on a container, "Update Key" on a key)
 *                                       as a service principal (object or client id): prints the data action
 *                                       that allows it, or the service's 403 and exits 3
 *   add-repository <owner/name>         a GitHub repository (for @pulumi/github's resources); prints its id
 *   add-github-user <login>             a GitHub user who may review deployments; prints its id
 *   add-github-team <slug> [login...]   a GitHub team of those users; prints its id
 */
import { twinCommand } from "./commands.ts";

const result = twinCommand(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
