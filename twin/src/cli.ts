/**
 * Pokes the Azure twin from scripts and by hand: `npm run twin -- [--tenant <guid>] <command>` on the state file
 * in S2S_TWIN_STATE (`--tenant` picks the tenant a command acts on; default: the default tenant, the first).
 * The commands and exit codes: `npm run twin -- --help` (HELP in commands.ts).
 */
import { twinCommand } from "./commands.ts";

const result = twinCommand(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
