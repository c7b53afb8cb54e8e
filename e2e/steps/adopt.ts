// A setup made by hand through the twin's CLI (the seed's walkthrough) brought under a stack without
// recreating it, as docs/reusing.md says: the deploy identity made an owner, the import file from the
// offline plan with the ids filled in, `pulumi import`, a preview that only updates, `pulumi up`, then
// `pulumi preview --expect-no-changes`. The app keeps its client id, the assignment its id.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HandMade } from "@s2s-auth/twin/handMade.ts";
import { step } from "./context.ts";
import { stackOn } from "./reuse.ts";

export const adoptHandMade = step({
  name: "adopt: a hand-made setup imported into a stack updates in place, then preview --expect-no-changes",
  needs: ["bootstrap"],
  run: async ({ ws, bootstrap }) => {
    const made = JSON.parse((await ws.twin(["hand-made", "adopted"])).stdout) as HandMade;
    const stack = "dev-adopted";
    // docs/reusing.md: the deploy identity owns what it is to manage (az ad app owner add, az ad sp owner add).
    const app = made.application.split("/")[2]!;
    const sp = made.servicePrincipal.split("/")[2]!;
    for (const path of [`graph.applications.${app}.owners`, `graph.servicePrincipals.${sp}.owners`])
      await ws.twin(["set", path, JSON.stringify([{ id: bootstrap.deployDev }])]);
    await stackOn(ws, stack, { appRoles: [{ value: "Invoke", id: made.appRoleId }] });

    const site = (id: string) => id.split("/").at(-1)!;
    // A site and its two basic-auth publishing policies, by the logical names the plan gives them.
    const siteIds = (name: string, id: string) => ({
      [name]: id,
      [`${name}-ftp`]: `${id}/basicPublishingCredentialsPolicies/ftp`,
      [`${name}-scm`]: `${id}/basicPublishingCredentialsPolicies/scm`,
    });
    const ids = {
      "s2s-auth-rg": made.resourceGroup,
      "s2s-auth-plan": made.plan,
      ...siteIds("the-callee-site", made.calleeSite),
      ...siteIds("the-caller-site", made.callerSite),
      "the-callee-auth": made.authSettings,
      "the-callee-app": made.application,
      "the-callee-uri": made.identifierUri,
      "the-callee-sp": made.servicePrincipal,
      "the-caller_to_the-callee-assignment": made.assignment,
    };
    const idsFile = join(ws.dir, ".adopt-ids.json");
    const importFile = join(ws.dir, ".adopt-import.json");
    writeFileSync(idsFile, JSON.stringify(ids));
    await ws.run(process.execPath, [
      join(ws.dir, "tools", "plan", "cli.ts"),
      "--stack",
      stack,
      "--import-file",
      importFile,
      "--import-ids",
      idsFile,
    ]);
    await ws.pulumi(stack, ["import", "--file", importFile, "--yes", "--protect=false", "--generate-code=false"]);

    const preview = JSON.parse((await ws.pulumi(stack, ["preview", "--json"])).stdout) as {
      steps?: { op: string; urn: string }[];
    };
    const ops = (preview.steps ?? []).filter((s) => s.op !== "same");
    const notInPlace = ops.filter((s) => s.op !== "update");
    assert.deepEqual(notInPlace, [], "the adopted setup would not only be updated in place");
    await ws.pulumi(stack, ["up", "--yes", "--skip-preview"]);
    await ws.pulumi(stack, ["preview", "--expect-no-changes"]);

    const state = ws.tenant();
    const kept = Object.values(state.graph.applications).find((a) => a.id === app);
    assert.equal(kept?.appId, made.clientId, "the app registration was recreated");
    assert(state.graph.appRoleAssignments[made.assignment.split("/").at(-1)!], "the assignment was recreated");
    const calleeSite = state.arm.resources[made.calleeSite.toLowerCase()];
    assert.equal(calleeSite?.properties["httpsOnly"], true);
    assert.equal(
      (calleeSite?.properties["siteConfig"] as { minTlsVersion?: string } | undefined)?.minTlsVersion,
      "1.2",
      "pulumi up did not harden the adopted site",
    );

    await ws.pulumi(stack, ["destroy", "--yes", "--skip-preview"]);
    await ws.run("pulumi", ["stack", "rm", stack, "--preserve-config", "--yes"]);
    await ws.twin(["hand-made", "adopted", "--remove"]);
    return (
      `${Object.keys(ids).length} resources imported (${site(made.calleeSite)}, client id ${made.clientId}); ` +
      `${ops.length} updated in place, then no changes`
    );
  },
});
