// The checkout stand-in's step (action.yml beside it says what it replaces).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fail, input, log, runnerEnv } from "../../../runner/standin.ts";

const workspace = runnerEnv("GITHUB_WORKSPACE");
const dest = resolve(workspace, input("path"));
if (dest !== workspace && !dest.startsWith(`${workspace}/`)) fail(`path ${input("path")} is outside the workspace`);
const ref = input("ref") || runnerEnv("GITHUB_SHA");
mkdirSync(dest, { recursive: true });
for (const entry of readdirSync(dest)) rmSync(join(dest, entry), { recursive: true, force: true });
const git = (...args: string[]) => execFileSync("git", ["-C", dest, ...args], { encoding: "utf8" }).trim();
// --shared: the clone borrows the local repository's objects, so every commit of it (a fork's
// pull request head included, as GitHub keeps it under refs/pull/) can be checked out by SHA.
execFileSync("git", ["clone", "--quiet", "--shared", "--no-checkout", runnerEnv("S2S_E2E_ORIGIN"), dest]);
let sha: string;
try {
  sha = git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
} catch {
  try {
    sha = git("rev-parse", "--verify", "--quiet", `origin/${ref}^{commit}`);
  } catch {
    fail(`checkout stand-in: no commit, branch or tag ${ref} in the repository`);
  }
}
git("-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", sha);
process.stdout.write(`checkout stand-in: ${sha}${ref === sha ? "" : ` (${ref})`} into ${dest}\n`);
await log("checkout", { sha, ref, path: input("path") });
