// The copy of a workflow act runs: a gate step first in each job with an environment, the
// environment's variables renamed in that job only, the OIDC endpoint only where GitHub gives one,
// and every other key exactly as the repository has it.
import { parse } from "yaml";
import { parseWorkflow, type RunFacts, type Workflow } from "../../../../e2e/workflows/github/facts.ts";
import { expressionOf, GATE_STEP, rewriteWorkflow } from "../../../../e2e/workflows/github/rewrite.ts";

const SOURCE = `
name: deploy
on: push
permissions: { contents: read }
env:
  TOP: \${{ vars.AZURE_DEPLOY_CLIENT_ID }}
jobs:
  settings:
    uses: ./.github/workflows/azure-settings.yml
  dev:
    needs: settings
    if: vars.AZURE_DEPLOY_CLIENT_ID != ''
    runs-on: ubuntu-latest
    environment: dev
    permissions: { contents: read, id-token: write }
    env:
      ARM_CLIENT_ID: \${{ vars.AZURE_DEPLOY_CLIENT_ID }}
      OTHER: \${{ vars.AZURE_TENANT_ID }}
    steps:
      - run: echo one
      - uses: azure/login@sha
        with:
          client-id: \${{ vars.AZURE_DEPLOY_CLIENT_ID }}
  preview:
    runs-on: ubuntu-latest
    permissions: { id-token: write }
    env:
      ARM_CLIENT_ID: \${{ vars.AZURE_DEPLOY_CLIENT_ID }}
    steps:
      - run: echo two
  plain:
    runs-on: ubuntu-latest
    steps:
      - run: echo three
  chosen:
    runs-on: ubuntu-latest
    environment: \${{ inputs.stack == 'dev' && 'dev' || 'review-cleanup' }}
    env:
      ARM_CLIENT_ID: \${{ vars.AZURE_DEPLOY_CLIENT_ID }}
      OTHER: \${{ vars.AZURE_TENANT_ID }}
    steps:
      - run: echo four
`;

const run = (over: Partial<RunFacts> = {}): RunFacts => ({
  runId: 42,
  repository: "o/r",
  eventName: "push",
  ref: "refs/heads/main",
  sha: "a".repeat(40),
  fromFork: false,
  workflow: "deploy.yml",
  ...over,
});

const rewrite = (facts: RunFacts = run()) => {
  const original = parseWorkflow(SOURCE, "deploy.yml");
  const out = rewriteWorkflow(original, "deploy.yml", {
    run: facts,
    environmentVariables: {
      dev: { AZURE_DEPLOY_CLIENT_ID: "dev-client" },
      "review-cleanup": { AZURE_TENANT_ID: "t" },
    },
    github: "http://127.0.0.1:1",
  });
  return { original, written: parse(out.text) as Workflow, jobs: out.jobs };
};

test("a job with an environment starts with the gate step, naming the environment and the file", () => {
  const { written, original } = rewrite();
  const steps = written.jobs["dev"]!.steps!;
  expect(steps[0]!.name).toBe(GATE_STEP);
  expect(steps[0]!.run).toContain('environment.ts" "dev" "deploy.yml"');
  expect(steps.slice(1).map((s) => s.run ?? s.uses)).toEqual(original.jobs["dev"]!.steps!.map((s) => s.run ?? s.uses));
  for (const job of ["preview", "plain"]) expect(written.jobs[job]!.steps![0]!.name).not.toBe(GATE_STEP);
  expect(written.jobs["chosen"]!.steps![0]!.name).toBe(GATE_STEP);
});

test("the environment's variables come first in its job, the repository's after; not in its if: nor elsewhere", () => {
  const { written } = rewrite();
  const renamed = "(vars[format('ENV_{0}__AZURE_DEPLOY_CLIENT_ID', 'dev')] || vars.AZURE_DEPLOY_CLIENT_ID)";
  const dev = written.jobs["dev"]!;
  expect(dev.env!["ARM_CLIENT_ID"]).toBe(`\${{ ${renamed} }}`);
  expect(dev.steps![2]!.with!["client-id"]).toBe(`\${{ ${renamed} }}`);
  expect(dev.env!["OTHER"]).toBe("${{ vars.AZURE_TENANT_ID }}");
  expect(dev.if).toBe("vars.AZURE_DEPLOY_CLIENT_ID != ''");
  expect(written.jobs["preview"]!.env!["ARM_CLIENT_ID"]).toBe("${{ vars.AZURE_DEPLOY_CLIENT_ID }}");
  expect(written.env!["TOP"]).toBe("${{ vars.AZURE_DEPLOY_CLIENT_ID }}");
});

test("the OIDC endpoint goes only to jobs with id-token: write, each its own URL and token", () => {
  const { written, jobs } = rewrite();
  const url = (job: string) => written.jobs[job]!.env?.["ACTIONS_ID_TOKEN_REQUEST_URL"];
  expect(url("dev")).toBe("http://127.0.0.1:1/_e2e/oidc/42/deploy.yml/dev?api-version=2.0");
  expect(url("preview")).toBe("http://127.0.0.1:1/_e2e/oidc/42/deploy.yml/preview?api-version=2.0");
  expect(url("plain")).toBeUndefined();
  const tokens = jobs.map((j) => j.idTokenRequestToken).filter(Boolean);
  expect(new Set(tokens).size).toBe(2);
  expect(written.jobs["dev"]!.env!["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]).toBe(
    jobs.find((j) => j.job === "dev")!.idTokenRequestToken,
  );
});

test("a fork's pull_request run gets no OIDC endpoint at all", () => {
  const { written, jobs } = rewrite(run({ eventName: "pull_request", fromFork: true, ref: "refs/pull/8/merge" }));
  for (const job of Object.values(written.jobs)) expect(job.env?.["ACTIONS_ID_TOKEN_REQUEST_URL"]).toBeUndefined();
  expect(jobs.every((j) => j.idTokenRequestToken === undefined)).toBe(true);
});

test("the registered jobs carry their environment and effective permissions", () => {
  const { jobs } = rewrite();
  const dev = jobs.find((j) => j.job === "dev")!;
  expect(dev).toMatchObject({ workflow: "deploy.yml", environment: "dev" });
  expect(dev.permissions["id-token"]).toBe("write");
  expect(jobs.find((j) => j.job === "plain")!.permissions["contents"]).toBe("read");
  expect(jobs.map((j) => j.job)).toEqual(["settings", "dev", "preview", "plain", "chosen"]);
});

test("an environment: expression is act's to evaluate: the gate passes it, the variables follow it", () => {
  const { written, jobs } = rewrite();
  const expression = "inputs.stack == 'dev' && 'dev' || 'review-cleanup'";
  expect(expressionOf(`\${{ ${expression} }}`)).toBe(expression);
  expect(expressionOf("dev")).toBeUndefined();
  const chosen = written.jobs["chosen"]!;
  expect(chosen.steps![0]!.run).toContain(`"\${{ ${expression} }}" "deploy.yml"`);
  for (const [variable, name] of [
    ["ARM_CLIENT_ID", "AZURE_DEPLOY_CLIENT_ID"],
    ["OTHER", "AZURE_TENANT_ID"],
  ] as const)
    expect(chosen.env![variable]).toBe(`\${{ (vars[format('ENV_{0}__${name}', ${expression})] || vars.${name}) }}`);
  expect(jobs.find((j) => j.job === "chosen")).toMatchObject({ environmentExpression: `\${{ ${expression} }}` });
  expect(jobs.find((j) => j.job === "chosen")!.environment).toBeUndefined();
});

test("everything else is left as it was: triggers, needs, a call, the steps' own keys", () => {
  const { written, original } = rewrite();
  expect(written.on).toEqual(original.on);
  expect(written.permissions).toEqual(original.permissions);
  expect(written.jobs["settings"]).toEqual(original.jobs["settings"]);
  expect(written.jobs["plain"]).toEqual(original.jobs["plain"]);
  const { env: _env, ...preview } = written.jobs["preview"]!;
  const { env: _original, ...originalPreview } = original.jobs["preview"]!;
  expect(preview).toEqual(originalPreview);
  expect(written.jobs["dev"]!.needs).toBe("settings");
});
