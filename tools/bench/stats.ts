// Pure helpers for the benchmark: summary statistics, per-resource cost, target checks and the
// markdown table. No I/O here, so test/tools/bench/stats.test.ts can pin the arithmetic down.

/** One timed run of one command. */
export interface Sample {
  wallMs: number;
  /** User + system CPU time of the child: less sensitive than wall time to a busy machine. */
  cpuMs: number;
  maxRssKb: number;
}

export interface Summary {
  runs: number;
  medianMs: number;
  minMs: number;
  medianCpuMs: number;
  /** The largest max RSS of all runs. */
  maxRssMb: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly Sample[]): Summary {
  if (samples.length === 0) throw new RangeError("no samples to summarize");
  return {
    runs: samples.length,
    medianMs: median(samples.map((s) => s.wallMs)),
    minMs: Math.min(...samples.map((s) => s.wallMs)),
    medianCpuMs: median(samples.map((s) => s.cpuMs)),
    maxRssMb: Math.max(...samples.map((s) => s.maxRssKb)) / 1024,
  };
}

/**
 * Parses what `/usr/bin/time -f "%e %U %S %M"` writes: elapsed, user and system seconds, max
 * RSS in KB. GNU time puts "Command exited with non-zero status N" first when the child fails.
 */
export function parseGnuTime(text: string): { elapsedMs: number; cpuMs: number; maxRssKb: number } {
  const line = text.trim().split("\n").at(-1) ?? "";
  const parts = line.trim().split(/\s+/).map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)))
    throw new Error(`unexpected /usr/bin/time output: ${JSON.stringify(text)}`);
  const [elapsed, user, system, rss] = parts as [number, number, number, number];
  return { elapsedMs: elapsed * 1000, cpuMs: (user + system) * 1000, maxRssKb: rss };
}

/** A measured topology: how many resources it declared and how long the program took. */
export interface TopologyPoint {
  resources: number;
  medianMs: number;
}

/**
 * Milliseconds each resource adds, measured against the smallest topology so that the fixed cost
 * of starting Node and loading the SDK is not spread over the resources. The smallest topology
 * itself has no marginal cost and gets `undefined`.
 */
export function marginalMsPerResource(points: readonly TopologyPoint[]): (number | undefined)[] {
  if (points.length === 0) return [];
  const base = points.reduce((a, b) => (b.resources < a.resources ? b : a));
  return points.map((p) =>
    p.resources > base.resources ? (p.medianMs - base.medianMs) / (p.resources - base.resources) : undefined,
  );
}

/** Whether every value lies within ±tolerance (0.3 = 30 %) of the values' median. */
export function isFlat(values: readonly number[], tolerance: number): { flat: boolean; median: number; worst: number } {
  const m = median(values);
  const worst = Math.max(...values.map((v) => Math.abs(v - m) / m));
  return { flat: worst <= tolerance, median: m, worst };
}

/** A markdown table; numbers are already formatted by the caller. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

export const seconds = (ms: number): string => (ms / 1000).toFixed(2);
export const megabytes = (mb: number): string => mb.toFixed(0);

/**
 * Splits a Pulumi.yaml `nodeargs` string into arguments. Pulumi splits it shell-style; quoting
 * is refused here rather than half-supported, since this project's nodeargs need none.
 */
export function splitNodeArgs(nodeargs: string | undefined): string[] {
  if (nodeargs === undefined) return [];
  if (/["'\\]/.test(nodeargs))
    throw new Error(`Pulumi.yaml runtime.options.nodeargs: quoting is not supported by the bench: ${nodeargs}`);
  return nodeargs.split(/\s+/).filter((a) => a.length > 0);
}
