// Programs run unchanged against the twin's Entra runtime, each as its own process: the example
// callers, npm run smoke through the twin's az, and twin/src/entra-runtime/env.ts. The runtime's own
// rules (tokens, EasyAuth) are tested in runtime.test.ts.
import { ROOT, runNode, type RunResult } from "../childProcess.ts";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RuntimeProcess } from "@s2s-auth/twin/entra-runtime/client.ts";
import {
  AZURE_CLI,
  CALLEE_URI,
  CALLER_MI,
  CALLER_MI_CLIENT,
  CI_CLIENT,
  CI_SUBJECT,
  T,
} from "@s2s-auth/twin/test/entra-runtime/fixture.ts";
import { runtimeOnFixture } from "@s2s-auth/twin/test/entra-runtime/running.ts";

const running = runtimeOnFixture();
const { dir, use } = running;
let rt: RuntimeProcess;
beforeAll(() => {
  rt = running.runtime;
});

function run(script: string, env: Record<string, string>, args: string[] = []): Promise<RunResult> {
  // Nor a managed-identity endpoint, NODE_OPTIONS or another twin's settings: the example must reach this twin only.
  return runNode(["--import", join(import.meta.dirname, "loopback-only.ts"), join(ROOT, script), ...args], {
    env,
    drop: /^(IDENTITY_|MSI_|IMDS_|NODE_OPTIONS|S2S_TWIN_)/,
  });
}

describe("the example callers, unchanged, against the twin", () => {
  test(
    "examples/caller/caller.ts: ManagedIdentityCredential through the caller site's identity endpoint, then 200 " +
      "from the callee",
    async () => {
      const out = await run("examples/caller/caller.ts", {
        ...rt.identityEndpoints["caller-app"]!,
        CALLEE_URL: `${rt.sites["callee-app"]!.url}/`,
        CALLEE_APP_ID_URI: rt.sites["callee-app"]!.applicationIdUri!,
      });
      expect(out.stderr).not.toContain("egress blocked");
      expect(out.code).toBe(0);
      const { status, body } = JSON.parse(out.stdout) as { status: number; body: string };
      expect(status).toBe(200);
      expect(JSON.parse(body)).toMatchObject({ claims: { oid: CALLER_MI, appid: CALLER_MI_CLIENT } });
    },
  );

  test("examples/caller/caller.ts on a site whose identity has no assignment: fails with AADSTS501051", async () => {
    const out = await run("examples/caller/caller.ts", {
      ...rt.identityEndpoints["lonely-app"]!,
      CALLEE_URL: `${rt.sites["callee-app"]!.url}/`,
      CALLEE_APP_ID_URI: CALLEE_URI,
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("AADSTS501051");
  });

  test(
    "examples/caller/federated.ts: ClientAssertionCredential with AZURE_AUTHORITY_HOST on the twin (HTTPS " +
      "trusted via NODE_EXTRA_CA_CERTS)",
    async () => {
      const url = new URL(rt.githubOidc.requestUrl);
      url.searchParams.set("subject", CI_SUBJECT);
      const out = await run("examples/caller/federated.ts", {
        AZURE_TENANT_ID: T,
        AZURE_CLIENT_ID: CI_CLIENT,
        AZURE_AUTHORITY_HOST: rt.authorityHost,
        NODE_EXTRA_CA_CERTS: rt.caCertFile,
        ACTIONS_ID_TOKEN_REQUEST_URL: url.toString(),
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: rt.githubOidc.requestToken,
        CALLEE_URL: `${rt.sites["callee-app"]!.url}/`,
        CALLEE_APP_ID_URI: CALLEE_URI,
      });
      expect(out.stderr).not.toContain("egress blocked");
      expect(out.code).toBe(0);
      expect(JSON.parse(JSON.parse(out.stdout).body as string)).toMatchObject({ claims: { appid: CI_CLIENT } });
    },
  );
});

describe("npm run smoke, unchanged, as a developer through the twin's az (AzureCliCredential)", () => {
  function smokeAs(user: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const addressesFile = join(dir, "entra.json");
    writeFileSync(addressesFile, JSON.stringify(rt));
    const outputs = join(dir, "outputs.json");
    writeFileSync(
      outputs,
      JSON.stringify({
        tenantId: T,
        callees: { "callee-app": { url: rt.sites["callee-app"]!.url, applicationIdUri: CALLEE_URI } },
      }),
    );
    return run(
      "tools/smoke/cli.ts",
      {
        PATH: `${join(ROOT, "twin/bin/entra")}:${process.env["PATH"] ?? ""}`,
        // DefaultAzureCredential narrowed to the CLI: no managed identity probe leaves the machine.
        AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
        S2S_TWIN_ENTRA: addressesFile,
        S2S_TWIN_USER: user,
      },
      ["--outputs", outputs],
    );
  }

  test("dev (CLI pre-authorized), an assigned developer: every step passes", async () => {
    const out = await smokeAs("alice@contoso.example");
    expect(out.stderr).not.toContain("egress blocked");
    expect(out.stdout).toContain("ok   callee-app: 401 without a token");
    expect(out.stdout).toContain(`(client ${AZURE_CLI})`);
    expect(out.code).toBe(0);
  });

  test("dev, a developer not assigned the callee's role: refused at the token with AADSTS50105", async () => {
    const out = await smokeAs("bob@contoso.example");
    expect(out.code).toBe(1);
    // AADSTS50105 says "is not assigned to a role", which tools/smoke/diagnose.ts turns into its advice.
    expect(out.stdout).toMatch(/FAIL callee-app: .*not assigned to a role on the callee/);
  });

  test("test/prod (CLI not pre-authorized): the same developer is refused at the token with AADSTS65001", async () => {
    use({ preAuthorizeCli: false });
    const out = await smokeAs("alice@contoso.example");
    expect(out.code).toBe(1);
    // tools/smoke/diagnose.ts recognises AADSTS65001 in the CLI's error and says what it means.
    expect(out.stdout).toMatch(/FAIL callee-app: Entra ID wants consent for api:\/\/c0000000/);
  });
});

describe("env.ts: the environment a caller site's code runs in, for e2e scripts", () => {
  test(
    "a callee named by its https host (a stack output) maps onto the twin's front door; the exported environment " +
      "runs the example caller",
    async () => {
      const addressesFile = join(dir, "entra-env.json");
      writeFileSync(addressesFile, JSON.stringify(rt));
      const env = await run("twin/src/entra-runtime/env.ts", {}, [
        "--addresses",
        addressesFile,
        "--caller",
        "caller-app",
        "--callee",
        "https://callee-app.azurewebsites.net",
      ]);
      expect(env.code).toBe(0);
      const vars = Object.fromEntries(
        env.stdout
          .trim()
          .split("\n")
          .map((l) => {
            const m = /^export ([A-Z_]+)='(.*)'$/.exec(l)!;
            return [m[1]!, m[2]!];
          }),
      );
      expect(vars).toMatchObject({
        CALLEE_URL: `${rt.sites["callee-app"]!.url}/`,
        CALLEE_APP_ID_URI: CALLEE_URI,
        IDENTITY_HEADER: rt.identityEndpoints["caller-app"]!.IDENTITY_HEADER,
      });
      const out = await run("examples/caller/caller.ts", vars);
      expect(out.code).toBe(0);
    },
  );

  test("an unknown caller: exit 2 naming the sites that have an identity", async () => {
    const addressesFile = join(dir, "entra-env.json");
    writeFileSync(addressesFile, JSON.stringify(rt));
    const env = await run("twin/src/entra-runtime/env.ts", {}, ["--addresses", addressesFile, "--caller", "nope"]);
    expect(env.code).toBe(2);
    expect(env.stderr).toContain("have: caller-app, lonely-app");
  });
});
