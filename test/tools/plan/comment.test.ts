// The PR comment (`plan diff --markdown`): what a reviewer must not miss comes first, and the
// whole body stays under GitHub's comment limit however large the diff.
import type { AccessEntry } from "../../../tools/plan/access.ts";
import {
  COMMENT_BUDGET,
  COMMENT_LIMIT,
  renderDiffMarkdown,
  renderDiffText,
  type ChangedResource,
  type PlanDiff,
  type ResourceChange,
} from "../../../tools/plan/diff.ts";
import { codeTexts, HOSTILE, notText } from "./gfm.ts";

const ARTIFACT = "the `plan` artifact of this workflow run";

function grant(i: number, callee = "orders-api"): AccessEntry {
  return {
    callee,
    principal: `caller-${i}`,
    principalType: "ManagedIdentity",
    role: "Invoke",
    grant: `urn:pulumi:prod::s2s-auth::s2s-auth:access:AppRoleGrant::caller-${i}_to_${callee}`,
  };
}
function resource(i: number): ResourceChange {
  return {
    urn: `urn:pulumi:dev::s2s-auth::azure-native:web:WebApp::site-${i}`,
    type: "azure-native:web:WebApp",
    name: `site-${i}-${"x".repeat(40)}`,
  };
}
function changed(i: number): ChangedResource {
  return {
    ...resource(i),
    changes: Array.from({ length: 8 }, (_, j) => ({ path: `siteConfig.appSettings[${j}].value`, from: "a", to: "b" })),
  };
}

function diffOf(over: Partial<PlanDiff>): PlanDiff {
  return {
    project: "s2s-auth",
    base: { stack: "prod", environment: "prod" },
    head: { stack: "prod", environment: "prod" },
    added: [],
    removed: [],
    changed: [],
    granted: [],
    revoked: [],
    ...over,
  };
}

const lines = (md: string) => md.split("\n");
const indexOf = (md: string, text: string) => lines(md).findIndex((l) => l.includes(text));

test("prod: warnings first, then access granted and revoked, then resources", () => {
  const md = renderDiffMarkdown(
    diffOf({
      granted: [grant(1)],
      revoked: [grant(2)],
      changed: [{ ...changed(1), protect: { from: true, to: false } }],
      removed: [resource(2)],
    }),
    { fullPlan: ARTIFACT },
  );
  const order = [
    "**This change grants new access in `prod`**",
    "**This change revokes access in `prod`**",
    "**This change removes `protect` from 1 prod resource**",
    "**This change deletes 1 prod resource**",
    "**Access:** 1 granted, 1 revoked",
    "#### Access granted",
    "| `orders-api` | `caller-1` |",
    "#### Access revoked",
    "| `orders-api` | `caller-2` |",
    "#### Resources",
  ].map((t) => indexOf(md, t));
  expect(order.every((i) => i > 0)).toBe(true);
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(md).not.toContain("Cut to stay under");
});

test(
  "a huge dev-sized diff in a prod PR: the prod warning stays, the body fits GitHub's limit, and a note says " +
    "what was cut and where the full plan is",
  () => {
    const diff = diffOf({
      granted: [grant(0), ...Array.from({ length: 3_000 }, (_, i) => grant(i + 1, `callee-${i % 50}`))],
      added: Array.from({ length: 5_000 }, (_, i) => resource(i)),
      changed: Array.from({ length: 5_000 }, (_, i) => changed(i)),
    });
    const md = renderDiffMarkdown(diff, { fullPlan: ARTIFACT });
    expect(md.length).toBeLessThanOrEqual(COMMENT_BUDGET);
    expect(indexOf(md, "**This change grants new access in `prod`** (3001 new grants, stack `prod`)")).toBe(3);
    expect(indexOf(md, "| `orders-api` | `caller-0` |")).toBeGreaterThan(0);
    const note = lines(md).find((l) => l.includes("Cut to stay under GitHub's 65,536-character comment limit"))!;
    expect(note).toMatch(
      /\d+ of 3001 granted access rows; 10000 of 10000 resource rows not shown\. The full plan: the `plan` artifact of this workflow run\.$/,
    );
    // Every table row that is shown is whole.
    expect(
      lines(md)
        .filter((l) => l.startsWith("|"))
        .every((l) => l.endsWith("|")),
    ).toBe(true);
  },
);

test("a huge dev diff: under the limit too, access before resources", () => {
  const md = renderDiffMarkdown(
    diffOf({
      base: { stack: "dev", environment: "dev" },
      head: { stack: "dev", environment: "dev" },
      revoked: [grant(7)],
      changed: Array.from({ length: 5_000 }, (_, i) => changed(i)),
    }),
  );
  expect(md.length).toBeLessThanOrEqual(COMMENT_BUDGET);
  expect(md).not.toContain("[!WARNING]");
  expect(indexOf(md, "| `orders-api` | `caller-7` |")).toBeLessThan(indexOf(md, "#### Resources"));
  expect(md).toMatch(/of 5000 resource rows not shown\. The full plan: the plan JSON files this diff compared\.\n/);
});

test(
  "the dev and the prod diff posted in one comment (as the CI does) fit GitHub's limit with the prod " +
    "warning in it",
  () => {
    const dev = renderDiffMarkdown(
      diffOf({
        base: { stack: "dev", environment: "dev" },
        head: { stack: "dev", environment: "dev" },
        changed: Array.from({ length: 5_000 }, (_, i) => changed(i)),
      }),
    );
    const prod = renderDiffMarkdown(
      diffOf({ granted: [grant(1)], changed: Array.from({ length: 5_000 }, (_, i) => changed(i)) }),
    );
    const comment = [
      "<!-- marker -->",
      "### Offline plan: this pull request against `main`",
      "",
      "#### dev",
      dev,
      "",
      "#### prod",
      prod,
      "",
    ].join("\n");
    expect(comment.length).toBeLessThan(COMMENT_LIMIT);
    expect(comment).toContain("**This change grants new access in `prod`**");
  },
);

test("a small diff is shown whole, without a note", () => {
  const md = renderDiffMarkdown(diffOf({ added: [resource(1)], changed: [changed(2)] }));
  expect(md).toContain("| added | `azure-native:web:WebApp` | `site-1-");
  expect(md).toContain("No access changes.");
  expect(md).not.toContain("[!NOTE]");
});

test("the terminal view leads with the prod warnings and access too", () => {
  const text = renderDiffText(
    diffOf({ granted: [grant(1)], revoked: [grant(2)], added: Array.from({ length: 500 }, (_, i) => resource(i)) }),
  );
  expect(lines(text).slice(0, 6)).toEqual([
    "Plan diff for s2s-auth, stack prod",
    "",
    "WARNING: this change grants new access in prod (stack prod).",
    "WARNING: this change revokes access in prod (stack prod).",
    "",
    "Access: 1 granted, 1 revoked",
  ]);
});

// Issue 23, item 2: names, principals, roles and changed values in `plan diff --markdown` are text,
// read back through a GFM parser, whether they come from config or from a forged plan artifact.
test("every value of the diff stays text in the comment", () => {
  const hostile = (value: string, i: number): AccessEntry => ({
    callee: value,
    principal: value,
    principalType: value as AccessEntry["principalType"],
    role: value,
    grant: `g${i}`,
  });
  const md = renderDiffMarkdown(
    diffOf({
      project: HOSTILE[0]!,
      base: { stack: HOSTILE[5]!, environment: "prod" },
      granted: HOSTILE.map(hostile),
      revoked: HOSTILE.map(hostile),
      added: HOSTILE.map((v) => ({ urn: v, type: v, name: v })),
      changed: HOSTILE.map((v) => ({
        urn: v,
        type: v,
        name: v,
        changes: [{ path: v, from: v, to: { [v]: [v] } }],
        protect: { from: true, to: false },
      })),
    }),
    { budget: 1_000_000 },
  );
  expect(notText(md)).toEqual([]);
  const texts = codeTexts(md);
  for (const v of HOSTILE) expect(texts.filter((t) => t.includes(v.trim())).length).toBeGreaterThanOrEqual(6);
});
