// Drift behind Pulumi's back on dev, three changes a person could make in the portal: an unknown
// principal's app role assignment, assignment required switched off, EasyAuth set to AllowAnonymous.
// `pulumi refresh` and `npm run drift` must report them, `pulumi up` put them back, and the twin's
// EasyAuth must refuse a caller whose object id (not its client id) is in allowedApplications.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { managedIdentityToken, start as startEntra } from "@s2s-auth/twin/entra-runtime/client.ts";
import { siteFor } from "../smoke.ts";
import { outputs, step } from "./context.ts";

/** What this step reads from the twin's tenant file (its REST shapes, the shared contract). */
interface TenantView {
  arm: {
    resources: Record<
      string,
      {
        id: string;
        type: string;
        properties: { identityProviders?: { azureActiveDirectory?: { registration?: { clientId?: string } } } };
      }
    >;
  };
  graph: {
    servicePrincipals: Record<string, { appRoles?: { id: string }[] }>;
    appRoleAssignments: Record<string, unknown>;
  };
}

export const devDrift = step({
  name:
    "dev: drift behind Pulumi's back (an unknown principal's assignment, assignment required off, EasyAuth " +
    "AllowAnonymous): refresh and npm run drift report it, up puts it back; an object id in " +
    "allowedApplications gets 403",
  run: async ({ ws }) => {
    const callee = Object.values(
      (await outputs(ws, "dev")).callees as Record<
        string,
        { servicePrincipalObjectId: string; clientId: string; url: string; applicationIdUri: string }
      >,
    )[0]!;
    const sp = callee.servicePrincipalObjectId;
    const tenant = () => ws.tenant<TenantView>();
    const auth = Object.values(tenant().arm.resources).find(
      (r) =>
        r.type === "Microsoft.Web/sites/config" &&
        r.properties.identityProviders?.azureActiveDirectory?.registration?.clientId === callee.clientId,
    );
    assert(auth !== undefined, `no authsettingsV2 in the twin for client ${callee.clientId}`);
    const role = (tenant().graph.servicePrincipals[sp]!.appRoles ?? [])[0];
    assert(role !== undefined, `the callee's service principal ${sp} declares no app role`);
    // Three changes a person could make in the portal.
    const stranger = randomUUID();
    const grant = `drift-${randomUUID()}`;
    await ws.twin([
      "set",
      `graph.servicePrincipals.${stranger}`,
      JSON.stringify({
        id: stranger,
        appId: randomUUID(),
        displayName: "someone-elses-app",
        servicePrincipalType: "Application",
        appRoleAssignmentRequired: false,
        appRoles: [],
        oauth2PermissionScopes: [],
        tags: [],
        alternativeNames: [],
      }),
    ]);
    await ws.twin([
      "set",
      `graph.appRoleAssignments.${grant}`,
      JSON.stringify({
        id: grant,
        appRoleId: role.id,
        principalId: stranger,
        principalType: "ServicePrincipal",
        principalDisplayName: "someone-elses-app",
        resourceId: sp,
      }),
    ]);
    await ws.twin(["set", `graph.servicePrincipals.${sp}.appRoleAssignmentRequired`, "false"]);
    await ws.twin([
      "set",
      `arm.resources."${auth.id.toLowerCase()}".properties.globalValidation`,
      JSON.stringify({ requireAuthentication: false, unauthenticatedClientAction: "AllowAnonymous" }),
    ]);
    const audit = async () => {
      const file = join(ws.dir, ".drift-assignments.json");
      writeFileSync(file, JSON.stringify(Object.values(tenant().graph.appRoleAssignments)));
      return ws.run(
        process.execPath,
        [join(ws.dir, "tools", "drift", "cli.ts"), "--stack", "dev", "--assignments", file],
        {
          allowFailure: true,
        },
      );
    };
    const runtime = await startEntra(ws.env.S2S_TWIN_STATE!);
    try {
      const front = runtime.sites[siteFor(runtime, callee.url)!]!.url;
      const anonymous = async () => (await fetch(`${front}/`)).status;
      const during = await anonymous();
      assert(during === 200, `with AllowAnonymous the callee answered ${during} without a token`);

      const refreshed = await ws.pulumi("dev", ["refresh", "--yes", "--skip-preview", "--diff"]);
      assert(
        /appRoleAssignmentRequired\s*:\s*true\s*=>\s*false/.test(refreshed.stdout),
        `refresh did not show assignment required switched off:\n${refreshed.stdout}`,
      );
      assert(
        /unauthenticatedClientAction\s*:\s*"Return401"\s*=>\s*"AllowAnonymous"/.test(refreshed.stdout),
        `refresh did not show AllowAnonymous:\n${refreshed.stdout}`,
      );
      assert(!refreshed.stdout.includes(stranger), "refresh showed the unmanaged assignment (it cannot know it)");
      const drifted = await audit();
      assert(
        drifted.code === 1,
        `npm run drift exited ${drifted.code} on a drifted stack:\n${drifted.stdout}${drifted.stderr}`,
      );
      for (const expected of ["callee-sp-assignment-required", "callee-site-auth-required", grant]) {
        assert(drifted.stdout.includes(expected), `npm run drift did not report ${expected}:\n${drifted.stdout}`);
      }
      // The pack judges what the program proposes: after the refresh it proposes the fix, and passes.
      const preview = await ws.pulumi("dev", ["preview", "--diff", "--policy-pack", "policy"]);
      assert(
        /appRoleAssignmentRequired\s*:\s*false\s*=>\s*true/.test(preview.stdout),
        `preview does not put it back:\n${preview.stdout}`,
      );

      await ws.pulumi("dev", ["up", "--yes", "--skip-preview"]);
      const after = await anonymous();
      assert(after === 401, `after up the callee answered ${after} without a token`);
      await ws.pulumi("dev", ["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);

      // The twin checks what EasyAuth checks: allowedApplications holds client ids (appid/azp). With the
      // caller's object id there instead, the caller's valid token gets 403.
      const caller = Object.values(
        (await outputs(ws, "dev")).callers as Record<string, { url: string; principalId: string }>,
      )[0]!;
      const callerSite = siteFor(runtime, caller.url)!;
      const policyPath =
        `arm.resources."${auth.id.toLowerCase()}".properties.identityProviders.azureActiveDirectory` +
        `.validation.defaultAuthorizationPolicy.allowedApplications`;
      const allowed = (await ws.twin(["show", policyPath])).stdout;
      const asCaller = async () => {
        const token = String(
          (await managedIdentityToken(runtime, callerSite, callee.applicationIdUri)).body["access_token"] ?? "",
        );
        return (await fetch(`${front}/`, { headers: { authorization: `Bearer ${token}` } })).status;
      };
      const byClientId = await asCaller();
      await ws.twin(["set", policyPath, JSON.stringify([caller.principalId])]);
      const byObjectId = await asCaller();
      await ws.twin(["set", policyPath, allowed.trim()]);
      assert(
        byClientId === 200 && byObjectId === 403,
        `the caller got ${byClientId} with its client id allowed, ${byObjectId} with its object id there ` +
          `(want 200, 403)`,
      );

      const left = await audit();
      assert(
        left.code === 1 && left.stdout.includes(grant) && !left.stdout.includes("callee-sp-"),
        `after up npm run drift should list only the unmanaged assignment:\n${left.stdout}`,
      );
      // What the report tells a person to do: remove the assignment nobody declared.
      await ws.twin(["unset", `graph.appRoleAssignments.${grant}`]);
      await ws.twin(["unset", `graph.servicePrincipals.${stranger}`]);
      const clean = await audit();
      assert(clean.code === 0, `npm run drift still reports drift:\n${clean.stdout}`);
      return (
        `anonymous ${during} during drift, ${after} after up; the caller ${byClientId}, ${byObjectId} with ` +
        `its object id in allowedApplications; drift reported ${drifted.stdout.trim().split("\n").length} ` +
        `line(s), then only the unmanaged assignment, then none`
      );
    } finally {
      await runtime.stop();
    }
  },
});
