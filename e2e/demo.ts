// npm run demo: from a fresh clone (after `npm ci`) to the seed's moment, "the token is issued and
// accepted by the callee", in one command. It finds or builds the Pulumi CLI
// (tools/scripts/pulumi-install.sh, with its progress lines), creates the twin's tenant under .twin/ and
// starts its Entra runtime in the background, deploys dev with the policy pack, calls each callee as
// its caller's managed identity, as a developer through the Azure CLI, as a user not assigned and
// without a token, and prints what happened and how to go on by hand. The stack and the runtime stay
// up; `npm run demo -- --down` destroys the stack (its Pulumi.dev.yaml kept) and stops the runtime.
//
// It runs in the project itself (e2e/workspace.ts's Workspace.ofProject), with the environment
// `npm run -s twin:env` prints (e2e/env.ts), so every command it shows works by hand afterwards.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import {
  currentAddresses,
  managedIdentityToken,
  startInBackground,
  stopInBackground,
  type Addresses,
  type BackgroundFiles,
} from "@s2s-auth/twin/entra-runtime/client.ts";
import { defineCommand, EXIT_USAGE, readCommandLine, runAsCommand, runCli, type CliIo } from "../tools/cli/args.ts";
import { entraFiles, ROOT, SHIPPED_PEOPLE } from "./env.ts";
import { calleesGrantedTo, refusalCode, siteFor, type Assignment, type StackOutputs } from "./smoke.ts";
import { Workspace } from "./workspace.ts";

const DEMO = defineCommand({
  name: "demo",
  command: "npm run demo --",
  summary:
    "From a fresh clone to the first authorised call: builds or finds the Pulumi CLI, starts the Azure twin, " +
    "deploys dev with the policy pack and calls its callee four ways (seconds once the CLI is built).",
  usage: ["", "--down"],
  options: { down: { type: "boolean" } },
  optionHelp: ["--down              destroy the dev stack (its Pulumi.dev.yaml kept) and stop the twin's runtime"],
  exitCodes: [
    [0, "every call went as the seed promises (--down: the twin holds nothing of the stack)"],
    [1, "a step failed, or a call did not go as promised (what happened on stderr)"],
    [EXIT_USAGE, "wrong command line"],
  ],
  examples: ["npm run demo", "npm run demo -- --down"],
});

const STACK = "dev";
/** A user of the tenant whom no stack assigns: Entra refuses them a token for any callee. */
export const STRANGER = "stranger@contoso.example";

/** What the demo remembers between `npm run demo` and `--down`, in .twin/demo.json. */
interface DemoState {
  /** The `encryptionsalt:` line `pulumi stack init` added to Pulumi.dev.yaml for the twin's passphrase. */
  addedSalt?: string;
}

/** One call of the demo's table. */
export interface Call {
  who: string;
  callee: string;
  expected: string;
  got: string;
}

/** The table the demo ends with: each call, what the seed promises, what happened. */
export function callTable(calls: readonly Call[]): string {
  const rows = [["call", "callee", "expected", "got"], ...calls.map((c) => [c.who, c.callee, c.expected, c.got])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map(
      (r, n) =>
        `  ${n === 0 ? " " : calls[n - 1]!.got === calls[n - 1]!.expected ? "✔" : "✘"} ${r
          .map((c, i) => c.padEnd(widths[i]!))
          .join("  ")
          .trimEnd()}`,
    )
    .join("\n");
}

/** How to go on by hand: the twin's environment in the shell, then plain commands. */
export const BY_HAND = [
  'eval "$(npm run -s twin:env)"        # this shell now runs pulumi, az and curl against the twin',
  "pulumi stack output --stack dev      # where everything is (callees, callers, resourceGroupName)",
  "pulumi preview --stack dev --policy-pack policy --diff",
  "npm run twin -- count                # what the stack made in the twin",
  '# the devbox lines of docs/how-it-works.md ("From a devbox") run here as written',
  "npm run demo -- --down               # destroy dev (Pulumi.dev.yaml kept), stop the twin",
];

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(0)} s`;

/** Whether an executable named `name` is on `path`. */
function onPath(name: string, path: string | undefined): boolean {
  return (path ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The Pulumi CLI: a released `pulumi` on the caller's PATH, else the one npm run pulumi:install builds
 * into .tools/bin (it does nothing when that is current, and prints what it builds and how long it
 * has run while it builds).
 */
async function findOrBuildCli(io: CliIo): Promise<string> {
  if (onPath("pulumi", io.env["PATH"])) return "pulumi on your PATH";
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn("bash", [join(ROOT, "tools", "scripts", "pulumi-install.sh")], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d: Buffer) => io.stderr(d.toString()));
    child.stderr.on("data", (d: Buffer) => io.stderr(d.toString()));
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) throw new Error(`npm run pulumi:install failed (exit ${code}); its output is above`);
  return ".tools/bin (npm run pulumi:install)";
}

function runtimeFiles(ws: Workspace): BackgroundFiles {
  const files = entraFiles(join(ws.dir, ".twin"));
  return { out: files.addresses, curlrc: join(files.curlHome, ".curlrc"), pid: files.pid, log: files.log };
}

const demoStateFile = (ws: Workspace) => join(ws.dir, ".twin", "demo.json");
const readDemoState = (ws: Workspace): DemoState =>
  existsSync(demoStateFile(ws)) ? (JSON.parse(readFileSync(demoStateFile(ws), "utf8")) as DemoState) : {};

async function stackExists(ws: Workspace): Promise<boolean> {
  const stacks = JSON.parse((await ws.run("pulumi", ["stack", "ls", "--json"])).stdout) as { name: string }[];
  return stacks.some((s) => s.name === STACK);
}

/** The salt line of a stack file, if it has one. */
const saltOf = (text: string): string | undefined => /^encryptionsalt: .*$/m.exec(text)?.[0];

/** Creates dev in the twin's backend, remembering the salt line this adds to the committed Pulumi.dev.yaml. */
async function initStack(ws: Workspace): Promise<void> {
  if (await stackExists(ws)) return;
  const file = join(ws.dir, `Pulumi.${STACK}.yaml`);
  const before = saltOf(readFileSync(file, "utf8"));
  await ws.run("pulumi", ["stack", "init", STACK, "--non-interactive"]);
  const after = saltOf(readFileSync(file, "utf8"));
  if (before === undefined && after !== undefined)
    writeFileSync(demoStateFile(ws), JSON.stringify({ addedSalt: after }));
}

/** Runs the az stand-in as a developer would: `az account get-access-token … --query accessToken -o tsv`. */
async function azToken(ws: Workspace, user: string, resource: string): Promise<{ token?: string; error: string }> {
  const got = await ws.run(
    "az",
    ["account", "get-access-token", "--resource", resource, "--query", "accessToken", "-o", "tsv"],
    { env: { S2S_TWIN_USER: user }, allowFailure: true },
  );
  return got.code === 0 ? { token: got.stdout.trim(), error: "" } : { error: got.stderr.trim() };
}

/** The status a callee's front door answers, with or without a bearer token. */
async function callStatus(addresses: Addresses, calleeUrl: string, token?: string): Promise<string> {
  const site = siteFor(addresses, calleeUrl);
  if (site === undefined) return `no front door for ${calleeUrl}`;
  const res = await fetch(`${addresses.sites[site]!.url}/`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return String(res.status);
}

/** Every call of the demo, callee by callee. */
async function callEachCallee(ws: Workspace, addresses: Addresses, outputs: StackOutputs): Promise<Call[]> {
  const tenant = ws.tenant();
  const assignments = Object.values(tenant.graph.appRoleAssignments) as Assignment[];
  const calls: Call[] = [];
  for (const [callee, c] of Object.entries(outputs.callees)) {
    for (const [caller, who] of Object.entries(outputs.callers ?? {})) {
      if (who.url === undefined || !calleesGrantedTo(outputs, assignments, who.principalId).includes(callee)) continue;
      const site = siteFor(addresses, who.url);
      const got = site === undefined ? undefined : await managedIdentityToken(addresses, site, c.applicationIdUri);
      const token = got?.body["access_token"];
      calls.push({
        who: `${caller}'s managed identity`,
        callee,
        expected: "200",
        got:
          typeof token === "string"
            ? await callStatus(addresses, c.url, token)
            : refusalCode(got?.status ?? 0, got?.body ?? {}),
      });
    }
    const developer = SHIPPED_PEOPLE.users[0]!;
    const dev = await azToken(ws, developer, c.applicationIdUri);
    calls.push({
      who: `${developer} through the Azure CLI`,
      callee,
      expected: "200",
      got: dev.token ? await callStatus(addresses, c.url, dev.token) : (/AADSTS\d+/.exec(dev.error)?.[0] ?? dev.error),
    });
    const stranger = await azToken(ws, STRANGER, c.applicationIdUri);
    calls.push({
      who: `${STRANGER} (not assigned) through the Azure CLI`,
      callee,
      expected: "AADSTS50105",
      got: stranger.token
        ? `a token, then ${await callStatus(addresses, c.url, stranger.token)}`
        : (/AADSTS\d+/.exec(stranger.error)?.[0] ?? stranger.error),
    });
    calls.push({ who: "no token", callee, expected: "401", got: await callStatus(addresses, c.url) });
  }
  return calls;
}

async function up(io: CliIo): Promise<number> {
  const started = performance.now();
  const say = (text: string) => io.stderr(`demo: ${text}\n`);
  say("1/4 the Pulumi CLI");
  const cli = await findOrBuildCli(io);
  const ws = Workspace.ofProject();
  const version = (await ws.run("pulumi", ["version"])).stdout.trim();
  say(`    pulumi ${version} from ${cli}`);

  say("2/4 the twin: a tenant under .twin/ and its Entra runtime in the background");
  if ((await ws.twin(["find", "users", "userPrincipalName", STRANGER])).stdout.trim() === "")
    await ws.twin(["add-user", STRANGER, "Stranger"]);
  const runtime = await startInBackground(ws.env.S2S_TWIN_STATE!, runtimeFiles(ws));
  const how = runtime.started ? "started" : "already running";
  say(`    runtime ${how} (pid ${runtime.pid}), tokens at ${runtime.addresses.authorityHost}`);

  say(`3/4 pulumi up of ${STACK} with the policy pack (seconds)`);
  const deploying = performance.now();
  await initStack(ws);
  const deployed = await ws.pulumi(STACK, ["up", "--yes", "--policy-pack", "policy", "--suppress-progress"]);
  // The update's own "Resources:" block is the last one (the preview's comes first).
  const blocks = [...deployed.stdout.matchAll(/^Resources:\n((?: {4}.+\n)+)/gm)];
  const summary = blocks.at(-1)?.[1]?.trim().replace(/\s+/g, " ") ?? "";
  say(`    done in ${seconds(deploying)}: ${summary}`);

  say("4/4 calls to each callee, through the twin's Entra ID and EasyAuth");
  const outputs = JSON.parse(
    (await ws.pulumi(STACK, ["stack", "output", "--json", "--show-secrets"])).stdout,
  ) as StackOutputs;
  // The sites were made after the runtime started: it serves them without a restart.
  const addresses = await currentAddresses(runtime.addresses);
  const calls = await callEachCallee(ws, addresses, outputs);
  const ok = calls.every((c) => c.got === c.expected);
  io.stdout(
    [
      "",
      `${ok ? "Every call went as the seed promises" : "Some calls did not go as the seed promises"} ` +
        `(${seconds(started)} in all):`,
      "",
      callTable(calls),
      "",
      `The stack and the twin stay up. Go on by hand, in this folder:`,
      "",
      ...BY_HAND.map((line) => `  ${line}`),
      "",
    ].join("\n"),
  );
  return ok ? 0 : 1;
}

async function down(io: CliIo): Promise<number> {
  const say = (text: string) => io.stderr(`demo: ${text}\n`);
  const ws = Workspace.ofProject();
  if (await stackExists(ws)) {
    say(`pulumi destroy of ${STACK}, then pulumi stack rm --preserve-config (Pulumi.${STACK}.yaml stays)`);
    await ws.pulumi(STACK, ["destroy", "--yes", "--suppress-progress"]);
    await ws.run("pulumi", ["stack", "rm", STACK, "--preserve-config", "--yes"]);
  } else say(`no ${STACK} stack in the twin's backend: nothing to destroy`);
  // The salt was for the twin's passphrase: left in the committed file it would break a real `stack init`.
  const { addedSalt } = readDemoState(ws);
  const file = join(ws.dir, `Pulumi.${STACK}.yaml`);
  if (addedSalt !== undefined && readFileSync(file, "utf8").includes(`${addedSalt}\n`)) {
    writeFileSync(file, readFileSync(file, "utf8").replace(`${addedSalt}\n`, ""));
    say(`removed the encryptionsalt line the demo's stack init added to Pulumi.${STACK}.yaml`);
  }
  rmSync(demoStateFile(ws), { force: true });
  const stranger = (await ws.twin(["find", "users", "userPrincipalName", STRANGER])).stdout.trim();
  if (stranger !== "") await ws.twin(["unset", `graph.users.${stranger}`]);
  say(
    (await stopInBackground(runtimeFiles(ws)))
      ? "stopped the twin's Entra runtime"
      : "the twin's Entra runtime was not running",
  );
  const left = JSON.parse((await ws.twin(["count"])).stdout) as {
    arm: { total: number };
    graph: Record<string, number>;
    softDeleted: Record<string, number>;
  };
  const objects = left.arm.total + Object.values(left.graph).reduce((a, b) => a + b, 0);
  io.stdout(
    objects === 0
      ? "The twin holds nothing of the stack (npm run twin -- count); soft-deleted Entra objects, kept as " +
          `Entra keeps them for 30 days: ${JSON.stringify(left.softDeleted)}\n`
      : `The twin still holds ${objects} objects: ${JSON.stringify(left)}\n`,
  );
  return objects === 0 ? 0 : 1;
}

async function demo(argv: string[], io: CliIo): Promise<number> {
  const parsed = readCommandLine(DEMO, argv);
  return parsed.values["down"] === true ? down(io) : up(io);
}

/** `npm run demo -- <argv>`: the exit code, with everything printed through `io`. */
export function main(argv: string[], io: CliIo): Promise<number> {
  return runCli(demo, argv, io, { name: "demo", code: 1 });
}

if (import.meta.main) runAsCommand(main);
