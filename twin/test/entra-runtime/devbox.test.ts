// The twin's Entra runtime as a developer's devbox meets it: started before a `pulumi up` made the
// sites (npm run demo starts it first), it serves sites created after it started without a restart,
// the twin's `az` answers `--query accessToken -o tsv` with the token alone, and plain curl reaches a
// site by its Azure host name through the curl config the runtime writes (serve.ts --curlrc).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  claimsOf,
  currentAddresses,
  managedIdentityToken,
  start,
  type RuntimeProcess,
} from "../../src/entra-runtime/client.ts";
import { CALLEE_URI, LATE_MI_CLIENT, writeFixture } from "./fixture.ts";

const run = promisify(execFile);
const AZ = join(import.meta.dirname, "..", "..", "bin", "entra", "az");

const dir = mkdtempSync(join(tmpdir(), "twin-devbox-test-"));
const stateFile = join(dir, "state.json");
const out = join(dir, "entra.json");
const curlrc = join(dir, "curl", ".curlrc");
let rt: RuntimeProcess;

beforeAll(async () => {
  writeFixture(stateFile);
  rt = await start(stateFile, { out, curlrc });
}, 30_000);
afterAll(async () => {
  await rt?.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => writeFixture(stateFile));

/** Waits for `file` to hold `text`: the runtime rewrites it once its poll of the state sees a change. */
async function until(file: string, text: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const now = existsSync(file) ? readFileSync(file, "utf8") : "";
    if (now.includes(text)) return now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${file} never held ${text}`);
}

describe("a site created after the runtime started", () => {
  test("is not there at the start", () => {
    expect(rt.sites["late-app"]).toBeUndefined();
    expect(rt.identityEndpoints["late-app"]).toBeUndefined();
  });

  test("gets a front door and an identity endpoint as soon as it appears, without a restart", async () => {
    writeFixture(stateFile, { late: true });
    const now = await currentAddresses(rt);
    expect(now.sites["late-app"]).toMatchObject({ kind: "appService", host: "late-app.azurewebsites.net" });
    const got = await managedIdentityToken(now, "late-app", CALLEE_URI);
    expect(got.status).toBe(200);
    expect(claimsOf(String(got.body["access_token"]))).toMatchObject({ appid: LATE_MI_CLIENT });
    const front = await fetch(`${now.sites["late-app"]!.url}/`);
    expect(front.status).toBe(200);
  });

  test("reaches the addresses file and the curl config by itself (the state file is polled)", async () => {
    writeFixture(stateFile, { late: true });
    expect(JSON.parse(await until(out, "late-app"))).toMatchObject({ sites: { "late-app": { kind: "appService" } } });
    expect(await until(curlrc, "late-app.azurewebsites.net")).toMatch(
      /^connect-to = "late-app\.azurewebsites\.net:443:127\.0\.0\.1:\d+"$/m,
    );
  });

  test("goes from the addresses when it is deleted, and its front door answers 404", async () => {
    writeFixture(stateFile, { late: true });
    const url = (await currentAddresses(rt)).sites["late-app"]!.url;
    writeFixture(stateFile);
    expect((await currentAddresses(rt)).sites["late-app"]).toBeUndefined();
    expect((await fetch(`${url}/`)).status).toBe(404);
  });
});

describe("a developer's az and curl, as docs/how-it-works.md runs them", () => {
  const env = {
    ...process.env,
    S2S_TWIN_ENTRA: out,
    S2S_TWIN_USER: "alice@contoso.example",
    CURL_HOME: join(dir, "curl"),
  };

  test("az account get-access-token --query accessToken -o tsv: the token alone, on one line", async () => {
    const { stdout } = await run(
      AZ,
      ["account", "get-access-token", "--resource", CALLEE_URI, "--query", "accessToken", "-o", "tsv"],
      { env },
    );
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(claimsOf(stdout.trim())).toMatchObject({ upn: "alice@contoso.example", scp: "user_impersonation" });
  });

  test("--query a missing field: nothing in tsv, null in json; other expressions are refused", async () => {
    const args = ["account", "get-access-token", "--resource", CALLEE_URI, "--query", "nothing"];
    expect((await run(AZ, [...args, "-o", "tsv"], { env })).stdout).toBe("\n");
    expect((await run(AZ, args, { env })).stdout).toBe("null\n");
    await expect(
      run(AZ, ["account", "get-access-token", "--resource", CALLEE_URI, "--query", "[0].a"], { env }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^ERROR: the twin's az takes --query <field> only/),
    });
  });

  test("curl with the token reaches the callee by its Azure host name; without one it gets 401", async () => {
    const { stdout: token } = await run(
      AZ,
      ["account", "get-access-token", "--resource", CALLEE_URI, "--query", "accessToken", "-o", "tsv"],
      { env },
    );
    const url = "https://callee-app.azurewebsites.net/api/hello";
    const { stdout } = await run("curl", ["-sS", "-H", `Authorization: Bearer ${token.trim()}`, url], { env });
    expect(JSON.parse(stdout)).toMatchObject({ site: "callee-app", authenticated: true, path: "/api/hello" });
    const anonymous = await run("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", url], { env });
    expect(anonymous.stdout).toBe("401");
  });
});
