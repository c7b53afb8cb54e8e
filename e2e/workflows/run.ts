// npm run e2e:workflows: the workflow files themselves, run by a real Actions runner (nektos/act,
// built by npm run act:install) against the twin: each event of the scenario (e2e/workflows/scenario.ts)
// delivered as GitHub would, every run it causes printed with its jobs and sign-ins, each outcome
// checked; then each broken workflow, which the run must catch. The last line: `N passed, M failed`.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import {
  defineCommand,
  EXIT_USAGE,
  readCommandLine,
  runAsCommand,
  runCli,
  stringOption,
  type CliIo,
} from "../../tools/cli/args.ts";
import { ROOT } from "../env.ts";
import { actOnPath, BUILT_ACT } from "./act.ts";
import { BROKEN, BROKEN_AWAITING, type BrokenWorkflow } from "./broken.ts";
import { failureLines, runLines } from "./report.ts";
import type { Outcome } from "./outcomes.ts";
import { EVENTS, newMemory, type Memory } from "./scenario.ts";
import { createWorld, type World } from "./world.ts";

const E2E_WORKFLOWS = defineCommand({
  name: "e2e:workflows",
  command: "npm run e2e:workflows --",
  summary:
    "Runs .github/workflows/ under nektos/act against the Azure twin for a pull request's life, a push to main, " +
    "the manual destroy and the nightly clean-up, and checks what each event led to.",
  usage: ["[--keep] [--events N]"],
  options: { keep: { type: "boolean" }, events: { type: "string" } },
  optionHelp: [
    "--keep              keep the temporary world (its path is printed)",
    "--events N          play only the first N events",
  ],
  exitCodes: [
    [0, "every outcome held and every broken workflow was caught"],
    [1, "an outcome failed, or a broken workflow went unnoticed"],
    [EXIT_USAGE, "wrong command line"],
  ],
  examples: ["npm run e2e:workflows -- --keep"],
});

/** An outcome's check as a printed line and whether it held; a check that throws anything fails it. */
async function checked(outcome: Outcome): Promise<{ held: boolean; line: string }> {
  try {
    return { held: true, line: `✔ ${outcome.name}: ${await outcome.check()}` };
  } catch (err) {
    return { held: false, line: `✘ ${outcome.name}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Commits the broken workflow on main, replays its events and checks that its outcome fails, then
 * puts main back. With `control`, the replay first runs on the unbroken files, where it must hold.
 */
async function tryBroken(world: World, memory: Memory, broken: BrokenWorkflow, print: (s: string) => void) {
  const main = world.repo.sha("main");
  const reviewer = world.github.reviewer;
  if (broken.control === true) {
    const { runs, outcome } = await broken.replay(world, memory);
    for (const run of runs) print(`${runLines(world, run).join("\n")}\n`);
    const control = await checked(outcome);
    print(`  control, unbroken: ${control.line}\n`);
    if (!control.held) return { caught: false, line: "the replay fails on the unbroken workflows: it shows nothing" };
  }
  const changes = Object.fromEntries(
    Object.entries(broken.breaks).map(([file, breakIt]) => [file, breakIt(world.repo.read(main, file))]),
  );
  world.repo.setRef("refs/heads/main", world.repo.commit(main, changes, `broken: ${broken.name}`));
  try {
    const { runs, outcome } = await broken.replay(world, memory);
    for (const run of runs) print(`${runLines(world, run).join("\n")}\n`);
    const result = await checked(outcome);
    return result.held
      ? { caught: false, line: `MISSED: ${outcome.name} still holds` }
      : { caught: true, line: `caught: ${result.line.split("\n")[0]}` };
  } finally {
    world.repo.setRef("refs/heads/main", main);
    world.github.reviewer = reviewer;
  }
}

async function e2eWorkflows(argv: string[], io: CliIo): Promise<number> {
  const parsed = readCommandLine(E2E_WORKFLOWS, argv);
  const keep = parsed.values["keep"] === true;
  const limit = Number(stringOption(parsed.values, "events") ?? EVENTS.length);
  const started = performance.now();
  // A user's own act wins; else the one act:install builds (once: it does nothing when current).
  let act = actOnPath(io.env["PATH"] ?? "");
  if (act === undefined) {
    const install = spawnSync("bash", [join(ROOT, "tools", "scripts", "act-install.sh")], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (install.status !== 0) throw new Error("npm run act:install failed (its output is above)");
    act = BUILT_ACT;
  }
  const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
  const world = await createWorld(act);
  io.stdout(`e2e:workflows: act ${act}; world ${world.ws.dir} ready in ${seconds()} s\n`);
  const memory = newMemory();
  let passed = 0;
  let failed = 0;
  try {
    for (const [i, event] of EVENTS.slice(0, limit).entries()) {
      io.stdout(`\n━━ event ${i + 1}/${EVENTS.length}: ${event.title} [${seconds()} s]\n`);
      const notRunBefore = world.harness.notRun.length;
      const result = await event.play(world, memory);
      for (const run of result.runs) io.stdout(`${runLines(world, run).join("\n")}\n`);
      for (const n of world.harness.notRun.slice(notRunBefore))
        io.stdout(
          `  ${n.file} (${n.action === undefined ? n.event : `${n.event} ${n.action}`}): not run here, ${n.reason}\n`,
        );
      for (const outcome of result.outcomes) {
        const { held, line } = await checked(outcome);
        if (outcome.awaits !== undefined) {
          io.stdout(`  … not counted yet, awaits ${outcome.awaits}:\n    ${line}\n`);
          continue;
        }
        io.stdout(`  ${line}\n`);
        if (!held) for (const run of result.runs) io.stdout(`${failureLines(run).join("\n")}\n`);
        if (held) passed++;
        else failed++;
      }
    }
    if (limit >= EVENTS.length)
      for (const broken of BROKEN) {
        io.stdout(`\n━━ broken workflow: ${broken.name} [${seconds()} s]\n`);
        const { caught, line } = await tryBroken(world, memory, broken, io.stdout).catch((err: unknown) => ({
          caught: false,
          line: `the replay itself failed: ${err instanceof Error ? err.message : String(err)}`,
        }));
        io.stdout(`  ${caught ? "✔" : "✘"} ${line}\n`);
        if (caught) passed++;
        else failed++;
      }
    for (const line of BROKEN_AWAITING) io.stdout(`  … broken workflow not tried yet: ${line}\n`);
  } finally {
    await world.close();
    if (keep) io.stdout(`e2e:workflows: kept ${world.ws.dir}\n`);
    else world.ws.remove();
  }
  io.stdout(`\ne2e:workflows: ${seconds()} s\n${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

/** `npm run e2e:workflows -- <argv>`: the exit code, with everything printed through `io`. */
export function main(argv: string[], io: CliIo): Promise<number> {
  return runCli(e2eWorkflows, argv, io, { name: "e2e:workflows", code: 1 });
}

if (import.meta.main) runAsCommand(main);
