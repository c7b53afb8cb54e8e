// One e2e run's world: a copy of the project (so `pulumi stack init` writes its salt into the
// copy's stack files, not the repository's), a file backend, a twin tenant, and the commands
// that act on them. Nothing here knows the program's config or code.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { twinCommand } from "@s2s-auth/twin/commands.ts";
import { readState, type TwinState } from "@s2s-auth/twin/state.ts";
import { ensureTwin, ROOT, twinEnvironment } from "./env.ts";
import type { PendingOperation, StateResource } from "./pending.ts";

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What `pulumi stack export` says of a stack's resources and the operations a killed run left. */
export interface Exported {
  deployment?: { resources?: StateResource[]; pending_operations?: PendingOperation[] };
}

/** One command the run started, for the timings report (`npm run bench:engine`). */
export interface CommandRecord {
  argv: string[];
  start: number;
  end: number;
  code: number | null;
}

export class CommandError extends Error {
  readonly result: Result;
  constructor(command: string, result: Result) {
    // The last lines say why; a line of a JSON document or an inspected object can be very long.
    const tail = (result.stderr + result.stdout)
      .trim()
      .split("\n")
      .slice(-25)
      .map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line))
      .join("\n");
    super(`${command} exited with ${result.code}\n${tail}`);
    this.result = result;
  }
}

// What a copy of the project leaves out: built or installed things, and earlier runs' state.
const NOT_COPIED = new Set([
  ".git",
  "node_modules",
  ".tools",
  ".twin",
  "reports",
  ".stryker-tmp",
  "coverage",
  ".bench-js",
]);

export class Workspace {
  readonly dir: string;
  readonly env: Record<string, string>;
  /** Every command run through `run`, in order, with its wall-clock span (ms since the epoch). */
  readonly commands: CommandRecord[] = [];

  private constructor(dir: string) {
    this.dir = dir;
    this.env = {
      // Node's on-disk compile cache, shared by runs: every pulumi command starts the program, the twin's
      // two plugins and the policy pack, each loading the same SDKs (docs/performance.md, ~20 % less CPU).
      NODE_COMPILE_CACHE: join(tmpdir(), "s2s-e2e-node-compile-cache"),
      ...(process.env as Record<string, string>),
      ...twinEnvironment({ dir: join(dir, ".twin") }),
    };
  }

  /** A fresh copy of the project with its own backend and twin tenant. */
  static create(): Workspace {
    const dir = mkdtempSync(join(tmpdir(), "s2s-e2e-"));
    for (const entry of readdirSync(ROOT)) {
      if (!NOT_COPIED.has(entry)) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    const ws = new Workspace(dir);
    ensureTwin(ws.env);
    return ws;
  }

  /**
   * The project itself as the workspace, its backend and tenant under `.twin/` (what `npm run -s twin:env`
   * points a shell at): `npm run demo` deploys there so that a developer can go on by hand. Never remove() it.
   */
  static ofProject(): Workspace {
    const ws = new Workspace(ROOT);
    ensureTwin(ws.env);
    return ws;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Starts a command in the workspace; `run` waits for it. */
  start(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
    return spawn(command, args, { cwd: this.dir, env: { ...this.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  }

  run(
    command: string,
    args: string[],
    { env = {}, allowFailure = false }: { env?: Record<string, string>; allowFailure?: boolean } = {},
  ): Promise<Result> {
    const started = Date.now();
    const child = this.start(command, args, env);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => {
        this.commands.push({ argv: [command, ...args], start: started, end: Date.now(), code });
        const result = { code, stdout, stderr };
        if (code !== 0 && !allowFailure) reject(new CommandError(`${command} ${args.join(" ")}`, result));
        else resolve(result);
      });
    });
  }

  /** `pulumi <args> --stack <stack>` without prompts or colour; `project` is a folder such as `bootstrap`. */
  pulumi(
    stack: string,
    args: string[],
    options: { env?: Record<string, string>; allowFailure?: boolean; project?: string } = {},
  ): Promise<Result> {
    const cwd = options.project === undefined ? [] : ["--cwd", options.project];
    return this.run("pulumi", [...cwd, ...args, "--stack", stack, "--non-interactive", "--color", "never"], options);
  }

  /**
   * A tenant of the workspace's twin (`tenantId`'s, else the default one) through the twin's one reader,
   * seen through the caller's view of its REST shapes.
   */
  tenant<View = TwinState>(tenantId?: string): View {
    return readState(this.env.S2S_TWIN_STATE!, tenantId) as unknown as View;
  }

  /** `pulumi stack export` of a stack. */
  async exportStack(stack: string): Promise<Exported> {
    return JSON.parse((await this.run("pulumi", ["stack", "export", "--stack", stack])).stdout) as Exported;
  }

  /** A command of the twin's CLI (twin/src/cli.ts) on this workspace's tenant, run in this process. */
  async twin(args: string[], options: { allowFailure?: boolean } = {}): Promise<Result> {
    const result = twinCommand(args, this.env.S2S_TWIN_STATE!);
    if (result.code !== 0 && !options.allowFailure) throw new CommandError(`twin ${args.join(" ")}`, result);
    return result;
  }

  /** `npm run plan` of a stack in this workspace, as JSON. */
  async plan(stack: string): Promise<unknown> {
    const out = join(this.dir, `.plan-${stack}.json`);
    await this.run(process.execPath, [
      "--stack-trace-limit=1",
      join(this.dir, "tools", "plan", "cli.ts"),
      "--stack",
      stack,
      "--json",
      out,
    ]);
    return JSON.parse(readFileSync(out, "utf8"));
  }
}
