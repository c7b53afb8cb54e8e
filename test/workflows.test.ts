// The GitHub Actions workflows' promises, read from the files themselves: no secrets, every
// cloud step behind the OIDC settings, OIDC only where used, one update per stack at a time,
// and a manual destroy that refuses prod and test. (Syntax and expressions: npm run lint:workflows.)
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

interface Step {
  uses?: string;
  run?: string;
  name?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  uses?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  environment?: string;
  steps?: Step[];
}
interface Workflow {
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const DIR = resolve(__dirname, "../.github/workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const text = (f: string) => readFileSync(join(DIR, f), "utf8");
const workflow = (f: string) => parse(text(f)) as Workflow;
const allJobs = files.flatMap((f) => Object.entries(workflow(f).jobs).map(([name, job]) => ({ file: f, name, job })));

const CLOUD_ACTION = /^(azure\/login|pulumi\/actions)@/;
const cloudJobs = allJobs.filter(({ job }) => (job.steps ?? []).some((s) => s.uses && CLOUD_ACTION.test(s.uses)));

test("the expected workflows exist", () => {
  expect(files.sort()).toEqual(["azure-settings.yml", "ci.yml", "deploy.yml", "plan-comment.yml", "preview.yml", "review-stacks.yml"]);
});

test("no workflow reads a repository secret", () => {
  for (const f of files) expect({ file: f, secrets: text(f).match(/secrets\.[A-Za-z_]+/g) ?? [] }).toEqual({ file: f, secrets: [] });
});

test("ci needs nothing from Azure and may only read the repository", () => {
  const ci = workflow("ci.yml");
  expect(ci.permissions).toEqual({ contents: "read" });
  expect(text("ci.yml")).not.toMatch(/id-token|vars\.AZURE|ARM_|azure\/login|pulumi\/actions/);
  const runs = ci.jobs["check"]!.steps!.map((s) => s.run ?? "").join("\n");
  for (const command of ["npm ci", "npm run typecheck", "npm test", "npm run lint:workflows", "plan -- --stack \"$stack\" --json", "plan -- diff"]) {
    expect(runs).toContain(command);
  }
});

test("every job that touches Azure or the state waits for the OIDC settings check", () => {
  expect(cloudJobs.map(({ file, name }) => `${file}:${name}`).sort()).toEqual([
    "deploy.yml:dev",
    "deploy.yml:prod",
    "preview.yml:preview",
    "review-stacks.yml:deploy",
    "review-stacks.yml:destroy",
    "review-stacks.yml:destroy-manual",
  ]);
  for (const { file, name, job } of cloudJobs) {
    const needs = Array.isArray(job.needs) ? job.needs : [job.needs];
    expect({ at: `${file}:${name}`, needs: needs.includes("settings") }).toEqual({ at: `${file}:${name}`, needs: true });
    expect(job.if).toContain("needs.settings.outputs.ready == 'true'");
    expect(workflow(file).jobs["settings"]?.uses).toBe("./.github/workflows/azure-settings.yml");
  }
});

test("the settings check needs all three Azure variables and the state backend, and no fork", () => {
  const run = workflow("azure-settings.yml").jobs["check"]!.steps![0]!.run!;
  expect(run).toContain("for name in AZURE_CLIENT_ID AZURE_TENANT_ID AZURE_SUBSCRIPTION_ID PULUMI_BACKEND_URL");
  const env = (workflow("azure-settings.yml").jobs["check"]!.steps![0] as { env: Record<string, string> }).env;
  expect(env["FROM_FORK"]).toContain("github.event.pull_request.head.repo.full_name != github.repository");
});

test("an OIDC token is granted per job, only to jobs that sign in to Azure", () => {
  for (const f of files) expect({ f, top: workflow(f).permissions?.["id-token"] }).toEqual({ f, top: undefined });
  const withToken = allJobs.filter(({ job }) => job.permissions?.["id-token"] === "write").map(({ file, name }) => `${file}:${name}`);
  expect(withToken.sort()).toEqual(cloudJobs.map(({ file, name }) => `${file}:${name}`).sort());
});

test("providers authenticate with OIDC, never a client secret", () => {
  for (const f of ["preview.yml", "deploy.yml", "review-stacks.yml"]) {
    expect(text(f)).toContain('ARM_USE_OIDC: "true"');
    expect(text(f)).not.toMatch(/ARM_CLIENT_SECRET|client-secret|creds:/);
  }
});

test("stack updates and destroys are serialized per stack and never cancelled", () => {
  const stackJobs = cloudJobs.filter(({ name }) => name !== "preview");
  for (const { file, name, job } of stackJobs) {
    expect({ at: `${file}:${name}`, group: job.concurrency?.group.startsWith("stack-"), cancel: job.concurrency?.["cancel-in-progress"] }).toEqual({
      at: `${file}:${name}`,
      group: true,
      cancel: false,
    });
  }
  const rs = workflow("review-stacks.yml").jobs;
  expect(rs["deploy"]!.concurrency!.group).toBe(rs["destroy"]!.concurrency!.group);
});

test("prod deploys only through its GitHub environment, after dev", () => {
  const prod = workflow("deploy.yml").jobs["prod"]!;
  expect(prod.environment).toBe("prod");
  expect(prod.needs).toContain("dev");
});

test("the policy pack runs on every preview and update", () => {
  const pulumiSteps = cloudJobs.flatMap(({ job }) => (job.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.["command"]));
  for (const s of pulumiSteps.filter((s) => s.with?.["command"] !== "destroy")) expect(s.with?.["policyPacks"]).toBe("policy");
  expect(pulumiSteps.filter((s) => s.with?.["command"] === "destroy").length).toBe(2);
});

test("checkout and setup-node are v4, Node comes from .nvmrc", () => {
  const steps = allJobs.flatMap(({ job }) => job.steps ?? []);
  for (const s of steps.filter((s) => s.uses?.startsWith("actions/checkout"))) expect(s.uses).toBe("actions/checkout@v4");
  for (const s of steps.filter((s) => s.uses?.startsWith("actions/setup-node"))) {
    expect(s.uses).toBe("actions/setup-node@v4");
    expect(s.with?.["node-version-file"]).toBe(".nvmrc");
  }
});

describe("the manual destroy's guard (its own shell, run here)", () => {
  const guard = workflow("review-stacks.yml").jobs["destroy-manual"]!.steps![0]!;
  const run = (stack: string) => spawnSync("bash", ["-e", "-c", guard.run!], { env: { PATH: process.env["PATH"], STACK: stack }, encoding: "utf8" });

  test.each(["prod", "test", "org/prod", "org/s2s-auth/test", "production", "staging", "dev;rm", ""])("refuses %j", (stack) => {
    const result = run(stack);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/::error::/);
  });

  test.each(["dev", "dev-pr-42", "dev-alice"])("allows %j", (stack) => {
    expect(run(stack).status).toBe(0);
  });
});
