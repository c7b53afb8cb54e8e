// prod deployed, then `pulumi destroy` refused: prod's components are protected (index.ts), and the
// refusal must come before anything is deleted.
import assert from "node:assert/strict";
import { objectsOf, type Tenant } from "../pending.ts";
import { stackEnv, step } from "./context.ts";

export const prodProtected = step({
  name: "prod: pulumi up, then pulumi destroy is refused by protect and deletes nothing",
  needs: ["bootstrap"],
  run: async ({ ws, bootstrap }) => {
    const env = stackEnv(bootstrap, "prod");
    // prod's objects are in the prod tenant.
    const tenant = () => ws.tenant<Tenant>(bootstrap.prodTenant);
    await ws.pulumi("prod", ["up", "--yes", "--skip-preview"], { env });
    // What prod's state names, in the twin: other stacks deploy side by side, so the twin's totals move.
    const held = async () => objectsOf((await ws.exportStack("prod")).deployment?.resources ?? [], tenant());
    const before = await held();
    const present = (): number => {
      const t = tenant();
      const ids = new Set([
        ...Object.keys(t.arm.resources),
        ...Object.keys(t.graph.applications),
        ...Object.keys(t.graph.servicePrincipals),
        ...Object.keys(t.graph.appRoleAssignments),
      ]);
      return [...before].filter((id) => ids.has(id)).length;
    };
    assert(
      before.size > 0 && present() === before.size,
      `prod's state names ${before.size} objects, ${present()} in the twin`,
    );
    const destroy = await ws.pulumi("prod", ["destroy", "--yes", "--skip-preview"], {
      env,
      allowFailure: true,
    });
    assert(destroy.code !== 0, "destroy of prod succeeded");
    assert(
      /protect/i.test(destroy.stdout + destroy.stderr),
      `destroy failed, but not because of protect:\n${destroy.stdout}${destroy.stderr}`,
    );
    const after = present();
    assert(after === before.size, `destroy deleted something: ${before.size} objects of prod before, ${after} after`);
    return `refused; all ${after} objects of prod still in the twin`;
  },
});
