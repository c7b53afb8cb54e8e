// One way for tests to run a script with the repository's Node 22 and collect what it printed.
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..");
export const NODE = join(ROOT, "node_modules/.bin/node");

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Variables no test child may inherit: an identity in them would let it sign in somewhere real. */
const IDENTITY_VARIABLES = /^(AZURE_|ARM_|ACTIONS_ID_TOKEN_)/;

/**
 * `node <args>` from the repository root, with the test's environment minus any Azure or GitHub
 * identity (and minus what `drop` matches), plus `env`.
 */
export function runNode(
  args: string[],
  options: { env?: Record<string, string | undefined>; drop?: RegExp } = {},
): Promise<RunResult> {
  return runCommand(NODE, args, options);
}

/** `command <args>` from the repository root, with the environment {@link runNode} gives. */
export function runCommand(
  command: string,
  args: string[],
  { env = {}, drop }: { env?: Record<string, string | undefined>; drop?: RegExp } = {},
): Promise<RunResult> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !IDENTITY_VARIABLES.test(k) && !(drop?.test(k) ?? false)),
  );
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...base, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}
