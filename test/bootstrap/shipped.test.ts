// Shipped stacks trust nobody real: no stack file in the repository, planned as it is,
// federates to a placeholder repository (anyone could register its owner on GitHub). And the
// bootstrap project's shipped stacks (one per tenant, and the one-tenant example) plan offline
// through the same command as the program (tools/plan/cli.ts's `main`, in-process; as a process:
// shipped.deep.test.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PLACEHOLDER_OWNERS } from "../../bootstrap/config.ts";
import { readStackFiles, stackOfFile } from "../../tools/plan/stackConfig.ts";
import { RESOURCE_TYPE } from "../../model/index.ts";
import { main as plan } from "../../tools/plan/cli.ts";
import { runMain } from "../tools/cli/io.ts";
import { cachedPlanRecording } from "../fixtures/recordingCache.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const stackFiles = [
  ...readdirSync(ROOT)
    .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
    .map((f) => join(ROOT, f)),
  ...readdirSync(join(ROOT, "examples"))
    .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
    .map((f) => join(ROOT, "examples", f)),
];
// Names a shipped example may use, none of them anyone's: the placeholder owners and
// Microsoft's documentation domains' names.
const PLACEHOLDER = new RegExp(
  `^repo:(${[...PLACEHOLDER_OWNERS, "contoso", "fabrikam", "example"].join("|")})[^/]*/`,
  "i",
);

it("finds the shipped stack files", () => {
  expect(stackFiles.map((f) => stackOfFile(f)).sort()).toEqual(["dev", "mixed", "prod", "test"]);
});

it("no shipped stack federates to a placeholder repository (or to any repository at all)", async () => {
  for (const file of stackFiles) {
    const stack = stackOfFile(file);
    const files = readStackFiles(ROOT, stack, file);
    const recording = await cachedPlanRecording(files.project, stack, files.config);
    const subjects = recording.resources
      .filter((r) => r.type === RESOURCE_TYPE.federatedIdentityCredential)
      .map((r) => String(r.inputs["subject"]));
    expect({ stack, placeholders: subjects.filter((s) => PLACEHOLDER.test(s)) }).toEqual({ stack, placeholders: [] });
    // The shipped files name no repository: nothing to trust until the user names theirs.
    expect({ stack, subjects }).toEqual({ stack, subjects: [] });
  }
});

it("the placeholder pattern recognises the placeholder the files used to ship", () => {
  expect(PLACEHOLDER.test("repo:contoso-placeholder/s2s-auth:environment:dev")).toBe(true);
  expect(PLACEHOLDER.test("repo:my-org/s2s-auth:environment:dev")).toBe(false);
});

describe("npm run plan -- --project bootstrap, in-process, for every shipped bootstrap stack", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "plan-bootstrap-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const planOf = async (...args: string[]) => {
    const file = join(dir, "bootstrap.json");
    const result = await runMain(plan, ["--project", "bootstrap", ...args, "--json", file]);
    const document = JSON.parse(readFileSync(file, "utf8")) as {
      project: string;
      stack: string;
      diagnostics: { severity: string; policy: string }[];
      steps: { urn: string }[];
    };
    const identities = document.steps
      .filter((s) => s.urn.includes("s2s-auth:bootstrap:PipelineIdentity::"))
      .map((s) => s.urn.split("::").pop());
    return { result, document, identities };
  };

  it("plans the dev tenant's stack by default: exit 0, no findings, review's and dev's identities", async () => {
    const { result, document, identities } = await planOf();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect([document.project, document.stack, document.diagnostics]).toEqual(["s2s-auth-bootstrap", "dev-tenant", []]);
    expect(identities).toEqual(["deploy-review", "preview-dev", "deploy-dev"]);
  });

  it("plans the prod tenant's stack: exit 0, no findings, prod's identities alone", async () => {
    const { result, document, identities } = await planOf("--stack", "prod-tenant");
    expect([result.code, document.stack, document.diagnostics]).toEqual([0, "prod-tenant", []]);
    expect(identities).toEqual(["preview-prod", "deploy-prod"]);
  });

  it("plans the one-tenant example with the shared-tenant finding: a warning, exit 0", async () => {
    const { result, document, identities } = await planOf("--config", "examples/bootstrap/Pulumi.one-tenant.yaml");
    expect([result.code, document.stack]).toEqual([0, "one-tenant"]);
    expect(document.diagnostics.map((f) => `${f.severity} ${f.policy}`)).toEqual([
      "warning tenant-prod-graph-shared",
      "warning tenant-prod-graph-shared",
    ]);
    expect(identities).toEqual(["deploy-review", "preview-dev", "deploy-dev", "preview-prod", "deploy-prod"]);
    expect(result.stdout).toMatch(
      /warning tenant-prod-graph-shared +deploy-dev-graph-AppRoleAssignment\.ReadWrite\.All/,
    );
  });

  it("refuses an unknown project in one line, exit 64 (a wrong command line, as in every CLI)", async () => {
    const result = await runMain(plan, ["--project", "nope"]);
    expect(result.code).toBe(64);
    expect(result.stderr).toBe('--project: unknown project "nope" (known: bootstrap)\n');
  });
});

// The policy pack finds the bootstrap stacks by this name.
it("bootstrap/project.ts names the project as bootstrap/Pulumi.yaml does", async () => {
  const { BOOTSTRAP_PROJECT: PROJECT } = await import("../../model/index.ts");
  expect(readFileSync(resolve(import.meta.dirname, "../../bootstrap/Pulumi.yaml"), "utf8")).toMatch(
    new RegExp(`^name: ${PROJECT}$`, "m"),
  );
});
