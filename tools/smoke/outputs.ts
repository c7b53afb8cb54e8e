// What the smoke test needs from a stack's outputs, read from `pulumi stack output --json`
// or from a file holding the same JSON.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { SmokeError } from "./diagnose.ts";

/** One callee to probe. */
export interface SmokeTarget {
  name: string;
  /** `https://<host>` */
  url: string;
  /** The Application ID URI, `api://<clientId>`; tokens are asked for `<applicationIdUri>/.default`. */
  applicationIdUri: string;
}

export interface SmokeOutputs {
  tenantId: string | undefined;
  /** Set when the stack declares `s2s-auth:ciAccess`. */
  ciPrincipalClientId: string | undefined;
  callees: SmokeTarget[];
}

const outputsSchema = z.looseObject({
  tenantId: z.string().optional(),
  ciPrincipalClientId: z.string().optional(),
  callees: z.record(z.string(), z.looseObject({ url: z.string().url(), applicationIdUri: z.string().min(1) })),
});

/**
 * Why a bearer token must not be sent to `url`, or undefined when it may: only over HTTPS, so no
 * one on the path reads it, and plain http only to this machine's loopback (the twin serves its
 * callees there; RFC 6761 reserves `localhost`, RFC 1122 127.0.0.0/8, RFC 4291 ::1).
 */
export function tokenUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url} is not a URL`;
  }
  if (parsed.protocol === "https:") return undefined;
  const host = parsed.hostname;
  const loopback = host === "localhost" || host === "[::1]" || /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(host);
  if (parsed.protocol === "http:" && loopback) return undefined;
  return (
    `${url} is not https; the smoke test sends a bearer token only over HTTPS ` +
    "(plain http only to loopback: localhost, 127.0.0.0/8, [::1])"
  );
}

/** Validates stack outputs; `source` names where they came from in error messages. */
export function parseSmokeOutputs(value: unknown, source: string): SmokeOutputs {
  const result = outputsSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const at = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    const problem = issue.input === undefined ? "required" : issue.message.split("\n")[0]!;
    throw new SmokeError(
      `${source}: not stack outputs (${at}: ${problem}); expected the output of \`pulumi stack output --json\``,
    );
  }
  const callees = Object.entries(result.data.callees).map(([name, c]) => ({
    name,
    url: c.url,
    applicationIdUri: c.applicationIdUri,
  }));
  if (callees.length === 0) throw new SmokeError(`${source}: callees: no callee to test`);
  for (const c of callees) {
    const problem = tokenUrlProblem(c.url);
    if (problem) throw new SmokeError(`${source}: callees.${c.name}.url: ${problem}`);
  }
  return { tenantId: result.data.tenantId, ciPrincipalClientId: result.data.ciPrincipalClientId, callees };
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8's message quotes the text, line breaks included: keep only where it broke.
    const where = /\(line \d+ column \d+\)/.exec((err as Error).message)?.[0];
    throw new SmokeError(
      `${source}: not valid JSON${where ? ` ${where}` : ""}; expected the output of \`pulumi stack output --json\``,
    );
  }
}

export async function readOutputsFile(path: string): Promise<SmokeOutputs> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new SmokeError(
      `cannot read outputs file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseSmokeOutputs(parseJson(text, path), path);
}

/** Runs a command and returns its stdout; injectable so tests need no Pulumi CLI. */
export type RunCommand = (file: string, args: string[]) => Promise<string>;

const runCommand: RunCommand = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stderr }));
      else resolve(stdout);
    });
  });

export async function readStackOutputs(stack: string, run: RunCommand = runCommand): Promise<SmokeOutputs> {
  const source = `outputs of stack "${stack}"`;
  let stdout: string;
  try {
    stdout = await run("pulumi", ["stack", "output", "--json", "--stack", stack]);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new SmokeError("the pulumi CLI is not on PATH: install it, or pass --outputs FILE");
    const detail =
      (e.stderr ?? e.message)
        .split("\n")
        .find((l) => l.trim().length > 0)
        ?.trim() ?? "failed";
    throw new SmokeError(`pulumi stack output --stack ${stack}: ${detail}`);
  }
  return parseSmokeOutputs(parseJson(stdout, source), source);
}
