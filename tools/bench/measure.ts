// Runs one command as a child process under GNU time and returns its wall time, CPU time and
// max RSS. A child per run keeps runs cold and independent: the parent's heap and module cache
// never leak into the numbers.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseGnuTime, type Sample } from "./stats.ts";

export interface Command {
  argv: string[];
  env?: Record<string, string>;
}

export interface Measured extends Sample {
  stdout: string;
}

const GNU_TIME = "/usr/bin/time";

/**
 * What a failed command said, for the one line that reports it: the end of each stream, stderr
 * first. A test runner names the failing test well before its closing summary (which is all the
 * last lines of stdout would show), so each stream keeps `lines` lines.
 */
export function failureExcerpt(stdout: string, stderr: string, lines = 30): string {
  return [stderr, stdout]
    .map((text) => text.trim())
    .filter((text) => text !== "")
    .map((text) => text.split("\n").slice(-lines).join("\n"))
    .join("\n");
}

export function measure(command: Command, cwd: string): Measured {
  const dir = mkdtempSync(join(tmpdir(), "s2s-bench-"));
  const timeFile = join(dir, "time");
  try {
    const start = performance.now();
    const child = spawnSync(GNU_TIME, ["-f", "%e %U %S %M", "-o", timeFile, ...command.argv], {
      cwd,
      env: { ...process.env, ...command.env },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallMs = performance.now() - start;
    if (child.error) throw new Error(`cannot run ${GNU_TIME} (install GNU time): ${child.error.message}`);
    if (child.status !== 0) {
      throw new Error(
        `\`${command.argv.join(" ")}\` exited with ${child.status}:\n${failureExcerpt(child.stdout, child.stderr)}`,
      );
    }
    const { cpuMs, maxRssKb } = parseGnuTime(readFileSync(timeFile, "utf8"));
    return { wallMs, cpuMs, maxRssKb, stdout: child.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
