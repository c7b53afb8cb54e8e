// Where the smoke test finds its callees: the program's own stack outputs.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SmokeError } from "../../../tools/smoke/diagnose.ts";
import { parseSmokeOutputs, readOutputsFile, readStackOutputs, type RunCommand } from "../../../tools/smoke/outputs.ts";
import { baseConfig, runProgram, TENANT_ID } from "../../fixtures/index.ts";

const OUTPUTS = {
  environment: "dev",
  tenantId: TENANT_ID,
  ciPrincipalClientId: "ci-client",
  callees: {
    "the-callee": { url: "https://the-callee.azurewebsites.net", applicationIdUri: "api://c", clientId: "c" },
  },
};

test("reads what the program exports (contract between index.ts and the smoke test)", async () => {
  const run = await runProgram("dev", {
    ...baseConfig("dev"),
    "s2s-auth:ciAccess": {
      repository: "contoso/s2s-auth",
      subjects: ["pull_request"],
      calls: [{ callee: "the-callee" }],
    },
  });
  expect(parseSmokeOutputs(JSON.parse(JSON.stringify(run.outputs)), "program")).toEqual({
    tenantId: TENANT_ID,
    ciPrincipalClientId: "ci-principal-app-client-id",
    callees: [
      {
        name: "the-callee",
        url: "https://the-callee-site.azurewebsites.net",
        applicationIdUri: "api://the-callee-app-client-id",
      },
    ],
  });
});

describe("parseSmokeOutputs", () => {
  test("names the first missing or malformed output", () => {
    expect(() => parseSmokeOutputs({ tenantId: "t" }, "f.json")).toThrow(
      new SmokeError(
        "f.json: not stack outputs (callees: required); expected the output of `pulumi stack output --json`",
      ),
    );
    expect(() => parseSmokeOutputs({ callees: { a: { url: "nope", applicationIdUri: "api://a" } } }, "f.json")).toThrow(
      /^f\.json: not stack outputs \(callees\.a\.url: /,
    );
    // Outputs of a stack last deployed before the output was named applicationIdUri.
    expect(() => parseSmokeOutputs({ callees: { a: { url: "https://a", resourceId: "api://a" } } }, "f.json")).toThrow(
      "f.json: not stack outputs (callees.a.applicationIdUri: required)",
    );
    expect(() => parseSmokeOutputs({ callees: {} }, "f.json")).toThrow("f.json: callees: no callee to test");
  });
});

describe("readOutputsFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "smoke-outputs-"));
  test("reads a file written by `pulumi stack output --json`", async () => {
    const file = join(dir, "ok.json");
    writeFileSync(file, JSON.stringify(OUTPUTS));
    expect((await readOutputsFile(file)).callees.map((c) => c.name)).toEqual(["the-callee"]);
  });
  test("a missing file or bad JSON is one line naming the file", async () => {
    await expect(readOutputsFile(join(dir, "missing.json"))).rejects.toThrow(
      `cannot read outputs file ${join(dir, "missing.json")}: ENOENT`,
    );
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{");
    await expect(readOutputsFile(bad)).rejects.toThrow(new RegExp(`^${bad}: not valid JSON`));
  });
});

describe("readStackOutputs", () => {
  test("asks the Pulumi CLI for the stack's outputs as JSON", async () => {
    const calls: string[][] = [];
    const run: RunCommand = async (file, args) => {
      calls.push([file, ...args]);
      return JSON.stringify(OUTPUTS);
    };
    expect((await readStackOutputs("dev-pr-7", run)).ciPrincipalClientId).toBe("ci-client");
    expect(calls).toEqual([["pulumi", "stack", "output", "--json", "--stack", "dev-pr-7"]]);
  });

  test("no CLI, or a CLI error, is one line", async () => {
    const missing: RunCommand = async () => {
      throw Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" });
    };
    await expect(readStackOutputs("dev", missing)).rejects.toThrow(
      "the pulumi CLI is not on PATH: install it, or pass --outputs FILE",
    );
    const noStack: RunCommand = async () => {
      throw Object.assign(new Error("Command failed"), { code: 255, stderr: "\nerror: no stack named 'nope' found\n" });
    };
    await expect(readStackOutputs("nope", noStack)).rejects.toThrow(
      "pulumi stack output --stack nope: error: no stack named 'nope' found",
    );
  });
});

// Issue 23, item 8: the smoke test sends a bearer token to each callee's url, so a url that is not
// HTTPS (loopback aside, where the twin serves plain HTTP) is refused with one line naming it.
describe("a callee url that would carry a token in clear text", () => {
  const withUrl = (url: string) => ({ ...OUTPUTS, callees: { "the-callee": { url, applicationIdUri: "api://c" } } });

  test.each(["http://the-callee.azurewebsites.net", "http://10.0.0.4:8080/", "http://127.evil.example/"])(
    "%s is refused with one line",
    (url) => {
      expect(() => parseSmokeOutputs(withUrl(url), "out.json")).toThrow(
        new SmokeError(
          `out.json: callees.the-callee.url: ${url} is not https; the smoke test sends a bearer token only ` +
            "over HTTPS (plain http only to loopback: localhost, 127.0.0.0/8, [::1])",
        ),
      );
    },
  );

  test.each([
    "https://the-callee.azurewebsites.net",
    "http://127.0.0.1:8080/",
    "http://127.9.9.9/",
    "http://localhost:3000",
    "http://[::1]:4000/",
  ])("%s is accepted", (url) => {
    expect(parseSmokeOutputs(withUrl(url), "out.json").callees[0]!.url).toBe(url);
  });
});
