/**
 * Pokes the Azure twin from scripts and by hand: `npm run twin -- <command>` on the tenant in S2S_TWIN_STATE.
 * The commands and exit codes: `npm run twin -- --help` (HELP in commands.ts).
 */
import { twinCommand } from "./commands.ts";

const result = twinCommand(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
