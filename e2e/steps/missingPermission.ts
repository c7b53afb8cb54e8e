// A deployer without one of deploy-dev's Graph permissions: `pulumi up` must fail at once, on a
// resource that bootstrap/permissions.ts says needs the permission withheld.
import assert from "node:assert/strict";
import { DEPLOYER_GRANTS } from "../../bootstrap/permissions.ts";
import { copyOfDev, step } from "./context.ts";

/**
 * How the CLI shows a type token: `azuread:index/appRoleAssignment:AppRoleAssignment` →
 * `azuread:index:AppRoleAssignment`.
 */
function displayType(token: string): string {
  const [pkg, module, name] = token.split(":");
  return name === undefined ? token : `${pkg}:${module!.split("/")[0]}:${name}`;
}

export const missingPermission = step({
  name: "missing permission: pulumi up fails at once, naming what is missing",
  run: async ({ ws }) => {
    const stack = "dev-pr-9";
    await copyOfDev(ws, stack);
    const held = JSON.parse((await ws.twin(["show", "deployer.graphAppRoles"])).stdout) as string[];
    // deploy-dev's permissions, less the one the grants need (Learn, "Grant an appRoleAssignment").
    const withheld = ["AppRoleAssignment.ReadWrite.All"];
    const deployer = JSON.stringify({ graphAppRoles: held.filter((p) => !withheld.includes(p)) });
    const started = performance.now();
    const up = await ws.pulumi(stack, ["up", "--yes", "--skip-preview"], {
      env: { S2S_TWIN_DEPLOYER: deployer },
      allowFailure: true,
    });
    const seconds = (performance.now() - started) / 1000;
    assert(up.code !== 0, "pulumi up succeeded without AppRoleAssignment.ReadWrite.All");
    const output = up.stdout + up.stderr;
    assert(
      /Authorization_RequestDenied|Insufficient privileges/.test(output),
      `the failure does not say what is missing:\n${output.slice(-3000)}`,
    );
    // Graph's 403 does not name the permission; the resource that failed does, through the
    // docs/deploying.md's permission table (bootstrap/permissions.ts): it must be one the list says needs it.
    const needing = DEPLOYER_GRANTS.filter((g) => withheld.includes(g.permission.name)).flatMap((g) => g.neededBy);
    const lines = output.split("\n");
    const failed = needing.filter((token) =>
      lines.some((l) => l.includes(`${displayType(token)} `) && /\b(failed|error)\b/.test(l)),
    );
    assert(
      failed.length > 0,
      `the failure is on no resource that bootstrap/permissions.ts says needs ` +
        `${withheld.join(", ")}:\n${output.slice(-3000)}`,
    );
    await ws.pulumi(stack, ["destroy", "--yes", "--skip-preview", "--remove"]);
    return (
      `failed after ${seconds.toFixed(1)} s with Graph's Authorization_RequestDenied on ` +
      `${failed.map(displayType).join(", ")}, which the permission table lists under ${withheld.join(", ")}`
    );
  },
});
