// The GitHub stand-in's own rules: the deployment branch rule, the approval desk's decisions and
// records, the OIDC endpoint's refusal of a job that is not its own, and the REST calls the
// workflows make. (Minting a token needs the twin's runtime: npm run e2e:workflows does it.)
import type { Addresses } from "@s2s-auth/twin/entra-runtime/client.ts";
import type { RunFacts } from "../../../../e2e/workflows/github/facts.ts";
import { branchMayDeploy, startGithub, type GithubStandIn } from "../../../../e2e/workflows/github/server.ts";

test("deployment branches: a matching branch may deploy, a pull request's merge ref never", () => {
  const rules = { deploymentBranches: ["main", "release/*"] };
  expect(branchMayDeploy(rules, "refs/heads/main")).toBe(true);
  expect(branchMayDeploy(rules, "refs/heads/release/1")).toBe(true);
  expect(branchMayDeploy(rules, "refs/heads/feature")).toBe(false);
  expect(branchMayDeploy(rules, "refs/pull/8/merge")).toBe(false);
  expect(branchMayDeploy({}, "refs/pull/8/merge")).toBe(true);
});

describe("the stand-in over HTTP", () => {
  let github: GithubStandIn;
  const run = (over: Partial<RunFacts>): RunFacts => ({
    runId: 7,
    repository: "o/r",
    eventName: "workflow_run",
    ref: "refs/heads/main",
    sha: "a".repeat(40),
    fromFork: false,
    workflow: "deploy.yml",
    ...over,
  });
  const ask = async (runId: number, job: string, environment: string) => {
    const res = await fetch(`${github.url}/_e2e/deployment/${runId}/deploy.yml/${job}?environment=${environment}`);
    return { status: res.status, body: (await res.json()) as { allowed?: boolean; lines?: string[] } };
  };

  beforeAll(async () => {
    github = await startGithub({} as Addresses);
    github.environments.set("dev", { deploymentBranches: ["main"] });
    github.environments.set("prod", { deploymentBranches: ["main"], reviewers: ["@o/platform"] });
    const jobs = [
      { workflow: "deploy.yml", job: "dev", environment: "dev", permissions: {} },
      { workflow: "deploy.yml", job: "prod", environment: "prod", permissions: {} },
      { workflow: "deploy.yml", job: "loose", environment: "staging", permissions: {} },
      { workflow: "deploy.yml", job: "chosen", environmentExpression: "${{ inputs.x }}", permissions: {} },
    ];
    github.register(run({}), jobs, {});
    github.register(run({ runId: 8, eventName: "pull_request", ref: "refs/pull/3/merge" }), jobs, {});
  });
  afterAll(() => github.close());

  test("a branch the environment allows, no reviewers: allowed at once", async () => {
    const { status, body } = await ask(7, "dev", "dev");
    expect(status).toBe(200);
    expect(body.lines).toEqual(["deployment branch refs/heads/main allowed; no reviewers required"]);
  });

  test("a pull request's run naming dev: refused by the branch rule, before any reviewer", async () => {
    github.reviewer = () => {
      throw new Error("no reviewer may be asked");
    };
    const { status, body } = await ask(8, "dev", "dev");
    expect(status).toBe(403);
    expect(body.lines![0]).toMatch(/refs\/pull\/3\/merge is not allowed to deploy to dev/);
  });

  test("required reviewers: the run says it waits, the reviewer decides, the record names them", async () => {
    github.reviewer = ({ environment }) => ({ approve: environment === "prod", by: "alice" });
    const approved = await ask(7, "prod", "prod");
    expect(approved.status).toBe(200);
    expect(approved.body.lines).toEqual(["a real run waits here for a reviewer (@o/platform)", "approved by alice"]);
    github.reviewer = () => ({ approve: false, by: "bob", note: "not today" });
    const rejected = await ask(7, "prod", "prod");
    expect(rejected.status).toBe(403);
    expect(rejected.body.lines![1]).toBe("rejected by bob: not today");
    const records = github.records.filter((r) => r.kind === "deployment" && r.environment === "prod");
    expect(records.map((r) => r.kind === "deployment" && [r.allowed, r.reviewer])).toEqual([
      [true, "alice"],
      [false, "bob"],
    ]);
  });

  test("an environment nobody declared has no rules; a job asking for another environment is unknown", async () => {
    expect((await ask(7, "loose", "staging")).status).toBe(200);
    expect((await ask(7, "dev", "prod")).status).toBe(404);
  });

  test("a job whose environment: is an expression takes the name act evaluated it to, or none", async () => {
    const { status, body } = await ask(7, "chosen", "dev");
    expect(status).toBe(200);
    expect(body.lines).toEqual(["deployment branch refs/heads/main allowed; no reviewers required"]);
    expect((await ask(8, "chosen", "dev")).status).toBe(403);
    expect((await ask(7, "chosen", "")).body.lines).toEqual(["${{ inputs.x }} names no environment: the job has none"]);
  });

  test("the OIDC endpoint refuses a request token that is not the job's", async () => {
    const res = await fetch(`${github.url}/_e2e/oidc/7/deploy.yml/dev?api-version=2.0`, {
      headers: { authorization: "Bearer guessed" },
    });
    expect(res.status).toBe(401);
    expect(github.records.at(-1)).toMatchObject({ kind: "oidc-refused", job: "dev" });
  });

  test("pull requests, their files and one bot comment edited in place", async () => {
    github.pulls.set(3, {
      number: 3,
      state: "open",
      head: { sha: "h", ref: "f", repo: { full_name: "o/r" } },
      base: { ref: "main", sha: "b", repo: { full_name: "o/r" } },
      labels: [],
      files: ["a.ts", "b.ts"],
    });
    const get = async (path: string) => (await fetch(`${github.url}${path}`)).json();
    expect(await get("/repos/o/r/pulls/3/files")).toEqual([{ filename: "a.ts" }, { filename: "b.ts" }]);
    expect(((await get("/repos/o/r/pulls/3")) as { state: string }).state).toBe("open");
    expect((await fetch(`${github.url}/repos/o/r/pulls/4`)).status).toBe(404);
    const created = (await (
      await fetch(`${github.url}/repos/o/r/issues/3/comments`, { method: "POST", body: '{"body":"one"}' })
    ).json()) as { id: number; user: { type: string } };
    expect(created.user.type).toBe("Bot");
    await fetch(`${github.url}/repos/o/r/issues/comments/${created.id}`, { method: "PATCH", body: '{"body":"two"}' });
    expect(await get("/repos/o/r/issues/3/comments")).toEqual([{ ...created, body: "two" }]);
  });
});
