// The repository's life that npm run e2e:workflows plays, as commits and pull requests: the
// changes the events bring (a pull request that moves dev's App Service plan SKU, with the test
// that pins it, as a contributor would write it; a fork's pull request that widens its own
// workflows towards the dev identity; a commit that breaks ci), the pull requests as GitHub's REST
// API and webhooks show them, and the deliveries of their events.
import { parse, stringify } from "yaml";
import type { Delivery } from "./harness.ts";
import type { PullRequest } from "./github/server.ts";
import type { World } from "./world.ts";

/** Replaces `from` by `to` in `text`, refusing when `from` is not there (the fixture no longer applies). */
function replaced(text: string, from: string, to: string, file: string): string {
  if (!text.includes(from)) throw new Error(`story: ${file} no longer contains ${JSON.stringify(from)}`);
  return text.replaceAll(from, to);
}

/**
 * A commit on `parent` that moves dev's App Service plan SKU from `from` to `to`, and the unit test
 * that pins dev's SKU in the dev/prod diff with it, so ci passes as it would for a real change.
 */
export function skuChange(world: World, parent: string, from: string, to: string): string {
  const { repo } = world;
  const dev = "Pulumi.dev.yaml";
  const test = "test/tools/plan/diff.test.ts";
  return repo.commit(
    parent,
    {
      [dev]: replaced(repo.read(parent, dev), `appServicePlanSku: ${from}`, `appServicePlanSku: ${to}`, dev),
      [test]: replaced(
        replaced(repo.read(parent, test), `from: "${from}", to: "P0v3"`, `from: "${to}", to: "P0v3"`, test),
        '`"' + from + '"` → `"P0v3"`',
        '`"' + to + '"` → `"P0v3"`',
        test,
      ),
    },
    `dev: App Service plan ${to}`,
  );
}

/**
 * A fork's commit that rewrites the fork's own copy of the workflows (a `pull_request` run reads
 * them from the pull request's merge commit): the preview job asks for the `dev` environment and
 * signs in with its variables, deploy-dev's, and the settings check no longer looks for forks.
 */
export function forkReachingForDev(world: World, parent: string): string {
  const { repo } = world;
  const previewFile = ".github/workflows/preview.yml";
  const settingsFile = ".github/workflows/azure-settings.yml";
  const preview = parse(repo.read(parent, previewFile)) as {
    jobs: {
      preview: {
        environment?: string;
        env: Record<string, string>;
        steps: { uses?: string; with?: Record<string, string> }[];
      };
    };
  };
  preview.jobs.preview.environment = "dev";
  const dev = { client: "${{ vars.AZURE_CLIENT_ID }}", tenant: "${{ vars.AZURE_TENANT_ID }}" };
  preview.jobs.preview.env["ARM_CLIENT_ID"] = dev.client;
  preview.jobs.preview.env["ARM_TENANT_ID"] = dev.tenant;
  for (const step of preview.jobs.preview.steps)
    if (step.uses?.startsWith("azure/login@") && step.with) {
      step.with["client-id"] = dev.client;
      step.with["tenant-id"] = dev.tenant;
    }
  const settings = replaced(
    repo.read(parent, settingsFile),
    '          elif [ "$FROM_FORK" = "true" ]; then\n            echo "ready=false" >> "$GITHUB_OUTPUT"\n',
    "          elif false; then\n",
    settingsFile,
  );
  return repo.commit(
    parent,
    { [previewFile]: stringify(preview, { lineWidth: 0 }), [settingsFile]: settings },
    "preview with more rights",
  );
}

/** azure-settings.yml with its fork check made dead code (the settings are then "ready" for a fork). */
export function withoutForkCheck(text: string): string {
  return replaced(
    text,
    '          elif [ "$FROM_FORK" = "true" ]; then\n            echo "ready=false" >> "$GITHUB_OUTPUT"\n',
    "          elif false; then\n",
    "azure-settings.yml",
  );
}

/** A commit whose type-check fails: ci fails at its first check. */
export function brokenCommit(world: World, parent: string): string {
  return world.repo.commit(
    parent,
    { "tools/scripts/not-a-number.ts": '// A mistake ci must catch.\nexport const n: number = "one";\n' },
    "a type error",
  );
}

export interface PullRequestSpec {
  number: number;
  head: string;
  headRef: string;
  /** `owner/name` of the fork the head lives in; the repository itself when absent. */
  fork?: string;
  labels?: string[];
}

/** The pull request as the REST API returns it, with GitHub's refs for it made in the repository. */
export function pullRequest(world: World, spec: PullRequestSpec): PullRequest & { merge: string } {
  const { repo, settings } = world;
  const base = repo.sha("main");
  const merge = repo.pullRefs(spec.number, spec.head, base);
  if (spec.fork === undefined) repo.setRef(`refs/heads/${spec.headRef}`, spec.head);
  const pull: PullRequest = {
    number: spec.number,
    state: "open",
    head: { sha: spec.head, ref: spec.headRef, repo: { full_name: spec.fork ?? settings.repository } },
    base: { ref: "main", sha: base, repo: { full_name: settings.repository } },
    labels: (spec.labels ?? []).map((name) => ({ name })),
    files: repo.changedFiles(base, spec.head),
  };
  world.github.pulls.set(spec.number, pull);
  return { ...pull, merge };
}

const repositoryPayload = (world: World) => ({ full_name: world.settings.repository, default_branch: "main" });

/**
 * A pull request event, as `pull_request` (the merge commit's workflows, GITHUB_REF the merge ref)
 * and as `pull_request_target` (the base branch's workflows and ref), the two deliveries GitHub makes.
 */
export function pullRequestEvents(
  world: World,
  pull: PullRequest & { merge: string },
  action: string,
  extra: Record<string, unknown> = {},
  notRun: Readonly<Record<string, string>> = {},
): Delivery[] {
  const { merge, ...shown } = pull;
  const payload = {
    action,
    number: pull.number,
    pull_request: shown,
    repository: repositoryPayload(world),
    ...extra,
  };
  const fromFork = pull.head.repo.full_name !== world.settings.repository;
  return [
    {
      trigger: { name: "pull_request", action, branch: pull.base.ref },
      payload,
      sha: merge,
      ref: `refs/pull/${pull.number}/merge`,
      fromFork,
      notRun,
    },
    {
      trigger: { name: "pull_request_target", action, branch: pull.base.ref },
      payload,
      sha: world.repo.sha("main"),
      ref: `refs/heads/${pull.base.ref}`,
      fromFork,
      notRun,
    },
  ];
}

/** A push of `sha` to `main`. */
export function pushToMain(world: World, sha: string, notRun: Readonly<Record<string, string>> = {}): Delivery {
  const before = world.repo.sha("main");
  world.repo.setRef("refs/heads/main", sha);
  return {
    trigger: { name: "push", branch: "main" },
    payload: { ref: "refs/heads/main", before, after: sha, repository: repositoryPayload(world) },
    sha,
    ref: "refs/heads/main",
    notRun,
  };
}

/** A manual run of a workflow_dispatch workflow on `main`. */
export function dispatch(world: World, inputs: Record<string, string>): Delivery {
  return {
    trigger: { name: "workflow_dispatch" },
    payload: { inputs, ref: "refs/heads/main", repository: repositoryPayload(world) },
    sha: world.repo.sha("main"),
    ref: "refs/heads/main",
    inputs,
  };
}

/** The scheduled run: the default branch's last commit ("Events that trigger workflows", `schedule`). */
export function schedule(world: World): Delivery {
  return {
    trigger: { name: "schedule" },
    payload: { schedule: "23 4 * * *", repository: repositoryPayload(world) },
    sha: world.repo.sha("main"),
    ref: "refs/heads/main",
  };
}
