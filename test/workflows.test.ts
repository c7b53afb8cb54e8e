// The GitHub Actions workflows' promises, read from the files themselves: no secrets, every
// cloud step behind the OIDC settings, OIDC only where used, pull request code reaching a writing
// identity only in an approved run of the review environment (issue 22, finding 1), deploys only
// after ci, a prod preview before approval, one update per stack at a time, pinned actions and
// CLI, review stacks cleaned up, and a manual destroy that refuses prod and test. (Syntax and
// expressions: npm run lint:workflows.)
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { GITHUB_ENVIRONMENTS, identitiesFor } from "../bootstrap/permissions.ts";
import { REVIEWED_ENVIRONMENTS } from "../model/index.ts";
import {
  checksOutPullRequest,
  environmentsOf,
  type WorkflowJob as Job,
  type WorkflowStep as Step,
} from "../tools/threats/workflows.ts";

interface Workflow {
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const DIR = resolve(import.meta.dirname, "../.github/workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const text = (f: string) => readFileSync(join(DIR, f), "utf8");
const workflow = (f: string) => parse(text(f)) as Workflow;
const allJobs = files.flatMap((f) => Object.entries(workflow(f).jobs).map(([name, job]) => ({ file: f, name, job })));

const CLOUD_ACTION = /^azure\/login@/;
const cloudJobs = allJobs.filter(({ job }) => (job.steps ?? []).some((s) => s.uses && CLOUD_ACTION.test(s.uses)));
const at = (file: string, name: string) => `${file}:${name}`;
const triggers = (f: string) => Object.keys((parse(text(f)) as { on: Record<string, unknown> }).on);
const jobText = (job: Job) => JSON.stringify(job);
/** The variable of each GitHub environment's identity; it exists only in environments. */
const ENVIRONMENT_IDENTITY = "vars.AZURE_CLIENT_ID";

test("the expected workflows exist", () => {
  expect(files.sort()).toEqual([
    "azure-settings.yml",
    "ci.yml",
    "deploy.yml",
    "plan-comment.yml",
    "preview.yml",
    "review-stacks.yml",
  ]);
});

test("no workflow reads a repository secret", () => {
  for (const f of files)
    expect({ file: f, secrets: text(f).match(/secrets\.[A-Za-z_]+/g) ?? [] }).toEqual({ file: f, secrets: [] });
});

test("ci needs nothing from Azure and may only read the repository; it plans dev, prod and the bootstrap", () => {
  const ci = workflow("ci.yml");
  expect(ci.permissions).toEqual({ contents: "read" });
  expect(text("ci.yml")).not.toMatch(/id-token|vars\.AZURE|ARM_|azure\/login|pulumi\/actions/);
  const runs = ci.jobs["check"]!.steps!.map((s) => s.run ?? "").join("\n");
  for (const command of [
    "npm ci",
    "npm run typecheck",
    "npm test",
    "npm run lint:workflows",
    'plan -- --stack "$stack" --json',
    'plan -- --project bootstrap --stack "$stack" --json',
    "for stack in dev-tenant prod-tenant",
  ]) {
    expect(runs).toContain(command);
  }
});

// Issue 23, item 1: ci.yml rendered comment.md with the pull request's own code (forks included) and
// plan-comment.yml posted it as the bot, so a PR could post any text under the bot's name.
describe("the PR comment is rendered by the default branch's code, never the pull request's", () => {
  const comment = workflow("plan-comment.yml");

  it("ci uploads the head plans as data and renders nothing, with no checkout but its own", () => {
    const steps = workflow("ci.yml").jobs["check"]!.steps!;
    expect(steps.map((s) => s.run ?? "").join("\n")).not.toMatch(/plan -- (diff|comment)|comment\.md/);
    expect(steps.filter((s) => s.uses?.startsWith("actions/checkout@")).map((s) => s.with)).toEqual([undefined]);
    expect(steps.find((s) => s.with?.["name"] === "plan-comment")?.with?.["path"]).toBe("plan-comment/");
  });

  it("render checks out the default branch (no ref), may write nothing, and renders with plan comment", () => {
    const render = comment.jobs["render"]!;
    expect(comment.permissions).toEqual({ contents: "read" });
    expect(render.permissions).toEqual({ actions: "read", contents: "read", "pull-requests": "read" });
    const checkouts = render.steps!.filter((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkouts.map((s) => s.with)).toEqual([{ path: "trusted", "persist-credentials": false }]);
    const run = render.steps!.map((s) => s.run ?? "").join("\n");
    expect(run).toMatch(
      /cd trusted\n\s*npm ci[^\n]*\n[^]*plan -- --stack "\$stack" --json "\.\.\/base\/\$stack\.json"/,
    );
    expect(run).toContain("npm run --silent plan -- comment --base ../base --head ../head");
  });

  it("post, the one job that may write to the pull request, runs no repository code", () => {
    const post = comment.jobs["post"]!;
    expect(post.permissions).toEqual({ "pull-requests": "write" });
    expect(post.steps!.filter((s) => s.run !== undefined)).toEqual([]);
    expect(post.steps!.map((s) => s.uses!.split("@")[0])).toEqual([
      "actions/download-artifact",
      "actions/github-script",
    ]);
    expect(post.steps![0]!.with).toEqual({ name: "pr-comment", path: "comment" });
  });
});

// Issue 23, item 2: the run summaries put `pulumi preview` between two ``` lines, which a value
// holding ``` closed; tools/plan/fence.ts picks a fence no line of the preview can close.
test("run summaries fence a preview with npm run fence, never with a fixed ``` line", () => {
  for (const f of files) expect({ f, fixed: /echo '```/.test(text(f)) }).toEqual({ f, fixed: false });
  const previews = allJobs
    .flatMap(({ job }) => job.steps ?? [])
    .map((s) => s.run ?? "")
    .filter((r) => r.includes("GITHUB_STEP_SUMMARY") && /pulumi preview/.test(r));
  expect(previews).toHaveLength(2);
  for (const r of previews) expect(r).toMatch(/npm run -s fence -- --tail 60000 (prod-)?preview\.txt/);
});

test("every job that touches Azure or the state waits for the OIDC settings check", () => {
  expect(cloudJobs.map(({ file, name }) => at(file, name)).sort()).toEqual([
    "deploy.yml:dev",
    "deploy.yml:prod",
    "deploy.yml:prod-preview",
    "preview.yml:preview",
    "review-stacks.yml:cleanup",
    "review-stacks.yml:deploy",
    "review-stacks.yml:destroy",
    "review-stacks.yml:destroy-manual",
  ]);
  for (const { file, name, job } of cloudJobs) {
    const needs = Array.isArray(job.needs) ? job.needs : [job.needs];
    expect({ at: at(file, name), needs: needs.includes("settings") }).toEqual({ at: at(file, name), needs: true });
    expect(job.if).toContain("needs.settings.outputs.ready == 'true'");
    expect(workflow(file).jobs["settings"]?.uses).toBe("./.github/workflows/azure-settings.yml");
  }
});

test("the settings check needs the repository variables and the state backend, and no fork", () => {
  const run = workflow("azure-settings.yml").jobs["check"]!.steps![0]!.run!;
  expect(run).toContain(
    "for name in AZURE_PREVIEW_CLIENT_ID AZURE_PREVIEW_TENANT_ID AZURE_PREVIEW_SUBSCRIPTION_ID " +
      "PULUMI_PREVIEW_BACKEND_URL",
  );
  const env = (workflow("azure-settings.yml").jobs["check"]!.steps![0] as { env: Record<string, string> }).env;
  expect(env["FROM_FORK"]).toContain("github.event.pull_request.head.repo.full_name != github.repository");
  expect(env["FROM_FORK"]).toContain("github.event_name == 'pull_request_target'");
});

test("an OIDC token is granted per job, only to jobs that sign in to Azure", () => {
  for (const f of files) expect({ f, top: workflow(f).permissions?.["id-token"] }).toEqual({ f, top: undefined });
  const withToken = allJobs
    .filter(({ job }) => job.permissions?.["id-token"] === "write")
    .map(({ file, name }) => at(file, name));
  expect(withToken.sort()).toEqual(cloudJobs.map(({ file, name }) => at(file, name)).sort());
});

test("providers authenticate with OIDC, never a client secret", () => {
  for (const f of ["preview.yml", "deploy.yml", "review-stacks.yml"]) {
    expect(text(f)).toContain('ARM_USE_OIDC: "true"');
    expect(text(f)).not.toMatch(/ARM_CLIENT_SECRET|client-secret|creds:/);
  }
});

describe("pull request code and the writing identities (issue 22, finding 1)", () => {
  it("no job of a pull_request workflow has an environment or reads an environment's identity", () => {
    const prFiles = files.filter((f) => triggers(f).includes("pull_request"));
    expect(prFiles.sort()).toEqual(["ci.yml", "preview.yml"]);
    for (const f of prFiles) {
      expect({ f, identity: text(f).includes(ENVIRONMENT_IDENTITY) }).toEqual({ f, identity: false });
      for (const [name, job] of Object.entries(workflow(f).jobs))
        expect({ at: at(f, name), environment: job.environment }).toEqual({ at: at(f, name), environment: undefined });
    }
    // preview-dev, the one identity that trusts pull requests, reads dev only (bootstrap/permissions.ts).
    expect(text("preview.yml")).toContain("ARM_CLIENT_ID: ${{ vars.AZURE_PREVIEW_CLIENT_ID }}");
    expect(text("preview.yml")).not.toMatch(/--stack "?prod|matrix/);
    const previewDev = identitiesFor("dev").find((i) => i.subjects.includes("pull_request"))!;
    expect([previewDev.name, previewDev.role]).toEqual(["preview-dev", "preview"]);
  });

  it("an environment's identity is read only in jobs of a GitHub environment", () => {
    const readers = allJobs.filter(({ job }) => jobText(job).includes(ENVIRONMENT_IDENTITY));
    expect(readers.length).toBeGreaterThan(0);
    for (const { file, name, job } of readers)
      expect({ at: at(file, name), environments: environmentsOf(job).length > 0 }).toEqual({
        at: at(file, name),
        environments: true,
      });
    for (const f of files)
      expect({
        f,
        top: JSON.stringify((parse(text(f)) as { env?: unknown }).env ?? {}).includes(ENVIRONMENT_IDENTITY),
      }).toEqual({ f, top: false });
  });

  it("the workflows use exactly the GitHub environments bootstrap declares", () => {
    const used = new Set(allJobs.flatMap(({ job }) => environmentsOf(job)));
    expect([...used].sort()).toEqual(
      Object.values(GITHUB_ENVIRONMENTS)
        .flat()
        .map((e) => e.name)
        .sort(),
    );
    expect(
      Object.values(GITHUB_ENVIRONMENTS)
        .flat()
        .filter((e) => e.reviewed)
        .map((e) => e.name)
        .sort(),
    ).toEqual([...REVIEWED_ENVIRONMENTS].sort());
  });

  it("only an approved run of the review environment checks out pull request code, and only its exact commit", () => {
    const withPrCode = allJobs.filter(({ job }) => (job.steps ?? []).some(checksOutPullRequest));
    expect(withPrCode.map(({ file, name }) => at(file, name))).toEqual(["review-stacks.yml:deploy"]);
    for (const { job } of withPrCode) {
      expect(job.environment).toBe("review");
      const checkout = job.steps!.find(checksOutPullRequest)!;
      // The commit the approved run's event names, never the branch, which may move after approval.
      expect(checkout.with?.["ref"]).toBe("${{ github.event.pull_request.head.sha }}");
      expect(checkout.with?.["path"]).toBe("pr");
      expect(checkout.with?.["persist-credentials"]).toBe(false);
    }
    // review is reviewed (every run waits for a reviewer), and its identity is review's, not dev's.
    expect(GITHUB_ENVIRONMENTS.review.find((e) => e.name === "review")?.reviewed).toBe(true);
    const trusting = (["review", "dev", "prod"] as const)
      .flatMap(identitiesFor)
      .filter((i) => i.subjects.includes("environment:review"))
      .map((i) => i.name);
    expect(trusting).toEqual(["deploy-review"]);
  });

  it("nothing of the pull request runs before its checkout; the pack and scripts judging it are main's", () => {
    const steps = workflow("review-stacks.yml").jobs["deploy"]!.steps!;
    const prCheckout = steps.findIndex(checksOutPullRequest);
    expect(prCheckout).toBeGreaterThan(0);
    // Before it: the default branch (no ref) and its own install, in the workspace root.
    const before = steps.slice(0, prCheckout);
    expect(before[0]!.uses).toMatch(/^actions\/checkout@/);
    expect(before[0]!.with?.["ref"]).toBeUndefined();
    expect(JSON.stringify(before)).not.toMatch(/\bpr\b|PROGRAM_DIR|head\.sha/);
    // After it: the pull request's install runs in pr/, its program from pr/, the pack from the root.
    const after = steps.slice(prCheckout + 1);
    const prInstall = after.find((s) => s.run?.includes("npm ci"));
    expect(prInstall?.["working-directory"]).toBe("pr");
    const env = workflow("review-stacks.yml").jobs["deploy"]!.env!;
    expect(env["POLICY_PACK"]).toBe("${{ github.workspace }}/policy");
    expect(env["PROGRAM_DIR"]).toBe("${{ github.workspace }}/pr");
    const up = after.map((s) => s.run ?? "").join("\n");
    expect(up).toContain('cd "$PROGRAM_DIR"');
    expect(up).toMatch(/pulumi up --yes --stack "\$STACK" --policy-pack "\$POLICY_PACK"/);
    // The smoke test is the default branch's too.
    expect(after.find((s) => s.name === "Smoke test")?.run).toContain("npm run smoke");
  });

  it("the label asks for a review stack; it is never the gate", () => {
    expect(triggers("review-stacks.yml")).toEqual(["pull_request_target", "schedule", "workflow_dispatch"]);
    const on = (parse(text("review-stacks.yml")) as { on: { pull_request_target: { types: string[] } } }).on;
    // Every push is a new run, so a new approval.
    expect(on.pull_request_target.types).toContain("synchronize");
    const rs = workflow("review-stacks.yml").jobs;
    expect(rs["deploy"]!.if).toContain("contains(github.event.pull_request.labels.*.name, 'deploy-preview')");
    expect(rs["deploy"]!.environment).toBe("review");
    // No pull_request_target job reaches dev's or prod's identity.
    for (const [name, job] of Object.entries(rs).filter(([name]) => name !== "destroy-manual"))
      expect({ name, environments: environmentsOf(job).filter((e) => e === "dev" || e.startsWith("prod")) }).toEqual({
        name,
        environments: [],
      });
    // The destroy jobs run the default branch's code only, through review-cleanup.
    for (const name of ["destroy", "cleanup"]) {
      expect(rs[name]!.environment).toBe("review-cleanup");
      expect((rs[name]!.steps ?? []).some(checksOutPullRequest)).toBe(false);
    }
  });
});

describe("deploy.yml", () => {
  const deploy = workflow("deploy.yml");

  it("runs only after ci succeeded on a push to main, and deploys the commit ci tested", () => {
    expect((parse(text("deploy.yml")) as { on: unknown }).on).toEqual({
      workflow_run: { workflows: ["ci"], types: ["completed"], branches: ["main"] },
    });
    expect(deploy.jobs["settings"]!.if).toBe(
      "github.event.workflow_run.conclusion == 'success' && github.event.workflow_run.event == 'push'",
    );
    for (const name of ["dev", "prod-preview", "prod"]) {
      const needs = deploy.jobs[name]!.needs;
      expect(Array.isArray(needs) ? needs : [needs]).toContain("settings");
      const checkout = deploy.jobs[name]!.steps!.find((s) => s.uses?.startsWith("actions/checkout@"))!;
      expect(checkout.with?.["ref"]).toBe("${{ github.event.workflow_run.head_sha }}");
    }
  });

  it("signs in through dev, prod-preview and prod: each environment's own identity, tenant and state", () => {
    expect([
      deploy.jobs["dev"]!.environment,
      deploy.jobs["prod-preview"]!.environment,
      deploy.jobs["prod"]!.environment,
    ]).toEqual(["dev", "prod-preview", "prod"]);
    for (const name of ["dev", "prod-preview", "prod"])
      expect(deploy.jobs[name]!.env).toMatchObject({
        ARM_CLIENT_ID: "${{ vars.AZURE_CLIENT_ID }}",
        ARM_TENANT_ID: "${{ vars.AZURE_TENANT_ID }}",
        ARM_SUBSCRIPTION_ID: "${{ vars.AZURE_SUBSCRIPTION_ID }}",
        PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
      });
    // The prod preview's identity only reads prod; prod's deploys it.
    expect(identitiesFor("prod").map((i) => [i.name, i.subjects])).toEqual([
      ["preview-prod", ["environment:prod-preview"]],
      ["deploy-prod", ["environment:prod"]],
    ]);
  });

  it(
    "puts a prod preview of the same commit on the run summary before the prod job waits for approval, " +
      "and applies that plan",
    () => {
      const prod = deploy.jobs["prod"]!;
      expect(prod.needs).toContain("prod-preview");
      expect(deploy.jobs["prod-preview"]!.needs).toContain("dev");
      const previewRun = deploy.jobs["prod-preview"]!.steps!.map((s) => s.run ?? "").join("\n");
      expect(previewRun).toMatch(/pulumi preview --stack prod --policy-pack policy .*--save-plan prod-plan\.json/);
      expect(previewRun).toContain('>> "$GITHUB_STEP_SUMMARY"');
      expect(
        deploy.jobs["prod-preview"]!.steps!.find((s) => s.uses?.startsWith("actions/upload-artifact@"))?.with,
      ).toMatchObject({ name: "prod-plan", path: "prod-plan.json" });
      expect(prod.steps!.find((s) => s.uses?.startsWith("actions/download-artifact@"))?.with).toEqual({
        name: "prod-plan",
      });
      expect(prod.steps!.map((s) => s.run ?? "").join("\n")).toMatch(
        /pulumi up --yes --stack prod --policy-pack policy .*--plan prod-plan\.json/,
      );
    },
  );
});

test("stack updates and destroys are serialized per stack and never cancelled", () => {
  const stackJobs = cloudJobs.filter(({ name }) => name !== "preview" && name !== "prod-preview");
  for (const { file, name, job } of stackJobs) {
    expect({
      at: at(file, name),
      group: job.concurrency?.group.startsWith("stack-"),
      cancel: job.concurrency?.["cancel-in-progress"],
    }).toEqual({
      at: at(file, name),
      group: true,
      cancel: false,
    });
  }
  const rs = workflow("review-stacks.yml").jobs;
  expect(rs["deploy"]!.concurrency!.group).toBe(rs["destroy"]!.concurrency!.group);
});

test("the policy pack runs on every preview and update", () => {
  const commands = cloudJobs
    .flatMap(({ job }) => (job.steps ?? []).flatMap((s) => (s.run ?? "").split("\n")))
    .filter((l) => /^\s*pulumi (up|preview) /.test(l));
  expect(commands.length).toBeGreaterThanOrEqual(5);
  // The review stack's up names the default branch's checkout of the pack (its job's POLICY_PACK).
  for (const c of commands) expect(c).toMatch(/--policy-pack (policy|"\$POLICY_PACK")/);
});

// Issue 23, item 4: the CLI came from `curl https://get.pulumi.com | sh` in every job that holds a
// deploy token: code fetched unpinned at run time. It now comes from the SHA-pinned pulumi/actions,
// install only (no `command`), at the version package.json pins (the action's "Installation Only").
test("the Pulumi CLI: pinned pulumi/actions, install only, at the exact @pulumi/pulumi of package.json", () => {
  // One place: package.json pins the SDK exactly, and tools/scripts/pulumi-install.sh builds that CLI version too.
  const pinned = (
    JSON.parse(readFileSync(join(DIR, "../../package.json"), "utf8")) as { dependencies: Record<string, string> }
  ).dependencies["@pulumi/pulumi"];
  expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  for (const f of files)
    expect({ f, fetched: text(f).match(/curl[^\n]*\|\s*(ba)?sh|get\.pulumi\.com/g) ?? [] }).toEqual({ f, fetched: [] });
  const runsPulumi = (s: Step) => /(^|\n)\s*pulumi /.test(s.run ?? "");
  const pulumiJobs = allJobs.filter(({ job }) => (job.steps ?? []).some(runsPulumi));
  expect(pulumiJobs.map(({ file, name }) => at(file, name)).sort()).toEqual(
    cloudJobs.map(({ file, name }) => at(file, name)).sort(),
  );
  for (const { file, name, job } of pulumiJobs) {
    const steps = job.steps ?? [];
    const install = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
    expect({
      at: at(file, name),
      installedBeforeUse: install >= 0 && install < steps.findIndex(runsPulumi),
      with: steps[install]?.with,
      version: steps.find((s) => s.id === "pulumi-version")?.run,
    }).toEqual({
      at: at(file, name),
      installedBeforeUse: true,
      // Install only: no command, so the action runs no Pulumi operation of its own.
      with: { "pulumi-version": "${{ steps.pulumi-version.outputs.version }}" },
      version:
        `echo "version=$(node -p 'require("./package.json").dependencies["@pulumi/pulumi"]')" ` +
        '>> "$GITHUB_OUTPUT"\n',
    });
  }
});

// Issue 23, item 4: plan-comment.yml, the one job with pull-requests: write, used @v4 and @v7 tags,
// which their owners can move. Every remote action is a commit, its version named in a comment.
test("every uses: in every workflow is pinned to a 40-hex commit, with its version in a comment", () => {
  const lines = files.flatMap((f) =>
    text(f)
      .split("\n")
      .map((line, i) => ({ at: `${f}:${i + 1}`, line }))
      .filter(({ line }) => /^\s*(-\s+)?uses:/.test(line)),
  );
  expect(lines.length).toBeGreaterThan(20);
  for (const { at: where, line } of lines) {
    // A reusable workflow of this repository runs at the caller's own commit.
    const local = /uses:\s+\.\/\.github\/workflows\/[\w.-]+\.yml\s*$/.test(line);
    const pinned = /uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}\s*$/.test(line);
    expect({ at: where, line, pinned: local || pinned }).toEqual({ at: where, line, pinned: true });
  }
  for (const s of allJobs.flatMap(({ job }) => job.steps ?? []).filter((s) => s.uses?.startsWith("actions/setup-node")))
    expect(s.with?.["node-version-file"]).toMatch(/^(trusted\/)?\.nvmrc$/);
});

describe("review stacks", () => {
  const rs = workflow("review-stacks.yml");

  it("are created when the pull request is opened too, and cleaned up on a schedule", () => {
    const on = (
      parse(text("review-stacks.yml")) as { on: { pull_request_target: { types: string[] }; schedule: unknown[] } }
    ).on;
    expect(on.pull_request_target.types).toContain("opened");
    expect(on.schedule.length).toBe(1);
    expect(rs.jobs["cleanup"]!.if).toContain("github.event_name == 'schedule'");
    const run = rs.jobs["cleanup"]!.steps!.map((s) => s.run ?? "").join("\n");
    expect(run).toContain("gh pr view");
    expect(run).toContain("dev-pr-[0-9]+");
    expect(run).toContain("tools/scripts/destroy-review-stacks.sh");
  });

  describe("tools/scripts/destroy-review-stacks.sh, with a stand-in pulumi", () => {
    const script = join(DIR, "../../tools/scripts/destroy-review-stacks.sh");
    let bin: string;
    beforeAll(() => {
      bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
      // Fails `destroy` while $FAILS (a count in a file) is above zero; lists dev-pr-1 and dev-pr-2.
      writeFileSync(
        join(bin, "pulumi"),
        `#!/usr/bin/env bash
case "$1" in
  stack) if [ "$2" = ls ]; then echo '[{"name":"dev-pr-1"},{"name":"org/dev-pr-2"}]'
    else echo "rm \${*:3}" >> "$LOG"; fi ;;
  destroy) n=$(cat "$FAILS")
    if [ "$n" -gt 0 ]; then echo $((n-1)) > "$FAILS"; exit 1; fi
    while [ "$1" != --stack ]; do shift; done; echo "destroy $2" >> "$LOG" ;;
esac
`,
      );
      chmodSync(join(bin, "pulumi"), 0o755);
    });
    afterAll(() => rmSync(bin, { recursive: true, force: true }));

    const run = (fails: number, ...stacks: string[]) => {
      const dir = mkdtempSync(join(tmpdir(), "destroy-"));
      writeFileSync(join(dir, "fails"), String(fails));
      // The runner's environment, as on GitHub, with the script's inputs on top. (Bash also starts
      // in a third of a second here when handed only these, and in milliseconds with the rest.)
      const env = {
        ...process.env,
        PATH: `${bin}:${process.env["PATH"]}`,
        FAILS: join(dir, "fails"),
        LOG: join(dir, "log"),
        GITHUB_STEP_SUMMARY: join(dir, "summary"),
        DESTROY_WAIT_SECONDS: "0",
        DESTROY_ATTEMPTS: "3",
      };
      const result = spawnSync("bash", [script, ...stacks], { env, encoding: "utf8" });
      const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : "");
      const out = { status: result.status, summary: read("summary"), log: read("log") };
      rmSync(dir, { recursive: true, force: true });
      return out;
    };

    it("retries a failed destroy, then removes the stack (its stack file kept) and says so", () => {
      const { status, summary, log } = run(2, "dev-pr-1");
      expect(status).toBe(0);
      expect(summary).toBe("- dev-pr-1: destroyed and removed (attempt 3)\n");
      expect(log).toBe("destroy dev-pr-1\nrm --yes --preserve-config dev-pr-1\n");
    });

    it("reports a stack it could not destroy, goes on with the others, and fails", () => {
      const { status, summary } = run(3, "dev-pr-2", "dev-pr-1");
      expect(status).toBe(1);
      expect(summary).toBe(
        "- dev-pr-2: NOT destroyed after 3 attempts (the next scheduled cleanup retries)\n" +
          "- dev-pr-1: destroyed and removed (attempt 1)\n",
      );
    });

    it("skips a stack that does not exist", () => {
      expect(run(0, "dev-pr-9")).toEqual({
        status: 0,
        summary: "- dev-pr-9: no such stack, nothing to destroy\n",
        log: "",
      });
    });
  });
});

describe("the manual destroy's guard (its own shell, run here)", () => {
  const guard = workflow("review-stacks.yml").jobs["destroy-manual"]!.steps![0]!;
  const run = (stack: string) =>
    spawnSync("bash", ["-e", "-c", guard.run!], { env: { ...process.env, STACK: stack }, encoding: "utf8" });

  test.each(["prod", "test", "org/prod", "org/s2s-auth/test", "production", "staging", "dev;rm", ""])(
    "refuses %j",
    (stack) => {
      const result = run(stack);
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/::error::/);
    },
  );

  test.each(["dev", "dev-pr-42", "dev-alice"])("allows %j", (stack) => {
    expect(run(stack).status).toBe(0);
  });
});
