// tools/threats/: the threat model is generated from bootstrap's shipped stacks and the workflows,
// and docs/threat-model.md is exactly its rendering. What it must say of the trust zones: nothing
// a pull request reaches writes, pull request code reaches a writing identity only through an
// approved run, and only the one-tenant example lets a dev identity write prod.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main, threatModel } from "../../../tools/threats/cli.ts";
import { type IdentityThreat, tenantThreats } from "../../../tools/threats/threatModel.ts";
import { eventsOf, readJobs } from "../../../tools/threats/workflows.ts";
import { recordBootstrap, type BootstrapStack } from "../../fixtures/bootstrap.ts";
import { runMain } from "../cli/io.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const jobs = readJobs(join(ROOT, ".github", "workflows"));
const threats = {} as Record<BootstrapStack, IdentityThreat[]>;
let rendered: string;
beforeAll(async () => {
  for (const stack of ["dev-tenant", "prod-tenant", "one-tenant"] as const)
    threats[stack] = tenantThreats(
      { stack, title: stack, tenantId: "t", resources: (await recordBootstrap(stack)).resources },
      jobs,
    ).identities;
  rendered = await threatModel((stack) => recordBootstrap(stack as BootstrapStack));
});

const of = (stack: BootstrapStack, identity: string) => threats[stack].find((t) => t.identity === identity)!;

test("docs/threat-model.md is the rendering of bootstrap's stacks and the workflows (npm run threats)", () => {
  expect(readFileSync(join(ROOT, "docs", "threat-model.md"), "utf8")).toBe(rendered);
});

test("what pull requests reach writes nothing, and reads nothing of prod", () => {
  for (const stack of ["dev-tenant", "prod-tenant", "one-tenant"] as const)
    for (const t of threats[stack].filter((t) => t.reachedBy.some((r) => r.startsWith("`pull_request`")))) {
      expect({ identity: t.identity, writes: t.writes }).toEqual({ identity: t.identity, writes: [] });
      expect(t.reads.filter((r) => r.startsWith("prod"))).toEqual([]);
    }
  expect(of("dev-tenant", "preview-dev").reads[0]).toMatch(
    /^dev: subscription .*Reader.*state .*Storage Blob Data Reader.*: decrypt\)$/,
  );
});

test("pull request code reaches a writing identity only through an approved run of review, at its exact commit", () => {
  const withPrCode = jobs.filter((j) => j.pullRequestCode);
  expect(withPrCode.map((j) => [j.file, j.name, j.environments, j.events])).toEqual([
    ["review-stacks.yml", "deploy", ["review"], ["pull_request_target"]],
  ]);
  const review = of("dev-tenant", "deploy-review").reachedBy;
  expect(review[0]).toMatch(
    /^GitHub environment `review` \(a reviewer approves every run \(1 listed\), never its author; deploys from main\): `review-stacks\.yml` deploy \(pull_request_target; runs the pull request's code at the approved commit\)$/,
  );
  // The cleanup environment runs the default branch's code only.
  expect(review[1]).not.toContain("pull request's code");
});

test("two tenants: nothing of the dev tenant writes prod; one tenant: review and dev do, through Graph", () => {
  const writesProd = (stack: BootstrapStack) =>
    threats[stack].filter((t) =>
      t.writes.some((w) => w.startsWith("prod:") || /environment in this tenant \([^)]*prod/.test(w)),
    );
  expect(writesProd("dev-tenant")).toEqual([]);
  expect(writesProd("prod-tenant").map((t) => t.identity)).toEqual(["deploy-prod"]);
  expect(writesProd("one-tenant").map((t) => t.identity)).toEqual(["deploy-review", "deploy-dev", "deploy-prod"]);
});

test("a job's events are its workflow's, narrowed by an if: on github.event_name", () => {
  expect(eventsOf({ if: "a && github.event_name == 'schedule'" }, ["pull_request_target", "schedule"])).toEqual([
    "schedule",
  ]);
  expect(eventsOf({}, ["push", "pull_request"])).toEqual(["push", "pull_request"]);
});

describe("npm run threats", () => {
  it("--help says what it does, exit 0", async () => {
    const result = await runMain(main, ["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^The pipeline's threat model/);
  });

  it("a wrong flag is one line, exit 64", async () => {
    const result = await runMain(main, ["--nope"]);
    expect(result.code).toBe(64);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
