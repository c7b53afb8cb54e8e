// The zero-to-dev path (docs/deploying.md), read against the workflows and the permission list:
// it names every variable, environment and permission they use, and nothing else; and every
// local `pulumi preview`/`pulumi up` the README and docs/deploying.md show runs with Node 22 and
// the policy pack.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { DEPLOYER_GRANTS, PREVIEW_GRANTS } from "../../bootstrap/permissions.ts";
import { environmentsOf } from "../../tools/threats/workflows.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const deploying = readFileSync(join(ROOT, "docs", "deploying.md"), "utf8");
const section = deploying.slice(
  deploying.indexOf("<!-- zero-to-dev:begin -->"),
  deploying.indexOf("<!-- zero-to-dev:end -->"),
);
const WORKFLOWS = join(ROOT, ".github", "workflows");
const workflowTexts = readdirSync(WORKFLOWS)
  .filter((f) => f.endsWith(".yml"))
  .map((f) => readFileSync(join(WORKFLOWS, f), "utf8"));
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

it("the section exists", () => {
  expect(section.length).toBeGreaterThan(1000);
});

it("names exactly the variables the workflows read", () => {
  const used = sorted(workflowTexts.flatMap((t) => [...t.matchAll(/vars\.([A-Z0-9_]+)/g)].map((m) => m[1]!)));
  const named = sorted([...section.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
  expect(named).toEqual(used);
});

it("names exactly the GitHub environments the workflows use, and the label they read", () => {
  const environments = sorted(
    workflowTexts.flatMap((t) =>
      Object.values((parse(t) as { jobs: Record<string, { environment?: string }> }).jobs).flatMap(environmentsOf),
    ),
  );
  expect(environments).toEqual(["dev", "prod", "prod-preview", "review", "review-cleanup"]);
  expect(sorted([...section.matchAll(/environment `([a-z0-9-]+)`/g)].map((m) => m[1]!))).toEqual(environments);
  const labels = sorted(
    workflowTexts.flatMap((t) => [...t.matchAll(/labels\.\*\.name, '([^']+)'/g)].map((m) => m[1]!)),
  );
  expect(sorted([...section.matchAll(/label `([^`]+)`/g)].map((m) => m[1]!))).toEqual(labels);
});

it("names every permission of the pipeline's identities, and no other Graph permission", () => {
  const grants = [...PREVIEW_GRANTS, ...DEPLOYER_GRANTS];
  for (const g of grants)
    expect({ name: g.permission.name, named: section.includes(g.permission.name) }).toEqual({
      name: g.permission.name,
      named: true,
    });
  const graphLike = sorted(
    [...section.matchAll(/\b([A-Z][A-Za-z]+\.(?:[A-Z][A-Za-z]+\.)*[A-Z][A-Za-z]+)\b/g)]
      .map((m) => m[1]!)
      .filter((n) => /\.(All|OwnedBy|Directory)$/.test(n)),
  );
  expect(graphLike).toEqual(sorted(grants.filter((g) => g.kind === "graph").map((g) => g.permission.name)));
});

it("names the OIDC subjects the identities trust, issuer and audience", () => {
  for (const text of [
    "`pull_request`",
    "`environment:review`",
    "`environment:review-cleanup`",
    "`environment:dev`",
    "`environment:prod-preview`",
    "`environment:prod`",
    "https://token.actions.githubusercontent.com",
    "api://AzureADTokenExchange",
  ]) {
    expect(section).toContain(text);
  }
});

it("every local pulumi preview and up in README.md and docs/deploying.md runs with Node 22 and the pack", () => {
  const pages = [readFileSync(join(ROOT, "README.md"), "utf8"), deploying];
  const blocks = pages.flatMap((page) => [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!));
  // `eval "$(npm run -s twin:env)"` puts the repository's node_modules/.bin on PATH for the block.
  const twinEnv = 'eval "$(npm run -s twin:env)"';
  const commands = blocks
    .flatMap((b) => b.split("\n").map((line) => ({ line, twin: b.includes(twinEnv) })))
    .filter((c) => /\bpulumi (preview|up)\b/.test(c.line));
  expect(commands.length).toBeGreaterThanOrEqual(4);
  for (const { line, twin } of commands) {
    if (!twin) expect(line).toMatch(/^PATH="\$PWD\/(\.\.\/)?node_modules\/\.bin:\$PATH" pulumi /);
    expect(line).toMatch(/--policy-pack (\.\.\/)?policy\b/);
  }
});
