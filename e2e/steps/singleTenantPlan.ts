// One tenant for everything stays possible but is never silent (issue 22): the offline plan of a bootstrap
// stack that keeps prod in the tenant of review and dev reports that their identities' tenant-wide Graph
// write reaches prod: an error without the stack's acknowledgement (tenant-prod-graph-isolated, exit 2),
// a warning with it (tenant-prod-graph-shared). The shipped two-tenant stacks plan without either.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { Workspace } from "../workspace.ts";
import { step } from "./context.ts";

const EXAMPLE = join("examples", "bootstrap", "Pulumi.one-tenant.yaml");
const RULES = /^tenant-prod-graph-(isolated|shared)$/;

/** `npm run plan -- --project bootstrap <where>`: its exit code and its tenant findings. */
async function plan(ws: Workspace, where: string[]): Promise<{ code: number | null; findings: string[] }> {
  const out = join(ws.dir, `.plan-bootstrap-${where.at(-1)!.replace(/\W+/g, "-")}.json`);
  const run = await ws.run(
    process.execPath,
    [join(ws.dir, "tools", "plan", "cli.ts"), "--project", "bootstrap", ...where, "--json", out],
    { allowFailure: true },
  );
  const document = JSON.parse(readFileSync(out, "utf8")) as { diagnostics: { severity: string; policy: string }[] };
  const findings = document.diagnostics.filter((d) => RULES.test(d.policy)).map((d) => `${d.severity} ${d.policy}`);
  return { code: run.code, findings };
}

export const singleTenantPlan = step({
  name: "plan: a single-tenant bootstrap config plans with the finding (an error, a warning once acknowledged)",
  run: async ({ ws }) => {
    const acknowledged = await plan(ws, ["--config", EXAMPLE]);
    assert(
      acknowledged.code === 0 &&
        acknowledged.findings.length > 0 &&
        acknowledged.findings.every((f) => f === "warning tenant-prod-graph-shared"),
      `the acknowledged one-tenant example: exit ${acknowledged.code}, ${JSON.stringify(acknowledged.findings)}`,
    );
    // The same stack without the acknowledgement.
    const stackFile = parse(readFileSync(join(ws.dir, EXAMPLE), "utf8")) as { config: Record<string, unknown> };
    delete stackFile.config["s2s-auth-bootstrap:sharedTenant"];
    const bare = join(ws.dir, "Pulumi.one-tenant-unacknowledged.yaml");
    writeFileSync(bare, stringify(stackFile));
    const unacknowledged = await plan(ws, ["--config", bare]);
    assert(
      unacknowledged.code === 2 && unacknowledged.findings.includes("error tenant-prod-graph-isolated"),
      `the unacknowledged one-tenant stack: exit ${unacknowledged.code}, ${JSON.stringify(unacknowledged.findings)}`,
    );
    for (const stack of ["dev-tenant", "prod-tenant"]) {
      const shipped = await plan(ws, ["--stack", stack]);
      assert(
        shipped.code === 0 && shipped.findings.length === 0,
        `the shipped ${stack} stack: exit ${shipped.code}, ${JSON.stringify(shipped.findings)}`,
      );
    }
    return (
      `one tenant: ${acknowledged.findings.length} warning(s) acknowledged, ` +
      `${unacknowledged.findings.filter((f) => f.startsWith("error")).length} error(s) (exit 2) without; ` +
      "dev-tenant and prod-tenant: none"
    );
  },
});
