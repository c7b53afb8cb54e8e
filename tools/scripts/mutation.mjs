// npm run test:mutation [config|components|policy …]: runs the Stryker parts (tools/stryker.config.mjs), then
// prints the mutation score per file and overall from their JSON reports, and the time taken.
// Exits non-zero when a part fails or falls under its thresholds.break.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { compareCodeUnits } from "../../model/compare.ts";
import { parts as mutationParts } from "./mutationParts.ts";

const known = Object.keys(mutationParts);
// --help and a wrong command line as every CLI of the project answers them (tools/cli/args.ts, whose
// parser takes options, not the part names this takes): usage on stdout, exit 0; one line, exit 64.
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(
    [
      "Runs Stryker's mutation tests part by part, then prints the mutation score per file and overall " +
        "(tens of minutes).",
      "",
      "Usage:",
      `  npm run test:mutation -- [${known.join(" | ")} ...]   (default: every part)`,
      "",
      "Options:",
      "  -h, --help          this text",
      "",
      "Exit codes:",
      "   0  every part ran and stayed above its thresholds.break",
      "   1  a part failed or fell under its thresholds.break",
      "  64  wrong command line",
      "",
      "Examples:",
      "  npm run test:mutation -- policy",
      "",
    ].join("\n"),
  );
  process.exit(0);
}
const wrong = args.find((a) => !known.includes(a));
if (wrong !== undefined) {
  const what = wrong.startsWith("-")
    ? `Unknown option '${wrong}'`
    : `unknown part '${wrong}' (parts: ${known.join(", ")})`;
  console.error(`test:mutation: ${what} (see npm run test:mutation -- --help)`);
  process.exit(64);
}
const parts = args.length > 0 ? args : known;
// A fixed seed makes the fuzz tests kill the same mutants on every run; the case counts (more
// than npm test's, fewer than npm run test:deep's) keep each mutant's test run short.
const env = { FUZZ_SEED: "1", FUZZ_RUNS: "300", FUZZ_PROGRAM_RUNS: "20", ...process.env };

const started = Date.now();
const failed = [];
const minutesOf = {};
for (const part of parts) {
  const partStarted = Date.now();
  const result = spawnSync("stryker", ["run", "tools/stryker.config.mjs"], {
    stdio: "inherit",
    env: { ...env, STRYKER_PART: part },
  });
  if (result.status !== 0) failed.push(part);
  minutesOf[part] = ((Date.now() - partStarted) / 60000).toFixed(1);
}
const minutes = ((Date.now() - started) / 60000).toFixed(1);

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);
const rows = [];
for (const part of parts) {
  const file = `reports/mutation/${part}/mutation.json`;
  if (!existsSync(file)) continue;
  for (const [name, { mutants }] of Object.entries(JSON.parse(readFileSync(file, "utf8")).files)) {
    const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
    const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
    rows.push({ name, detected, undetected });
  }
}
const score = (d, u) => (d + u === 0 ? "n/a" : `${((100 * d) / (d + u)).toFixed(1)} %`);
console.log("\nMutation score (killed + timed out) / (killed + timed out + survived + no coverage):");
for (const r of rows.sort((a, b) => compareCodeUnits(a.name, b.name))) {
  console.log(
    `  ${r.name.padEnd(40)} ${score(r.detected, r.undetected).padStart(8)}  ` +
      `(${r.detected} detected, ${r.undetected} not)`,
  );
}
const total = rows.reduce((t, r) => ({ d: t.d + r.detected, u: t.u + r.undetected }), { d: 0, u: 0 });
console.log(`  ${"overall".padEnd(40)} ${score(total.d, total.u).padStart(8)}  (${total.d} detected, ${total.u} not)`);
console.log(
  `Wall time: ${minutes} min (${parts.map((p) => `${p} ${minutesOf[p]}`).join(", ")}). ` +
    `Reports: ${parts.map((p) => `reports/mutation/${p}/index.html`).join(", ")}`,
);
if (failed.length > 0) {
  console.error(`Mutation testing failed or fell under thresholds.break in: ${failed.join(", ")}`);
  process.exit(1);
}
