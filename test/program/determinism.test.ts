// Re-running the program with the same config must declare exactly the same stack: the same
// names, ids and inputs, byte for byte. Nothing from the clock, randomness, the environment
// or the working directory may reach a name or an id, or a re-run would replace resources.
import FakeTimers from "@sinonjs/fake-timers";
import { tmpdir } from "node:os";
import { isMainThread } from "node:worker_threads";
import { DEV_SCOPE } from "../../model/index.ts";
import { stableGuid } from "../../components/stableId.ts";
import { baseConfig, richDevConfig, runProgram, type ProgramRun } from "../fixtures/index.ts";

/** Everything a run declares and exports, as one string. */
function transcript(run: ProgramRun): string {
  return JSON.stringify({ resources: run.resources, outputs: run.outputs });
}

/** Runs `body` with another clock, time zone, working directory and environment. */
async function elsewhere<T>(body: () => Promise<T>): Promise<T> {
  const env = { ...process.env };
  const cwd = process.cwd();
  // Only Date is faked: Pulumi's runtime needs real timers and microtasks.
  const clock = FakeTimers.install({ now: new Date("2099-12-31T23:59:59.999Z"), toFake: ["Date"] });
  Object.assign(process.env, {
    TZ: "Pacific/Kiritimati",
    USER: "someone-else",
    HOSTNAME: "another-machine",
    AZURE_TENANT_ID: "99999999-9999-9999-9999-999999999999",
    ARM_SUBSCRIPTION_ID: "88888888-8888-8888-8888-888888888888",
  });
  // Test workers are threads, which cannot change directory; a run in band (jest -i) is in the
  // main thread, which can.
  const chdir = isMainThread ? (dir: string) => process.chdir(dir) : () => {};
  chdir(tmpdir());
  try {
    return await body();
  } finally {
    chdir(cwd);
    process.env = env;
    clock.uninstall();
  }
}

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("determinism", () => {
  test.each([
    ["dev", richDevConfig()],
    ["prod", baseConfig("prod")],
  ])(
    "two runs of the %s stack, one on another clock, zone, directory and environment, declare the same bytes",
    async (stack, config) => {
      const first = await runProgram(stack, config);
      const second = await elsewhere(() => runProgram(stack, config));
      expect(first.resources.length).toBeGreaterThan(10);
      expect(transcript(second)).toBe(transcript(first));
    },
  );

  test("the clock really was moved for the second run", async () => {
    // Guards the test above: were Date not faked, "same bytes" would prove less.
    expect(await elsewhere(async () => new Date().getUTCFullYear())).toBe(2099);
    expect(new Date().getUTCFullYear()).toBeLessThan(2099);
  });

  test("every role and scope id is a name-based UUID of its callee and value", async () => {
    const run = await runProgram("dev", richDevConfig());
    const apps = run.ofType("azuread:index/application:Application");
    expect(apps.map((a) => a.name).sort()).toEqual(["billing-api-app", "orders-api-app"]);
    const roleIds = new Set<string>();
    for (const app of apps) {
      const callee = app.name.replace(/-app$/, "");
      const roles = app.inputs["appRoles"] as { id: string; value: string }[];
      for (const role of roles) {
        expect(role.id).toMatch(UUID_V5);
        expect(role.id).toBe(stableGuid(callee, "app-role", role.value));
        roleIds.add(role.id);
      }
      const scopes = (app.inputs["api"] as { oauth2PermissionScopes: { id: string; value: string }[] })
        .oauth2PermissionScopes;
      expect(scopes.map((s) => s.id)).toEqual([stableGuid(callee, "scope", DEV_SCOPE)]);
    }
    const assignments = run.ofType("azuread:index/appRoleAssignment:AppRoleAssignment");
    expect(assignments.length).toBe(3 + 2 * 3); // three calls, three developers on each of two callees
    for (const a of assignments) expect(roleIds.has(a.inputs["appRoleId"] as string)).toBe(true);
  });
});
