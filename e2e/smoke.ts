// The seed's promise checked end to end in the twin, the way the original walkthrough did it with
// Postman: `npm run smoke` (unchanged) against each deployed stack, with the twin's Entra ID
// runtime issuing the tokens and guarding each callee (twin/src/entra-runtime). Each case is one
// line with the status code or the AADSTS code it got.
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  claimsOf,
  developerToken,
  managedIdentityToken,
  start,
  type Addresses,
} from "@s2s-auth/twin/entra-runtime/client.ts";
import { readWorld, sites } from "@s2s-auth/twin/entra-runtime/state.ts";
import type { Workspace } from "./workspace.ts";

/**
 * Microsoft Graph's application id (Learn "Verify first-party Microsoft applications in sign-in
 * reports"): every tenant has it, so a caller can always get a token for it, an audience no callee accepts.
 */
const MICROSOFT_GRAPH = "00000003-0000-0000-c000-000000000000";

/** What `pulumi stack output --json` says about callees and callers (index.ts). */
export interface StackOutputs {
  callees: Record<string, { url: string; applicationIdUri: string; servicePrincipalObjectId: string }>;
  callers?: Record<string, { url?: string; principalId: string }>;
}

/** An app role assignment as Graph returns it (only the fields read here). */
export interface Assignment {
  principalId: string;
  resourceId: string;
}

export interface SmokeCase {
  stack: string;
  what: string;
  expected: string;
  got: string;
  ok: boolean;
}

/** Host of an https URL, lower-cased: the key that maps a stack output onto a twin front door. */
function hostOf(url: string): string {
  return new URL(url).host.toLowerCase();
}

/** The twin site serving `url` (a stack output such as `https://<name>.azurewebsites.net`). */
export function siteFor(addresses: Pick<Addresses, "sites">, url: string): string | undefined {
  const host = hostOf(url);
  return Object.entries(addresses.sites).find(([, s]) => s.host?.toLowerCase() === host)?.[0];
}

/** The callees a principal holds an app role assignment on (by the callee's service principal). */
export function calleesGrantedTo(
  outputs: StackOutputs,
  assignments: readonly Assignment[],
  principalId: string,
): string[] {
  const resources = new Set(assignments.filter((a) => a.principalId === principalId).map((a) => a.resourceId));
  return Object.entries(outputs.callees)
    .filter(([, c]) => resources.has(c.servicePrincipalObjectId))
    .map(([name]) => name);
}

/** The AADSTS code at the start of an Entra refusal, or the HTTP status when there is none. */
export function refusalCode(status: number, body: Record<string, unknown>): string {
  const text = String(body["error_description"] ?? body["message"] ?? body["error"] ?? "");
  return /AADSTS\d+/.exec(text)?.[0] ?? `HTTP ${status}`;
}

interface Context {
  ws: Workspace;
  addresses: Addresses;
  addressesFile: string;
  assignments: Assignment[];
  /** Site name → object id of its system-assigned identity (ARM `identity.principalId`). */
  principals: Record<string, string>;
}

/** `npm run smoke -- --outputs <file>` in the workspace, with `env` choosing who it runs as. */
function runSmoke(
  ctx: Context,
  stack: string,
  callees: [string, { url: string; applicationIdUri: string }][],
  env: Record<string, string>,
  label: string,
) {
  const file = join(ctx.ws.dir, `.smoke-${stack}-${label}.json`);
  const mapped = callees.map(([name, c]) => {
    const site = siteFor(ctx.addresses, c.url);
    if (site === undefined) throw new Error(`${stack}: no twin front door for ${c.url}`);
    return [name, { url: `${ctx.addresses.sites[site]!.url}/`, applicationIdUri: c.applicationIdUri }];
  });
  writeFileSync(file, JSON.stringify({ tenantId: ctx.addresses.tenantId, callees: Object.fromEntries(mapped) }));
  return ctx.ws.run(process.execPath, [join(ctx.ws.dir, "tools", "smoke", "cli.ts"), "--outputs", file], {
    env,
    allowFailure: true,
  });
}

/** Every case for one stack; `developerAllowed` is true in dev (devAccess), false in test and prod. */
export async function smokeStack(
  ctx: Context,
  stack: string,
  outputs: StackOutputs,
  developer: string,
  developerAllowed: boolean,
): Promise<SmokeCase[]> {
  const cases: SmokeCase[] = [];
  const add = (what: string, expected: string, got: string, ok = got === expected) =>
    cases.push({ stack, what, expected, got, ok });
  const callers = Object.entries(outputs.callers ?? {}).filter(([, c]) => c.url !== undefined);

  // 1. The smoke test as each caller's managed identity, through the identity endpoint App Service
  // would give its code (DefaultAzureCredential narrowed to ManagedIdentityCredential).
  for (const [caller, c] of callers) {
    const site = siteFor(ctx.addresses, c.url!);
    const identity = site === undefined ? undefined : ctx.addresses.identityEndpoints[site];
    if (identity === undefined) throw new Error(`${stack}: caller ${caller} has no identity endpoint in the twin`);
    const granted = calleesGrantedTo(outputs, ctx.assignments, c.principalId);
    if (granted.length === 0) continue;
    const smoke = await runSmoke(
      ctx,
      `${stack}-${caller}`,
      granted.map((g) => [g, outputs.callees[g]!]),
      { AZURE_TOKEN_CREDENTIALS: "ManagedIdentityCredential", ...identity },
      "caller",
    );
    for (const g of granted) {
      const lines = smoke.stdout.split("\n").filter((l) => l.includes(` ${g}: `));
      add(
        `${g}: no token`,
        "401",
        lines.some((l) => l.startsWith("ok   ") && l.includes("401 without a token"))
          ? "401"
          : `smoke said: ${lines.join(" | ") || smoke.stderr.trim()}`,
      );
      const through = lines
        .map((l) => /^ok {3}.*: (\d{3}) with a token: let through/.exec(l)?.[1])
        .find((s) => s !== undefined);
      add(
        `${g}: caller ${caller} (managed identity, npm run smoke)`,
        "200",
        through ?? `smoke said: ${lines.at(-1) ?? smoke.stderr.trim()}`,
      );

      // 2. A valid token of the twin's tenant for another audience (Microsoft Graph) on the same callee.
      const graph = await managedIdentityToken(ctx.addresses, site!, MICROSOFT_GRAPH);
      const token = String(graph.body["access_token"] ?? "");
      if (token === "")
        add(`${g}: a token for another audience`, "401", `no Graph token: ${refusalCode(graph.status, graph.body)}`);
      else {
        const front = ctx.addresses.sites[siteFor(ctx.addresses, outputs.callees[g]!.url)!]!.url;
        const answer = await fetch(`${front}/`, { headers: { authorization: `Bearer ${token}` } });
        add(`${g}: a token for another audience (aud ${String(claimsOf(token)["aud"])})`, "401", String(answer.status));
      }
    }
  }

  // 3. An identity with no assignment on the callee: Entra issues no token (the callee's service
  // principal requires assignment). Any site identity of the stack that is not granted will do.
  for (const [name, callee] of Object.entries(outputs.callees)) {
    const granted = new Set(
      ctx.assignments.filter((a) => a.resourceId === callee.servicePrincipalObjectId).map((a) => a.principalId),
    );
    const sites = new Set(
      [...Object.values(outputs.callers ?? {}), ...Object.values(outputs.callees)].flatMap((x) =>
        x.url ? [siteFor(ctx.addresses, x.url)] : [],
      ),
    );
    const stranger = [...sites].find(
      (s) =>
        s !== undefined && ctx.addresses.identityEndpoints[s] !== undefined && !granted.has(ctx.principals[s] ?? ""),
    );
    if (stranger === undefined) continue;
    const got = await managedIdentityToken(ctx.addresses, stranger, callee.applicationIdUri);
    add(
      `${name}: identity of ${stranger} (no assignment)`,
      "AADSTS501051",
      got.status === 200 ? "a token" : refusalCode(got.status, got.body),
    );
  }

  // 4. A developer through the Azure CLI client: `npm run smoke` unchanged, with the twin's `az`.
  const all = Object.entries(outputs.callees);
  const smoke = await runSmoke(
    ctx,
    stack,
    all,
    {
      PATH: `${join(ctx.ws.dir, "twin", "bin", "entra")}:${ctx.ws.env.PATH ?? ""}`,
      AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
      S2S_TWIN_ENTRA: ctx.addressesFile,
      S2S_TWIN_USER: developer,
    },
    "developer",
  );
  for (const [name, callee] of all) {
    const lines = smoke.stdout.split("\n").filter((l) => l.includes(` ${name}: `));
    const through = lines
      .map((l) => /^ok {3}.*: (\d{3}) with a token: let through/.exec(l)?.[1])
      .find((s) => s !== undefined);
    if (developerAllowed)
      add(
        `${name}: ${developer} via the Azure CLI (npm run smoke)`,
        "200",
        through ?? `smoke said: ${lines.at(-1) ?? smoke.stderr.trim()}`,
      );
    else {
      // The smoke test fails at the token; the twin's answer names the AADSTS code.
      const refused = await developerToken(ctx.addresses, developer, callee.applicationIdUri);
      const code = refused.status === 200 ? "a token" : refusalCode(refused.status, refused.body);
      const ok = through === undefined && smoke.code !== 0 && code !== "a token";
      add(
        `${name}: ${developer} via the Azure CLI (npm run smoke)`,
        "refused",
        ok ? `refused (${code})` : `let through (${code})`,
        ok,
      );
    }
  }
  return cases;
}

/** examples/caller run where a caller site's code runs: its identity endpoint, the callee's front door. */
export async function exampleCaller(ctx: Context, stack: string, outputs: StackOutputs): Promise<SmokeCase[]> {
  const cases: SmokeCase[] = [];
  for (const [caller, c] of Object.entries(outputs.callers ?? {})) {
    const site = c.url === undefined ? undefined : siteFor(ctx.addresses, c.url);
    const identity = site === undefined ? undefined : ctx.addresses.identityEndpoints[site];
    const callee = calleesGrantedTo(outputs, ctx.assignments, c.principalId)[0];
    if (identity === undefined || callee === undefined) continue;
    const front = ctx.addresses.sites[siteFor(ctx.addresses, outputs.callees[callee]!.url)!]!.url;
    const run = await ctx.ws.run(process.execPath, [join(ctx.ws.dir, "examples", "caller", "caller.ts")], {
      env: { ...identity, CALLEE_URL: `${front}/`, CALLEE_APP_ID_URI: outputs.callees[callee]!.applicationIdUri },
      allowFailure: true,
    });
    const status = /"status":(\d{3})/.exec(run.stdout)?.[1] ?? `exit ${run.code}: ${run.stderr.trim()}`;
    cases.push({
      stack,
      what: `${callee}: examples/caller as ${caller} (ManagedIdentityCredential)`,
      expected: "200",
      got: status,
      ok: status === "200",
    });
    break;
  }
  return cases;
}

/**
 * The twin's Graph assignments and each site's identity (by the runtime's site key), read from the state
 * file: every tenant's, as the runtime serves them all.
 */
async function tenantFacts(
  stateFile: string,
): Promise<{ assignments: Assignment[]; principals: Record<string, string> }> {
  const tenants = Object.values(readWorld(stateFile).tenants);
  const principals: Record<string, string> = {};
  for (const s of sites(...tenants))
    if (s.resource.identity?.principalId) principals[s.key] = s.resource.identity.principalId;
  return { assignments: tenants.flatMap((t) => Object.values(t.graph.appRoleAssignments)), principals };
}

/**
 * Starts the twin's Entra runtime on the workspace's tenant, runs every case for each stack, and
 * stops it.
 */
export async function smokeStacks(
  ws: Workspace,
  stacks: { stack: string; outputs: StackOutputs; developerAllowed: boolean }[],
  developer: string,
): Promise<SmokeCase[]> {
  const stateFile = ws.env.S2S_TWIN_STATE!;
  const runtime = await start(stateFile);
  try {
    // One file per runtime: the fault runs smoke two stacks side by side, each with its own
    // runtime and keys, and a shared file let one run's `az` take tokens from the other's.
    const addressesFile = join(mkdtempSync(join(ws.dir, ".entra-")), "addresses.json");
    const { stop: _stop, ...addresses } = runtime;
    writeFileSync(addressesFile, JSON.stringify(addresses));
    const ctx: Context = { ws, addresses, addressesFile, ...(await tenantFacts(stateFile)) };
    const cases: SmokeCase[] = [];
    for (const s of stacks) {
      cases.push(...(await smokeStack(ctx, s.stack, s.outputs, developer, s.developerAllowed)));
      cases.push(...(await exampleCaller(ctx, s.stack, s.outputs)));
    }
    return cases;
  } finally {
    await runtime.stop();
  }
}

/** One line per case: stack, what, what it got, and whether that is what the seed promises. */
export function formatCases(cases: readonly SmokeCase[]): string {
  return cases
    .map(
      (c) =>
        `  ${c.ok ? "ok  " : "FAIL"} ${c.stack.padEnd(6)} ${c.what} → ` +
        `${c.got}${c.ok ? "" : ` (expected ${c.expected})`}`,
    )
    .join("\n");
}
