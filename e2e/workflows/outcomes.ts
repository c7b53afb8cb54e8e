// What each event must have led to, read from what the runs left: the stand-ins' records (who got
// an OIDC token, who signed in as whom, which commit a job checked out, what it uploaded and
// downloaded, which environment approvals were asked and given), the state backend's stacks, the
// twin's objects and the pull request's comment. Each check returns its detail line or throws.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../env.ts";
import { remains, total } from "../steps/context.ts";
import type { Exported } from "../workspace.ts";
import type { WorkflowRun } from "./harness.ts";
import type { GithubRecord } from "./github/server.ts";

import type { World } from "./world.ts";

/** A check's failure: the outcome did not hold. */
export class OutcomeFailed extends Error {}

export function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new OutcomeFailed(message);
}

type StandIn = Extract<GithubRecord, { kind: "stand-in" }>;

/** The stand-in records of `action` in these runs, with the run each came from. */
export function standIns(runs: readonly WorkflowRun[], action: string): (StandIn & { run: WorkflowRun })[] {
  return runs.flatMap((run) =>
    run.records.filter((r): r is StandIn => r.kind === "stand-in" && r.action === action).map((r) => ({ ...r, run })),
  );
}

/**
 * A successful sign-in: the job, how (azure/login, or the providers' own OIDC sign-in before a
 * pulumi command), the OIDC subject it presented and who it became.
 */
export interface SignIn {
  run: WorkflowRun;
  job: string;
  via: string;
  subject: string;
  principal: string;
  name: string;
  writes: boolean;
}

const SIGN_INS = ["azure/login", "provider sign-in"];

export function signIns(world: World, runs: readonly WorkflowRun[]): SignIn[] {
  return SIGN_INS.flatMap((action) => standIns(runs, action))
    .filter((r) => r.detail["ok"] === true)
    .sort((a, b) => a.seq - b.seq)
    .map((r) => {
      const identity = world.identity(String(r.detail["principal"]));
      return {
        run: r.run,
        job: r.job,
        via: r.action,
        subject: String(r.detail["subject"]),
        principal: identity.principal,
        name: identity.name,
        writes: identity.writes,
      };
    });
}

/** Distinct values, in order, as one line. */
const unique = (values: readonly string[]): string => [...new Set(values)].join("; ");

/** Sign-ins that were refused, with Entra's answer. */
export function refusedSignIns(runs: readonly WorkflowRun[]): { run: WorkflowRun; job: string; error: string }[] {
  return SIGN_INS.flatMap((action) => standIns(runs, action))
    .filter((r) => r.detail["ok"] !== true)
    .map((r) => ({ run: r.run, job: r.job, error: String(r.detail["error"]) }));
}

/** The environment whose state holds a stack: dev and prod their own, every other stack review's. */
export function environmentOfStack(stack: string): "review" | "dev" | "prod" {
  return stack === "dev" || stack === "prod" ? stack : "review";
}

/** A pulumi command on a stack's backend (read-only: no secret is decrypted). */
async function onBackend(world: World, environment: string, args: string[]): Promise<string> {
  const env = { PULUMI_BACKEND_URL: world.backends[environment]! };
  return (await world.ws.run("pulumi", args, { env })).stdout;
}

/** The stacks the backend of an environment holds (`pulumi stack ls`). */
export async function stackNames(world: World, environment: string): Promise<string[]> {
  const listed = JSON.parse(await onBackend(world, environment, ["stack", "ls", "--json"])) as { name: string }[];
  return listed.map((s) => s.name.split("/").pop()!);
}

/** A stack's resources as its state has them. */
async function stateResources(world: World, stack: string): Promise<Exported["deployment"]> {
  const args = ["stack", "export", "--stack", stack];
  return (JSON.parse(await onBackend(world, environmentOfStack(stack), args)) as Exported).deployment;
}

/** Objects the twin holds (ARM resources and Graph objects). */
export async function twinObjects(world: World): Promise<number> {
  return total(await remains(world.ws));
}

/** A stack's App Service plan SKU as its state has it, or undefined when it has none. */
export async function planSku(world: World, stack: string): Promise<string | undefined> {
  const plan = ((await stateResources(world, stack))?.resources ?? []).find(
    (r) => r.type === "azure-native:web:AppServicePlan",
  );
  const outputs = (plan as { outputs?: { sku?: { name?: string } } } | undefined)?.outputs;
  return outputs?.sku?.name;
}

/** How many resources a stack's state holds (0 for an empty or destroyed stack). */
export async function stackResources(world: World, stack: string): Promise<number> {
  return ((await stateResources(world, stack))?.resources ?? []).filter((r) => !r.type.startsWith("pulumi:")).length;
}

/** A clone of `sha` with the project's node_modules, to run the offline plan as the team would. */
function tree(world: World, sha: string): string {
  const dir = join(world.ws.dir, ".workflows", "trees", sha);
  if (existsSync(dir)) return dir;
  mkdirSync(dir, { recursive: true });
  execFileSync("git", ["clone", "--quiet", "--shared", "--no-checkout", world.repo.dir, dir]);
  execFileSync("git", ["-C", dir, "-c", "advice.detachedHead=false", "checkout", "--quiet", sha]);
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

function plan(dir: string, args: string[]): void {
  try {
    execFileSync(process.execPath, ["--stack-trace-limit=1", join(dir, "tools", "plan", "cli.ts"), ...args], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (err) {
    // Exit 2: planned, with error findings; the JSON is written all the same.
    if ((err as { status?: number }).status !== 2) throw err;
  }
}

/**
 * The comment a pull request should carry: the offline plans of the base (main) and of the pull
 * request's merge commit, each made in its own clone, diffed by the base's `plan comment`, with
 * the marker the workflow puts first.
 */
export function expectedComment(world: World, base: string, head: string, changedFiles: readonly string[]): string {
  const baseDir = tree(world, base);
  const headDir = tree(world, head);
  const out = join(world.ws.dir, ".workflows", "expected", `${base}-${head}`);
  mkdirSync(join(out, "base"), { recursive: true });
  mkdirSync(join(out, "head"), { recursive: true });
  for (const stack of ["dev", "prod"]) {
    plan(baseDir, ["--stack", stack, "--json", join(out, "base", `${stack}.json`)]);
    plan(headDir, ["--stack", stack, "--json", join(out, "head", `${stack}.json`)]);
  }
  const files = join(out, "changed-files.txt");
  execFileSync("bash", ["-c", 'printf "%s\\n" "$@" > "$0"', files, ...changedFiles]);
  const args = ["comment", "--base", join(out, "base"), "--head", join(out, "head"), "--base-ref", "main"];
  plan(baseDir, [...args, "--changed-files", files, "--markdown", join(out, "comment.md")]);
  return `<!-- s2s-auth:plan-diff -->\n${readFileSync(join(out, "comment.md"), "utf8")}`;
}

/** The seq of the first record matching `test` in these runs, or undefined. */
export function firstSeq(runs: readonly WorkflowRun[], test: (r: GithubRecord) => boolean): number | undefined {
  return runs.flatMap((r) => r.records).find(test)?.seq;
}

/** One thing an event must have led to: its check returns the detail line, or throws OutcomeFailed. */
export interface Outcome {
  name: string;
  check(): Promise<string>;
  /**
   * Why it is not counted yet: work in flight changes what it checks. It is still checked and
   * printed.
   */
  awaits?: string;
}

export const runOf = (runs: readonly WorkflowRun[], file: string, event?: string): WorkflowRun | undefined =>
  runs.find((r) => r.file === file && (event === undefined || r.event === event));

export const jobResult = (run: WorkflowRun | undefined, job: string): string | undefined =>
  run?.jobs.find((j) => j.jobId === job)?.result;

/** The pull request's comment is the offline plan diff of its change (base: `base`), posted once. */
export function commentOutcome(
  world: World,
  pull: { number: number; merge: string; files: readonly string[] },
  base: string,
): Outcome {
  return {
    name: `the comment on #${pull.number} equals the offline plan diff of its change`,
    check: async () => {
      const comments = (world.github.comments.get(pull.number) ?? []).filter((c) => c.user.type === "Bot");
      expect(comments.length === 1, `#${pull.number} has ${comments.length} bot comments, not 1`);
      const expected = expectedComment(world, base, pull.merge, pull.files);
      expect(
        comments[0]!.body === expected,
        `the comment differs from the offline plan diff:\n--- comment\n${comments[0]!.body}\n--- expected\n${expected}`,
      );
      const changes = expected.split("\n").filter((l) => l.includes("→")).length;
      return `${comments[0]!.body.length} characters, ${changes} changed value(s), base ${base.slice(0, 7)}`;
    },
  };
}

/** Nobody in these runs signed in as an identity that can write, and no job got an environment's token. */
export function noWriterOutcome(world: World, runs: () => readonly WorkflowRun[], what: string): Outcome {
  return {
    name: `${what} got no writing identity`,
    check: async () => {
      const all = signIns(world, runs());
      const writers = all.filter((s) => s.writes);
      expect(
        writers.length === 0,
        `signed in as a writing identity: ${unique(writers.map((s) => `${s.run.file}:${s.job} → ${s.name}`))}`,
      );
      const environmentTokens = runs()
        .flatMap((r) => r.records)
        .filter((r) => r.kind === "oidc" && r.subject.includes(":environment:"));
      expect(environmentTokens.length === 0, `an OIDC token for an environment was issued to ${what}`);
      return all.length === 0
        ? "no job signed in"
        : `signed in: ${[...new Set(all.map((s) => s.name))].join(", ")} (read-only)`;
    },
  };
}

/** The review stack is gone from the backend and the twin holds what it held before it was made. */
export function nothingLeftOutcome(world: World, stack: string, before: () => number): Outcome {
  return {
    name: `nothing of ${stack} is left in the twin`,
    check: async () => {
      expect(!(await stackNames(world, "review")).includes(stack), `${stack} is still in review's state`);
      const now = await twinObjects(world);
      expect(now === before(), `the twin holds ${now} objects, ${before()} before ${stack} was made`);
      return `stack removed; the twin is back to ${now} objects`;
    },
  };
}

/** After a failed ci, deploy.yml ran and deployed nothing: no job signed in, dev holds nothing. */
export function devNotDeployedOutcome(world: World, runs: readonly WorkflowRun[]): Outcome {
  return {
    name: "dev is not deployed after ci failed",
    check: async () => {
      const ci = runOf(runs, "ci.yml");
      expect(ci === undefined || ci.conclusion === "failure", "ci did not fail");
      expect(runOf(runs, "deploy.yml") !== undefined, "deploy.yml did not run after ci");
      const who = [...new Set(signIns(world, runs).map((s) => `${s.job} as ${s.name}`))];
      expect(who.length === 0, `signed in after the failed ci: ${who.join(", ")}`);
      const resources = await stackResources(world, "dev");
      expect(resources === 0, `dev holds ${resources} resources`);
      return "deploy.yml ran and skipped every job; dev holds nothing";
    },
  };
}

/** dev was deployed from `sha`, with the plan SKU that commit says, by a deploy run after ci succeeded on it. */
export function devAfterCiOutcome(world: World, runs: readonly WorkflowRun[], sha: string, sku: string): Outcome {
  return {
    name: "dev deploys only after ci succeeded on that commit",
    check: async () => {
      const ci = runOf(runs, "ci.yml", "push");
      const deploy = runOf(runs, "deploy.yml");
      expect(ci?.conclusion === "success" && ci.sha === sha, `ci on ${sha.slice(0, 7)} did not succeed`);
      expect(deploy !== undefined && deploy.runId > ci.runId, "deploy.yml did not run after ci");
      const checkouts = standIns([deploy], "checkout").filter((r) => r.job === "dev");
      expect(checkouts.length === 1 && checkouts[0]!.detail["sha"] === sha, `the dev job did not check out ${sha}`);
      const got = await planSku(world, "dev");
      expect(got === sku, `dev's plan SKU is ${got}, ${sha.slice(0, 7)} says ${sku}`);
      const who = [
        ...new Set(
          signIns(world, [deploy])
            .filter((s) => s.job === "dev")
            .map((s) => s.name),
        ),
      ];
      return (
        `ci run ${ci.runId} succeeded on ${sha.slice(0, 7)}, then deploy run ${deploy.runId}: dev at SKU ${got} ` +
        `as ${who.join(", ")}`
      );
    },
  };
}

/** prod was updated with the plan its preview saved, and only after a reviewer approved it. */
export function prodPlanOutcome(world: World, deployRun: () => WorkflowRun | undefined): Outcome {
  return {
    name: "prod deploys the plan that was previewed, only after approval",
    check: async () => {
      const deploy = deployRun();
      expect(deploy !== undefined, "deploy.yml did not run");
      const uploaded = standIns([deploy], "upload-artifact").find((r) => r.detail["name"] === "prod-plan");
      const downloaded = standIns([deploy], "download-artifact").find((r) => r.detail["name"] === "prod-plan");
      const approval = deploy.records.find((r) => r.kind === "deployment" && r.environment === "prod");
      expect(uploaded !== undefined, "no prod preview uploaded its plan");
      expect(approval?.kind === "deployment" && approval.allowed, "prod was not approved");
      expect(approval.seq > uploaded.seq, "prod was approved before its preview was there to read");
      expect(downloaded !== undefined, "the prod job took no plan");
      expect(
        JSON.stringify(downloaded.detail["digests"]) === JSON.stringify(uploaded.detail["digests"]),
        "the prod job applied a plan other than the previewed one",
      );
      const signedIn = firstSeq(
        [deploy],
        (r) => r.kind === "stand-in" && r.job === "prod" && r.action === "azure/login",
      );
      expect(signedIn !== undefined && signedIn > approval.seq, "prod signed in before the approval");
      const ended = jobResult(deploy, "prod");
      expect(ended === "success", `the prod job ended ${ended}: ${lastError(deploy, "prod")}`);
      const resources = await stackResources(world, "prod");
      expect(resources > 0, "prod holds nothing");
      return `approved by ${approval.reviewer} after the preview; its plan applied: prod holds ${resources} resources`;
    },
  };
}

/** The last `error:` line a job printed, for a failure's detail. */
export function lastError(run: WorkflowRun, job: string): string {
  const output = run.jobs.find((j) => j.jobId === job)?.output ?? [];
  const line = [...output].reverse().find((l) => /error/i.test(l)) ?? "(no error line)";
  // act keeps the CLI's colours: drop them from the detail.
  return line.replace(/\u001b\[[0-9;]*m/g, "").trim();
}

/**
 * Every run of a review stack's deploy job that went past its environment had a reviewer's approval
 * for that run, and deployed the commit the run names (its `pr/` checkout); the stack holds what the
 * last approved commit declares (`skuOf`: the plan SKU each commit declares).
 */
export function reviewStackOutcome(
  world: World,
  runs: readonly WorkflowRun[],
  stack: string,
  approved: ReadonlySet<string>,
  skuOf: ReadonlyMap<string, string>,
): Outcome {
  return {
    name: "a review stack is deployed only after the approval and for the approved commit only",
    check: async () => {
      const deploys = runs.filter((r) => r.file === "review-stacks.yml" && jobResult(r, "deploy") !== undefined);
      const deployed: string[] = [];
      for (const run of deploys) {
        const checkout = standIns([run], "checkout").find((c) => c.job === "deploy" && c.detail["path"] === "pr");
        if (checkout === undefined) continue;
        const sha = String(checkout.detail["sha"]);
        const approval = run.records.find((r) => r.kind === "deployment" && r.job === "deploy" && r.allowed);
        expect(
          approval !== undefined && approval.seq < checkout.seq,
          `run ${run.runId} ran ${sha.slice(0, 7)} unapproved`,
        );
        expect(approved.has(sha), `run ${run.runId} deployed ${sha.slice(0, 7)}, a commit no maintainer approved`);
        deployed.push(sha);
      }
      const sku = await planSku(world, stack).catch(() => undefined);
      const last = deployed.at(-1);
      // Never deployed: no stack, or one without a plan.
      const expected = last === undefined ? undefined : skuOf.get(last);
      expect(sku === expected, `${stack} holds plan SKU ${sku}, its last approved commit declares ${expected}`);
      const waited = deploys.filter((r) => jobResult(r, "deploy") === "failure").length;
      const what =
        deployed.length === 0 ? "never deployed" : `deployed ${deployed.map((s) => s.slice(0, 7)).join(", ")}`;
      return `${stack} ${what}, each approved; ${waited} run(s) refused without approval; plan SKU ${sku ?? "none"}`;
    },
  };
}
