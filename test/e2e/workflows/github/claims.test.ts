// GitHub's OIDC subject and the id-token permission as the stand-in decides them: the rules of
// GitHub's docs, case by case, since the twin's federated credentials match the subject exactly.
import { mayRequestIdToken, subjectOf } from "../../../../e2e/workflows/github/claims.ts";
import type { RunFacts } from "../../../../e2e/workflows/github/facts.ts";

const run = (over: Partial<RunFacts>): RunFacts => ({
  runId: 1,
  repository: "octo-org/octo-repo",
  eventName: "push",
  ref: "refs/heads/main",
  sha: "0".repeat(40),
  fromFork: false,
  workflow: "w.yml",
  ...over,
});

describe("subjectOf", () => {
  test("a job that names an environment: the environment, whatever the event", () => {
    for (const eventName of ["push", "pull_request", "pull_request_target", "workflow_run", "schedule"])
      expect(subjectOf(run({ eventName }), { environment: "Production" })).toBe(
        "repo:octo-org/octo-repo:environment:Production",
      );
  });

  test("a pull request event without an environment: pull_request, not the merge ref", () => {
    const pr = run({ eventName: "pull_request", ref: "refs/pull/7/merge" });
    expect(subjectOf(pr, {})).toBe("repo:octo-org/octo-repo:pull_request");
    expect(subjectOf({ ...pr, eventName: "pull_request_target", ref: "refs/heads/main" }, {})).toBe(
      "repo:octo-org/octo-repo:pull_request",
    );
  });

  test("any other event without an environment: the ref, branch or tag", () => {
    expect(subjectOf(run({ eventName: "workflow_run" }), {})).toBe("repo:octo-org/octo-repo:ref:refs/heads/main");
    expect(subjectOf(run({ eventName: "push", ref: "refs/tags/v1" }), {})).toBe(
      "repo:octo-org/octo-repo:ref:refs/tags/v1",
    );
  });
});

describe("mayRequestIdToken", () => {
  const write = { permissions: { "id-token": "write" as const } };

  test("only with id-token: write", () => {
    expect(mayRequestIdToken(run({}), write)).toBe(true);
    expect(mayRequestIdToken(run({}), { permissions: { "id-token": "read" } })).toBe(false);
    expect(mayRequestIdToken(run({}), { permissions: {} })).toBe(false);
  });

  test("never for a fork's pull_request run, which GitHub caps at read", () => {
    expect(mayRequestIdToken(run({ eventName: "pull_request", fromFork: true }), write)).toBe(false);
    expect(mayRequestIdToken(run({ eventName: "pull_request", fromFork: false }), write)).toBe(true);
  });

  test("a fork's pull_request_target run runs with the base's permissions", () => {
    expect(mayRequestIdToken(run({ eventName: "pull_request_target", fromFork: true }), write)).toBe(true);
  });
});
