// npm run e2e: the real Pulumi CLI and engine run this project against the Azure twin, the way a
// platform team runs it against Azure: previews compared with the offline plan, `pulumi up` per
// environment, policy on previews, drift (and npm run drift), protect in prod, the smoke test through
// the twin's Entra ID and EasyAuth, destroy, review stacks, an interrupted update, a missing
// permission, and bootstrap/. Each step is timed and printed.
//
// Needs the CLI (`npm run pulumi:install`, or a released pulumi on PATH). Exit 0 when every step
// passed, 1 otherwise.
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEPLOYER_GRANTS } from "../bootstrap/permissions.ts";
import { defineCommand, EXIT_USAGE, readCommandLine, runAsCommand, stringOption } from "../tools/cli/args.ts";
import { ENVIRONMENT_POLICY } from "../policy/pack.ts";
import { environmentRules } from "../policy/rules/environment.ts";
import { managedIdentityToken, start as startEntra } from "@s2s-auth/twin/entra-runtime/client.ts";
import { comparePreviewToPlan, failures, type Difference, type PlanLikeDocument } from "./compare.ts";
import { objectsOf, type Tenant } from "./pending.ts";
import { SHIPPED_PEOPLE } from "./env.ts";
import { formatCases, siteFor, smokeStacks, type StackOutputs } from "./smoke.ts";
import { stepScript } from "./workflow.ts";
import { CommandError, Workspace } from "./workspace.ts";

const E2E = defineCommand({
  name: "e2e",
  command: "npm run e2e --",
  summary:
    "Runs the project under the real Pulumi CLI against the Azure twin, in a temporary copy, each step timed " +
    "(about 2 minutes).",
  usage: ["[--keep] [--json FILE]"],
  options: { keep: { type: "boolean" }, json: { type: "string" } },
  optionHelp: [
    "--keep              keep the temporary workspace (its path is printed) for a look afterwards",
    "--json FILE         also write each step's and each command's time (npm run bench:engine reads it)",
  ],
  exitCodes: [
    [0, "every step passed"],
    [1, "a step failed (its output tail on stderr)"],
    [EXIT_USAGE, "wrong command line"],
  ],
  examples: ["npm run e2e -- --keep"],
});

interface StepResult {
  name: string;
  seconds: number;
  ok: boolean;
  detail: string;
}

function parse(): { keep: boolean; json?: string } {
  const parsed = readCommandLine(E2E, process.argv.slice(2));
  return { keep: parsed.values["keep"] === true, json: stringOption(parsed.values, "json") };
}

const results: StepResult[] = [];

/** Runs one step, timing it; a failed step ends the run (later steps build on earlier ones). */
async function step(name: string, body: () => Promise<string | undefined>): Promise<void> {
  process.stderr.write(`e2e ▶ ${name}\n`);
  const started = performance.now();
  try {
    const detail = (await body()) ?? "";
    const seconds = (performance.now() - started) / 1000;
    results.push({ name, seconds, ok: true, detail });
    process.stderr.write(`e2e ✔ ${name} (${seconds.toFixed(1)} s)${detail ? `: ${detail}` : ""}\n`);
  } catch (error) {
    const seconds = (performance.now() - started) / 1000;
    const detail = error instanceof Error ? error.message : String(error);
    results.push({ name, seconds, ok: false, detail });
    process.stderr.write(`e2e ✘ ${name} (${seconds.toFixed(1)} s)\n${detail}\n`);
    throw new StepFailed();
  }
}
class StepFailed extends Error {}

/** Runs lanes of steps side by side; once all have ended, fails if one did (its step was reported). */
async function lanes(...bodies: (() => Promise<void>)[]): Promise<void> {
  const ended = await Promise.allSettled(bodies.map((body) => body()));
  const failed = ended.find((e): e is PromiseRejectedResult => e.status === "rejected");
  if (failed) throw failed.reason;
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function describe(d: Difference): string {
  const where = d.path ? ` ${d.path}` : "";
  return `${d.kind} ${d.urn}${where}: plan ${JSON.stringify(d.plan)} vs preview ${JSON.stringify(d.preview)}`;
}

async function main(): Promise<number> {
  const options = parse();
  const started = performance.now();
  const ws = Workspace.create();
  process.stderr.write(`e2e: workspace ${ws.dir}\n`);
  const version = await ws.run("pulumi", ["version"]);
  process.stderr.write(`e2e: pulumi ${version.stdout.trim()}\n`);
  try {
    await scenario(ws);
  } catch (error) {
    if (!(error instanceof StepFailed)) {
      process.stderr.write(`e2e: ${error instanceof CommandError ? error.message : String(error)}\n`);
      results.push({ name: "(outside a step)", seconds: 0, ok: false, detail: String(error) });
    }
  } finally {
    if (options.keep) process.stderr.write(`e2e: kept ${ws.dir}\n`);
    else ws.remove();
  }
  const total = (performance.now() - started) / 1000;
  process.stdout.write(`\n${"step".padEnd(72)} ${"time".padStart(7)}  result\n`);
  for (const r of results)
    process.stdout.write(`${r.name.padEnd(72)} ${r.seconds.toFixed(1).padStart(6)}s  ${r.ok ? "ok" : "FAILED"}\n`);
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(`${"total".padEnd(72)} ${total.toFixed(1).padStart(6)}s\n`);
  process.stdout.write(`e2e: ${results.length - failed} passed, ${failed} failed\n`);
  if (options.json)
    writeFileSync(
      resolve(process.env["INIT_CWD"] ?? process.cwd(), options.json),
      `${JSON.stringify({ totalSeconds: total, steps: results, commands: ws.commands }, null, 2)}\n`,
    );
  return failed === 0 ? 0 : 1;
}

/**
 * How the CLI shows a type token: `azuread:index/appRoleAssignment:AppRoleAssignment` →
 * `azuread:index:AppRoleAssignment`.
 */
function displayType(token: string): string {
  const [pkg, module, name] = token.split(":");
  return name === undefined ? token : `${pkg}:${module!.split("/")[0]}:${name}`;
}

/** Stack outputs as JSON. */
async function outputs(ws: Workspace, stack: string): Promise<Record<string, unknown>> {
  return JSON.parse((await ws.pulumi(stack, ["stack", "output", "--json", "--show-secrets"])).stdout) as Record<
    string,
    unknown
  >;
}

/** What the twin holds that no tenant starts with: ARM resources by type, Graph objects, soft-deleted. */
interface Remains {
  arm: { total: number; byType: Record<string, number> };
  graph: Record<string, number>;
  softDeleted: Record<string, number>;
}
async function remains(ws: Workspace): Promise<Remains> {
  return JSON.parse((await ws.twin(["count"])).stdout) as Remains;
}
const total = (r: Remains): number => r.arm.total + Object.values(r.graph).reduce((a, b) => a + b, 0);

// Ids of scopes made outside any stack (README, "Zero to dev", step 1): another subscription for
// prod and one for the state, with the state container and the secrets key.
const PROD_SUBSCRIPTION = "5e2e0000-0000-4000-8000-0000000000f2";
const STATE_SUBSCRIPTION = "5e2e0000-0000-4000-8000-0000000000f3";
const STATE_GROUP = `/subscriptions/${STATE_SUBSCRIPTION}/resourceGroups/pulumi-state`;
const STATE_ACCOUNT = `${STATE_GROUP}/providers/Microsoft.Storage/storageAccounts/e2estate`;
const STATE_CONTAINER = `${STATE_ACCOUNT}/blobServices/default/containers/pulumi-state`;
const SECRETS_KEY = `${STATE_GROUP}/providers/Microsoft.KeyVault/vaults/e2e-pulumi/keys/state`;

/**
 * bootstrap/ run by an admin (the twin's all-powerful default deployer), as the README's zero-to-dev
 * path says. Returns the service principal of the deploy-dev identity it created.
 */
async function bootstrap(ws: Workspace): Promise<{ deployDev: string; admin: string }> {
  const admin = (await ws.twin(["show", "deployer"])).stdout;
  const subscription = JSON.parse((await ws.twin(["show", "subscriptionId"])).stdout) as string;
  const b = { project: "bootstrap" };
  await ws.run("pulumi", ["--cwd", "bootstrap", "stack", "init", "pipeline", "--non-interactive"]);
  const config: [string, string][] = [
    ["repository", "s2s-auth-e2e/s2s-auth"],
    ["subscriptions.dev", subscription],
    ["subscriptions.prod", PROD_SUBSCRIPTION],
    ["stateContainerId", STATE_CONTAINER],
    ["secretsKeyId", SECRETS_KEY],
  ];
  for (const [key, value] of config)
    await ws.pulumi("pipeline", ["config", "set", "--path", `s2s-auth-bootstrap:${key}`, value], b);
  await ws.pulumi("pipeline", ["up", "--yes", "--skip-preview"], b);
  await ws.pulumi("pipeline", ["preview", "--expect-no-changes", "--policy-pack", "../policy"], b);
  const out = JSON.parse((await ws.pulumi("pipeline", ["stack", "output", "--json"], b)).stdout) as {
    environmentVariables: Record<string, { AZURE_DEPLOY_CLIENT_ID: string }>;
  };
  const clientId = out.environmentVariables["dev"]!.AZURE_DEPLOY_CLIENT_ID;
  const deployDev = (await ws.twin(["find", "servicePrincipals", "appId", clientId])).stdout.trim();
  check(/^[0-9a-f-]{36}$/.test(deployDev), `no service principal for deploy-dev's client id ${clientId}`);
  return { deployDev, admin };
}

/** What the drift step reads from the twin's tenant file (its REST shapes, the shared contract). */
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

/** The steps, in the order a team meets them. */
async function scenario(ws: Workspace): Promise<void> {
  let identities: { deployDev: string; admin: string } | undefined;
  await ws.twin(["add-resource", `/subscriptions/${PROD_SUBSCRIPTION}`, "Microsoft.Resources/subscriptions"]);
  await ws.twin(["add-resource", STATE_CONTAINER, "Microsoft.Storage/storageAccounts/blobServices/containers"]);
  await ws.twin(["add-resource", SECRETS_KEY, "Microsoft.KeyVault/vaults/keys"]);
  const beforeBootstrap = await remains(ws);
  await step(
    "bootstrap: an admin's pulumi up creates the pipeline's identities; preview then finds no changes",
    async () => {
      identities = await bootstrap(ws);
      const held = JSON.parse((await ws.twin(["deployer", "--as", identities.deployDev])).stdout) as {
        azureRoles: { role: string }[];
        graphAppRoles: string[];
      };
      return (
        `the stacks now deploy as deploy-dev: ${held.azureRoles.map((r) => r.role).join(", ")}; Graph ` +
        `${held.graphAppRoles.join(", ")}`
      );
    },
  );
  const asAdmin = { S2S_TWIN_DEPLOYER: identities!.admin };
  const afterBootstrap = await remains(ws);

  // The twin has one subscription, where deploy-dev is Contributor: prod runs as the admin there,
  // as it would run as deploy-prod in its own subscription.
  const envOf = (stack: string) => (stack === "prod" ? asAdmin : {});
  for (const stack of ["dev", "test", "prod"]) await ws.run("pulumi", ["stack", "init", stack, "--non-interactive"]);

  // One preview per stack does both: its JSON is compared with the plan, and the pack must pass it.
  const previewed = (stack: string) =>
    step(`${stack}: pulumi preview --json --policy-pack policy passes and matches npm run plan --json`, async () => {
      const [preview, plan] = await Promise.all([
        ws.pulumi(stack, ["preview", "--json", "--policy-pack", "policy"], { env: envOf(stack) }),
        ws.plan(stack),
      ]);
      const differences = comparePreviewToPlan(
        JSON.parse(preview.stdout) as PlanLikeDocument,
        plan as PlanLikeDocument,
      );
      const bad = failures(differences);
      check(bad.length === 0, `${bad.length} difference(s):\n${bad.map(describe).join("\n")}`);
      const added = [...new Set(differences.filter((d) => d.kind === "provider-added").map((d) => d.path))];
      return (
        `${(plan as PlanLikeDocument).steps.length} resources agree; inputs only the provider adds: ` +
        `${added.join(", ") || "none"}`
      );
    });

  // The same preview must fail when the pack finds a mandatory violation: the dev stack judged as a test
  // stack breaks the env-* rules (its developer access is dev-only). With --json the engine still fails
  // the preview ("preview failed") but leaves the policy report out of the JSON (pulumi/pulumi#20232),
  // so the text preview is what names the rule.
  const judgedAsTest = () =>
    step(
      "dev judged as test by the pack: pulumi preview fails, with --json too, on env-no-preauthorized-clients",
      async () => {
        const config = join(ws.dir, ".policy-as-test.json");
        // Every policy that reads the environment, so a renamed or new one is judged as test too.
        const judged = [ENVIRONMENT_POLICY, ...environmentRules.map((rule) => rule.id)];
        writeFileSync(config, JSON.stringify(Object.fromEntries(judged.map((id) => [id, { environment: "test" }]))));
        const preview = (json: string[]) =>
          ws.pulumi("dev", ["preview", ...json, "--policy-pack", "policy", "--policy-pack-config", config], {
            allowFailure: true,
          });
        const asJson = await preview(["--json"]);
        check(asJson.code !== 0, `the --json preview passed:\n${asJson.stdout.slice(-2000)}`);
        check(asJson.stdout.includes("preview failed"), `no "preview failed" in:\n${asJson.stdout.slice(-2000)}`);
        const asText = await preview([]);
        const text = asText.stdout + asText.stderr;
        check(asText.code !== 0, `the text preview passed:\n${text.slice(-2000)}`);
        check(
          text.includes("env-no-preauthorized-clients"),
          `no env-no-preauthorized-clients in:\n${text.slice(-2000)}`,
        );
        return `both exit non-zero (${asJson.code}, ${asText.code}); the text names env-no-preauthorized-clients`;
      },
    );

  const devUp = () =>
    step("dev: pulumi up converges (then preview and refresh find no changes)", async () => {
      await ws.pulumi("dev", ["up", "--yes", "--skip-preview"]);
      await ws.pulumi("dev", ["preview", "--expect-no-changes"]);
      await ws.pulumi("dev", ["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
    });

  const drift = () =>
    step(
      "dev: drift behind Pulumi's back (an unknown principal's assignment, assignment required off, EasyAuth " +
        "AllowAnonymous): refresh and npm run drift report it, up puts it back; an object id in " +
        "allowedApplications gets 403",
      async () => {
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
        check(auth !== undefined, `no authsettingsV2 in the twin for client ${callee.clientId}`);
        const role = (tenant().graph.servicePrincipals[sp]!.appRoles ?? [])[0];
        check(role !== undefined, `the callee's service principal ${sp} declares no app role`);
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
          check(during === 200, `with AllowAnonymous the callee answered ${during} without a token`);

          const refreshed = await ws.pulumi("dev", ["refresh", "--yes", "--skip-preview", "--diff"]);
          check(
            /appRoleAssignmentRequired\s*:\s*true\s*=>\s*false/.test(refreshed.stdout),
            `refresh did not show assignment required switched off:\n${refreshed.stdout}`,
          );
          check(
            /unauthenticatedClientAction\s*:\s*"Return401"\s*=>\s*"AllowAnonymous"/.test(refreshed.stdout),
            `refresh did not show AllowAnonymous:\n${refreshed.stdout}`,
          );
          check(!refreshed.stdout.includes(stranger), "refresh showed the unmanaged assignment (it cannot know it)");
          const drifted = await audit();
          check(
            drifted.code === 1,
            `npm run drift exited ${drifted.code} on a drifted stack:\n${drifted.stdout}${drifted.stderr}`,
          );
          for (const expected of ["callee-sp-assignment-required", "callee-site-auth-required", grant]) {
            check(drifted.stdout.includes(expected), `npm run drift did not report ${expected}:\n${drifted.stdout}`);
          }
          // The pack judges what the program proposes: after the refresh it proposes the fix, and passes.
          const preview = await ws.pulumi("dev", ["preview", "--diff", "--policy-pack", "policy"]);
          check(
            /appRoleAssignmentRequired\s*:\s*false\s*=>\s*true/.test(preview.stdout),
            `preview does not put it back:\n${preview.stdout}`,
          );

          await ws.pulumi("dev", ["up", "--yes", "--skip-preview"]);
          const after = await anonymous();
          check(after === 401, `after up the callee answered ${after} without a token`);
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
          check(
            byClientId === 200 && byObjectId === 403,
            `the caller got ${byClientId} with its client id allowed, ${byObjectId} with its object id there ` +
              `(want 200, 403)`,
          );

          const left = await audit();
          check(
            left.code === 1 && left.stdout.includes(grant) && !left.stdout.includes("callee-sp-"),
            `after up npm run drift should list only the unmanaged assignment:\n${left.stdout}`,
          );
          // What the report tells a person to do: remove the assignment nobody declared.
          await ws.twin(["unset", `graph.appRoleAssignments.${grant}`]);
          await ws.twin(["unset", `graph.servicePrincipals.${stranger}`]);
          const clean = await audit();
          check(clean.code === 0, `npm run drift still reports drift:\n${clean.stdout}`);
          return (
            `anonymous ${during} during drift, ${after} after up; the caller ${byClientId}, ${byObjectId} with ` +
            `its object id in allowedApplications; drift reported ${drifted.stdout.trim().split("\n").length} ` +
            `line(s), then only the unmanaged assignment, then none`
          );
        } finally {
          await runtime.stop();
        }
      },
    );

  const prodProtected = () =>
    step("prod: pulumi up, then pulumi destroy is refused by protect and deletes nothing", async () => {
      await ws.pulumi("prod", ["up", "--yes", "--skip-preview"], { env: asAdmin });
      // What prod's state names, in the twin: other stacks deploy side by side, so the twin's totals move.
      const held = async () =>
        objectsOf((await ws.exportStack("prod")).deployment?.resources ?? [], ws.tenant<Tenant>());
      const before = await held();
      const present = (): number => {
        const t = ws.tenant<Tenant>();
        const ids = new Set([
          ...Object.keys(t.arm.resources),
          ...Object.keys(t.graph.applications),
          ...Object.keys(t.graph.servicePrincipals),
          ...Object.keys(t.graph.appRoleAssignments),
        ]);
        return [...before].filter((id) => ids.has(id)).length;
      };
      check(
        before.size > 0 && present() === before.size,
        `prod's state names ${before.size} objects, ${present()} in the twin`,
      );
      const destroy = await ws.pulumi("prod", ["destroy", "--yes", "--skip-preview"], {
        env: asAdmin,
        allowFailure: true,
      });
      check(destroy.code !== 0, "destroy of prod succeeded");
      check(
        /protect/i.test(destroy.stdout + destroy.stderr),
        `destroy failed, but not because of protect:\n${destroy.stdout}${destroy.stderr}`,
      );
      const after = present();
      check(after === before.size, `destroy deleted something: ${before.size} objects of prod before, ${after} after`);
      return `refused; all ${after} objects of prod still in the twin`;
    });

  const testUp = () =>
    step("test: pulumi up converges", async () => {
      await ws.pulumi("test", ["up", "--yes", "--skip-preview"]);
      await ws.pulumi("test", ["preview", "--expect-no-changes"]);
    });

  const smoke = () =>
    step("smoke: npm run smoke against dev, test and prod through the twin's Entra ID and EasyAuth", async () => {
      const stacks = await Promise.all(
        (["dev", "test", "prod"] as const).map(async (stack) => ({
          stack,
          outputs: (await outputs(ws, stack)) as unknown as StackOutputs,
          developerAllowed: stack === "dev",
        })),
      );
      const cases = await smokeStacks(ws, stacks, SHIPPED_PEOPLE.users[0]!);
      process.stderr.write(`${formatCases(cases)}\n`);
      const failed = cases.filter((c) => !c.ok);
      check(cases.length > 0, "no smoke case ran");
      check(failed.length === 0, `${failed.length} case(s) broke the promise:\n${formatCases(failed)}`);
      return `${cases.length} cases, each as the seed promises`;
    });

  const review = () =>
    step("review stack: review-stacks.yml's own scripts create, update and destroy dev-pr-7", async () => {
      const stack = "dev-pr-7";
      const workflow = join(ws.dir, ".github", "workflows", "review-stacks.yml");
      const summary = join(ws.dir, ".review-summary.md");
      const env = { STACK: stack, PULUMI_SECRETS_PROVIDER: "passphrase", GITHUB_STEP_SUMMARY: summary };
      await ws.run(
        "bash",
        [
          "-euo",
          "pipefail",
          "-c",
          stepScript(workflow, "Create or select the review stack, config from dev, pulumi up"),
        ],
        { env },
      );
      await ws.run("bash", ["tools/scripts/destroy-review-stacks.sh", stack], { env });
      const stacks = JSON.parse((await ws.run("pulumi", ["stack", "ls", "--json"])).stdout) as { name: string }[];
      check(!stacks.some((s) => s.name === stack), `${stack} is still listed after the destroy script`);
      return readFileSync(summary, "utf8").trim();
    });

  const interrupted = () =>
    step("interrupted: pulumi up stopped midway (SIGINT) and run again converges, no duplicate", async () => {
      const stack = "dev-pr-8";
      await ws.run("pulumi", ["stack", "init", stack, "--non-interactive"]);
      await ws.run("pulumi", ["config", "cp", "--stack", "dev", "--dest", stack]);
      const child = ws.start("pulumi", [
        "up",
        "--yes",
        "--skip-preview",
        "--stack",
        stack,
        "--non-interactive",
        "--color",
        "never",
      ]);
      let created = 0;
      let interrupted = false;
      child.stdout!.on("data", (d: Buffer) => {
        created += (d.toString().match(/ created /g) ?? []).length;
        if (created >= 8 && !interrupted) {
          interrupted = true;
          child.kill("SIGINT");
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      check(interrupted, "pulumi up finished before it could be interrupted");
      check(code !== 0, "the interrupted pulumi up exited 0");
      await ws.pulumi(stack, ["up", "--yes", "--skip-preview"]);
      await ws.pulumi(stack, ["preview", "--expect-no-changes"]);
      const apps = (await ws.twin(["find", "applications", "displayName", `the-callee-${stack}`])).stdout
        .trim()
        .split("\n")
        .filter(Boolean);
      check(apps.length === 1, `${apps.length} applications named the-callee-${stack} in the twin`);
      await ws.pulumi(stack, ["destroy", "--yes", "--skip-preview", "--remove"]);
      return `stopped after ${created} creates (exit ${code}); the second up converged`;
    });

  const missingPermission = () =>
    step("missing permission: pulumi up fails at once, naming what is missing", async () => {
      const stack = "dev-pr-9";
      await ws.run("pulumi", ["stack", "init", stack, "--non-interactive"]);
      await ws.run("pulumi", ["config", "cp", "--stack", "dev", "--dest", stack]);
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
      check(up.code !== 0, "pulumi up succeeded without AppRoleAssignment.ReadWrite.All");
      const output = up.stdout + up.stderr;
      check(
        /Authorization_RequestDenied|Insufficient privileges/.test(output),
        `the failure does not say what is missing:\n${output.slice(-3000)}`,
      );
      // Graph's 403 does not name the permission; the resource that failed does, through the
      // README's permission table (bootstrap/permissions.ts): it must be one the list says needs it.
      const needing = DEPLOYER_GRANTS.filter((g) => withheld.includes(g.permission.name)).flatMap((g) => g.neededBy);
      const lines = output.split("\n");
      const failed = needing.filter((token) =>
        lines.some((l) => l.includes(`${displayType(token)} `) && /\b(failed|error)\b/.test(l)),
      );
      check(
        failed.length > 0,
        `the failure is on no resource that bootstrap/permissions.ts says needs ` +
          `${withheld.join(", ")}:\n${output.slice(-3000)}`,
      );
      await ws.pulumi(stack, ["destroy", "--yes", "--skip-preview", "--remove"]);
      return (
        `failed after ${seconds.toFixed(1)} s with Graph's Authorization_RequestDenied on ` +
        `${failed.map(displayType).join(", ")}, which the permission table lists under ${withheld.join(", ")}`
      );
    });

  const destroyStacks = () =>
    step("dev, test and prod: destroy leaves nothing of the stacks in the twin, then stack rm", async () => {
      await ws.pulumi("prod", ["state", "unprotect", "--all", "--yes"]);
      await Promise.all(
        ["dev", "test", "prod"].map((stack) =>
          ws.pulumi(stack, ["destroy", "--yes", "--skip-preview", "--remove"], { env: envOf(stack) }),
        ),
      );
      const left = await remains(ws);
      check(
        total(left) === total(afterBootstrap),
        `left in the twin beyond bootstrap's identities: ${JSON.stringify(left)}`,
      );
      return (
        `only bootstrap's ${total(afterBootstrap)} objects left; soft-deleted Entra objects: ` +
        `${JSON.stringify(left.softDeleted)}`
      );
    });

  const destroyBootstrap = () =>
    step("bootstrap: pulumi destroy (after unprotect) leaves only what existed before it", async () => {
      // The admin takes over again: deploy-dev is about to be deleted.
      await ws.twin(["deployer", identities!.admin]);
      const b = { project: "bootstrap" };
      await ws.pulumi("pipeline", ["state", "unprotect", "--all", "--yes"], b);
      await ws.pulumi("pipeline", ["destroy", "--yes", "--skip-preview", "--remove"], b);
      const left = await remains(ws);
      check(total(left) === total(beforeBootstrap), `left in the twin: ${JSON.stringify(left)}`);
      return `back to the ${total(left)} scopes seeded outside the stacks`;
    });

  // Stacks that share nothing go side by side (their own stack, their own objects in the tenant); a
  // step that needs another's result waits for it. The totals of the twin are compared only when
  // nothing else runs (before the lanes and after the destroys).
  await lanes(
    async () => {
      await previewed("dev");
      await judgedAsTest();
      await devUp();
      await drift();
    },
    async () => {
      await previewed("prod");
      await prodProtected();
    },
    testUp,
  );
  await lanes(smoke, review, interrupted, missingPermission);
  await destroyStacks();
  await destroyBootstrap();
}

runAsCommand(main);
