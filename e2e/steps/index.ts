// The steps of npm run e2e, in the order a team meets them: the plan e2e/run.ts runs. A step is a
// file of this folder (its name, what it needs of earlier steps, its body); adding one is that file
// and a line here. Steps on stacks that share nothing (their own stack, their own objects in the
// tenant) go side by side in lanes; a step that needs another's result or the twin's totals comes
// after it, outside the lanes.
import { lanes, type Plan } from "../runner.ts";
import type { Workspace } from "../workspace.ts";
import { adoptHandMade } from "./adopt.ts";
import { bootstrapDestroy, bootstrapUp, seedScopes } from "./bootstrap.ts";
import type { Context } from "./context.ts";
import { remains, total } from "./context.ts";
import { devUp, testUp } from "./converge.ts";
import { demo } from "./demo.ts";
import { destroyStacks } from "./destroyStacks.ts";
import { devbox } from "./devbox.ts";
import { devDrift } from "./drift.ts";
import { hostChange } from "./hostChange.ts";
import { interrupted } from "./interrupted.ts";
import { devJudgedAsTest } from "./judgedAsTest.ts";
import { missingPermission } from "./missingPermission.ts";
import { previewMatchesPlan } from "./preview.ts";
import { prodProtected } from "./prodProtected.ts";
import { reuseApp } from "./reuse.ts";
import { reviewStack } from "./reviewStack.ts";
import { singleTenantPlan } from "./singleTenantPlan.ts";
import { smoke } from "./smoke.ts";
import { stateKey } from "./stateKey.ts";
import { stateReach } from "./stateReach.ts";
import { tenantBoundary } from "./tenantBoundary.ts";

export const PLAN: Plan<Context> = [
  bootstrapUp,
  lanes(
    [previewMatchesPlan("dev"), devJudgedAsTest, devUp, devDrift],
    [previewMatchesPlan("prod"), prodProtected],
    [testUp],
    // Issue 22's trust zones: the prod tenant's boundary (needs prod's config), each zone's state and key.
    [tenantBoundary, stateReach, stateKey, singleTenantPlan],
  ),
  lanes(
    [smoke],
    [devbox],
    [reviewStack],
    [interrupted],
    [missingPermission],
    [hostChange],
    [demo],
    [reuseApp, adoptHandMade],
  ),
  destroyStacks,
  bootstrapDestroy,
];

/**
 * What comes before the first step, untimed: the scopes made outside any stack, what the twin then
 * holds (all the last step may leave), and the three stacks.
 */
export async function prepare(ws: Workspace, io: Context["io"]): Promise<Context> {
  await seedScopes(ws);
  const seeded = total(await remains(ws));
  for (const stack of ["dev", "test", "prod"]) await ws.run("pulumi", ["stack", "init", stack, "--non-interactive"]);
  return { ws, io, seeded };
}
