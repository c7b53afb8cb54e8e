// A callee on an app registration made by hand (`existingApplication`), as a team that already has one
// configures it: nothing is created for it in Entra ID, its grants and EasyAuth use it, and the seed's
// promise holds (npm run smoke through the twin); one made the portal's loose way (assignment not
// required, visible, implicit grant on) is what the policy pack refuses at preview. The stack's
// destroy leaves the app, its service principal and its own assignment as they were.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HandMade } from "@s2s-auth/twin/handMade.ts";
import { SHIPPED_PEOPLE } from "../env.ts";
import { formatCases, smokeStacks, type StackOutputs } from "../smoke.ts";
import type { Workspace } from "../workspace.ts";
import { outputs, step } from "./context.ts";

/**
 * A dev stack with the seed pair, its callee's config as given: the stack file, then `stack init`. Its
 * name is `dev-<suffix>`, as a review stack's, so the policy pack tells its environment.
 */
export async function stackOn(ws: Workspace, stack: string, callee: Record<string, unknown>): Promise<void> {
  const config = {
    "azure-native:location": "westeurope",
    "s2s-auth:environment": "dev",
    "s2s-auth:callees": [{ name: "the-callee", ...callee }],
    "s2s-auth:callers": [{ name: "the-caller", calls: [{ callee: "the-callee" }] }],
  };
  // Pulumi reads YAML; JSON is YAML.
  writeFileSync(join(ws.dir, `Pulumi.${stack}.yaml`), JSON.stringify({ config }, null, 2));
  await ws.run("pulumi", ["stack", "init", stack, "--non-interactive"]);
}

export const reuseApp = step({
  name:
    "existing app registration: a callee reuses one made by hand, creating nothing for it in Entra ID; " +
    "the pack refuses a loose one",
  needs: ["bootstrap"],
  run: async ({ ws, io }) => {
    const made = JSON.parse((await ws.twin(["hand-made", "reused"])).stdout) as HandMade;
    const loose = JSON.parse((await ws.twin(["hand-made", "loose", "--loose"])).stdout) as HandMade;
    try {
      await stackOn(ws, "dev-reuse", { existingApplication: { clientId: made.clientId } });
      await stackOn(ws, "dev-reuse-loose", { existingApplication: { clientId: loose.clientId } });
      await ws.pulumi("dev-reuse", ["up", "--yes", "--skip-preview", "--policy-pack", "policy"]);
      // Other lanes make apps meanwhile: judged by what the stack holds and what is named after it.
      const created = ((await ws.exportStack("dev-reuse")).deployment?.resources ?? [])
        .map((r) => r.type)
        .filter((type) => /^azuread:index\/(application|servicePrincipal|applicationIdentifierUri):/.test(type));
      assert.deepEqual(created, [], "pulumi up created app registration objects for the callee");
      const named = Object.values(ws.tenant().graph.applications).filter(
        (a) => a.displayName === "the-callee-dev-reuse",
      );
      assert.deepEqual(named, [], "an app registration named after the stack's callee exists");
      const out = (await outputs(ws, "dev-reuse")) as unknown as StackOutputs & {
        callees: Record<string, { clientId: string }>;
      };
      assert.equal(out.callees["the-callee"]?.clientId, made.clientId);
      const cases = await smokeStacks(
        ws,
        [{ stack: "dev-reuse", outputs: out, developerAllowed: false }],
        SHIPPED_PEOPLE.users[0]!,
      );
      io.stderr(`${formatCases(cases)}\n`);
      assert(cases.length > 0 && cases.every((c) => c.ok), `the seed's promise broke:\n${formatCases(cases)}`);

      const refused = await ws.pulumi("dev-reuse-loose", ["preview", "--policy-pack", "policy"], {
        allowFailure: true,
      });
      const said = refused.stdout + refused.stderr;
      assert.notEqual(refused.code, 0, "the pack let a loose app registration through");
      for (const rule of ["callee-sp-assignment-required", "callee-sp-hidden", "app-implicit-grant-off"])
        assert(said.includes(rule), `the pack did not report ${rule}:\n${said.slice(-2000)}`);

      await ws.pulumi("dev-reuse", ["destroy", "--yes", "--skip-preview"]);
      const state = ws.tenant();
      assert(
        Object.values(state.graph.applications).some((a) => a.appId === made.clientId),
        "the destroy deleted the app registration it only used",
      );
      const sp = made.servicePrincipal.split("/")[2]!;
      assert(state.graph.servicePrincipals[sp] !== undefined, "the destroy deleted the service principal it used");
      assert(
        state.graph.appRoleAssignments[made.assignment.split("/").at(-1)!] !== undefined,
        "the destroy deleted the hand-made caller's assignment",
      );
      for (const stack of ["dev-reuse", "dev-reuse-loose"])
        await ws.run("pulumi", ["stack", "rm", stack, "--preserve-config", "--yes"]);
      return (
        `${cases.length} smoke cases as promised on the reused app; the loose one refused by 3 rules; ` +
        "the app left as it was"
      );
    } finally {
      await ws.twin(["hand-made", "reused", "--remove"]);
      await ws.twin(["hand-made", "loose", "--remove"]);
    }
  },
});
