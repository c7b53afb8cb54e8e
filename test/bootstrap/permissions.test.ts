// The deployer's permissions are derived from what the program declares: every resource type
// and data source of every host and feature is covered by a line of bootstrap/permissions.ts,
// every line is needed by something the program declares, and docs/deploying.md's table is the
// one rendered from that list (docs/lifecycle.md points to it instead of repeating it).
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  DEPLOYER_GRANTS,
  NO_PERMISSION_NEEDED,
  PREVIEW_GRANTS,
  PULUMI_STATE,
  renderPermissionsMarkdown,
} from "../../bootstrap/permissions.ts";
import { GRAPH_PERMISSIONS } from "../../model/roles.ts";
import type { Recording } from "../../tools/plan/recorder.ts";
import { readStackFiles } from "../../tools/plan/stackConfig.ts";
import { cachedPlanRecording } from "../fixtures/recordingCache.ts";

const ROOT = resolve(import.meta.dirname, "../..");

// Every host, an external caller, a callee on an existing app registration, developer access by UPN,
// object id and group, and a CI principal.
const EVERYTHING: Record<string, unknown> = {
  "azure-native:location": "westeurope",
  "s2s-auth:environment": "dev",
  "s2s-auth:callees": [
    { name: "web", host: "appService" },
    { name: "func", host: "functionApp" },
    { name: "ctr", host: "containerApp" },
    { name: "legacy", existingApplication: { clientId: "dddddddd-1111-2222-3333-444444444444" } },
  ],
  "s2s-auth:callers": [
    { name: "caller-web", calls: [{ callee: "web" }] },
    { name: "caller-func", host: "functionApp", calls: [{ callee: "func" }] },
    { name: "caller-ctr", host: "containerApp", calls: [{ callee: "ctr" }] },
    { name: "vm", host: "external", principalId: "aaaaaaaa-1111-2222-3333-444444444444", calls: [{ callee: "web" }] },
  ],
  "s2s-auth:devAccess": {
    authorizedClients: ["azure-cli"],
    users: ["dev@example.org", "bbbbbbbb-1111-2222-3333-444444444444"],
    groups: ["cccccccc-1111-2222-3333-444444444444"],
  },
  "s2s-auth:ciAccess": { repository: "my-org/s2s-auth", subjects: ["environment:dev"], calls: [{ callee: "web" }] },
};

/** Resource types and data-source tokens a recording uses. */
function tokens(recording: Recording): { types: Set<string>; invokes: Set<string> } {
  const types = new Set(recording.resources.filter((r) => r.custom).map((r) => r.type));
  const text = JSON.stringify([recording.resources.map((r) => r.inputs), recording.outputs]);
  const invokes = new Set<string>();
  // Data-source results appear as `${invoke:<token>(<args>)#<path>}` wherever the program uses them.
  for (const m of text.matchAll(/invoke:([A-Za-z0-9:/._-]+)\(/g)) invokes.add(m[1]!);
  return { types, invokes };
}

const recordings: { name: string; environment: string; used: { types: Set<string>; invokes: Set<string> } }[] = [];

beforeAll(async () => {
  const stacks: [string, Record<string, unknown>, string][] = [];
  for (const stack of ["dev", "test", "prod"]) stacks.push([stack, readStackFiles(ROOT, stack).config, stack]);
  const mixed = readStackFiles(ROOT, "mixed", join(ROOT, "examples", "Pulumi.mixed.yaml"));
  stacks.push(["mixed", mixed.config, "test"]);
  stacks.push(["everything", EVERYTHING, "dev"]);
  stacks.push([
    "everything-test",
    { ...EVERYTHING, "s2s-auth:environment": "test", "s2s-auth:devAccess": undefined },
    "test",
  ]);
  for (const [stack, config, environment] of stacks) {
    const clean = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
    const recording = await cachedPlanRecording("s2s-auth", stack, clean);
    recordings.push({ name: stack, environment, used: tokens(recording) });
  }
});

const needed = (env?: string) =>
  new Set(
    DEPLOYER_GRANTS.filter(
      (g) => env === undefined || g.environments === undefined || g.environments.includes(env as "dev"),
    ).flatMap((g) => g.neededBy),
  );

it("covers every resource type and data source the program declares, with the environment's grants", () => {
  for (const { name, environment, used } of recordings) {
    const covered = needed(environment === "test" ? "dev" : environment);
    const uncovered = [...used.types, ...[...used.invokes].filter((t) => !NO_PERMISSION_NEEDED.includes(t))].filter(
      (t) => !covered.has(t),
    );
    expect({ name, uncovered }).toEqual({ name, uncovered: [] });
  }
});

it("lists nothing the program does not declare", () => {
  const used = new Set(recordings.flatMap(({ used }) => [...used.types, ...used.invokes]));
  const unused = [...needed()].filter((t) => t !== PULUMI_STATE && !used.has(t));
  expect(unused).toEqual([]);
  expect(NO_PERMISSION_NEEDED.filter((t) => !used.has(t))).toEqual([]);
});

it("user lookups by UPN happen only in dev (and its review copies), where only their identities may read users", () => {
  const getUser = "azuread:index/getUser:getUser";
  expect(recordings.filter(({ used }) => used.invokes.has(getUser)).map((r) => r.environment)).toEqual(
    expect.arrayContaining(["dev"]),
  );
  expect(recordings.filter(({ used, environment }) => used.invokes.has(getUser) && environment !== "dev")).toEqual([]);
  expect(DEPLOYER_GRANTS.find((g) => g.neededBy.includes(getUser))?.environments).toEqual(["review", "dev"]);
  expect(PREVIEW_GRANTS.find((g) => g.neededBy.includes(getUser))?.environments).toEqual(["dev"]);
});

it("app role assignments come with Application.Read.All beside AppRoleAssignment.ReadWrite.All", () => {
  const forAssignments = DEPLOYER_GRANTS.filter((g) =>
    g.neededBy.includes("azuread:index/appRoleAssignment:AppRoleAssignment"),
  ).map((g) => g.permission.name);
  expect(forAssignments.sort()).toEqual(
    [GRAPH_PERMISSIONS.applicationReadAll.name, GRAPH_PERMISSIONS.appRoleAssignmentReadWriteAll.name].sort(),
  );
});

describe("the docs", () => {
  const deploying = readFileSync(join(ROOT, "docs", "deploying.md"), "utf8");
  const lifecycle = readFileSync(join(ROOT, "docs", "lifecycle.md"), "utf8");

  it("docs/deploying.md's permission table is the one rendered from bootstrap/permissions.ts", () => {
    const start =
      "<!-- permissions:begin (generated from bootstrap/permissions.ts; test/bootstrap/permissions.test.ts) -->\n";
    const end = "<!-- permissions:end -->";
    const i = deploying.indexOf(start);
    expect(i).toBeGreaterThan(0);
    expect(deploying.slice(i + start.length, deploying.indexOf(end, i))).toBe(renderPermissionsMarkdown());
  });

  it("every permission is listed once, in that table; lifecycle.md names none and points to it", () => {
    // Prose may name a permission (why the tenant is the boundary); no other table lists one.
    const outsideRows = deploying
      .replace(/<!-- permissions:begin[\s\S]*?<!-- permissions:end -->/, "")
      .split("\n")
      .filter((line) => line.startsWith("|"));
    for (const g of [...DEPLOYER_GRANTS, ...PREVIEW_GRANTS]) {
      expect({ name: g.permission.name, rows: outsideRows.filter((l) => l.includes(g.permission.name)) }).toEqual({
        name: g.permission.name,
        rows: [],
      });
      expect({ name: g.permission.name, lifecycle: lifecycle.includes(g.permission.name) }).toEqual({
        name: g.permission.name,
        lifecycle: false,
      });
    }
    expect(lifecycle).toContain("deploying.md#permissions");
  });
});
