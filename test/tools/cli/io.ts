// Runs a CLI's `main` in-process, as its bin wrapper would, with what it prints captured: the
// in-process half of every CLI test (the `*.deep.test.ts` files keep the real processes).
import { runCli, type CliMain } from "../../../tools/cli/args.ts";
import { ROOT } from "../../childProcess.ts";

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `main(argv)` with stdout and stderr captured and only `env` for an environment (no identity of
 * the test's own can leak in); paths on the command line resolve from the repository root, as
 * under `npm run`. `terminal`: stderr is a terminal someone watches.
 */
export async function runMain(
  main: CliMain,
  argv: string[],
  env: Record<string, string | undefined> = {},
  { terminal = false }: { terminal?: boolean } = {},
): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: (text: string) => void (stdout += text),
    stderr: (text: string) => void (stderr += text),
    env: { INIT_CWD: ROOT, ...env },
    terminal,
  };
  const code = await runCli(main, argv, io);
  return { code, stdout, stderr };
}
