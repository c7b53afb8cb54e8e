// twin:env (e2e/env.ts): the exports a shell evals to run plain `pulumi` against the twin. Its PATH
// line adds the project's folders around the shell's own $PATH and nothing of the PATH of the
// process that printed it (npm puts its own folders there).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { exportLines, ROOT, twinEnvironment } from "../../e2e/env.ts";

const NPM_PATH = ["/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin", "/usr/bin"].join(":");

describe("twin:env", () => {
  const env = twinEnvironment({ dir: "/tmp/some-twin", base: { PATH: NPM_PATH } });

  test("PATH as exported: the project's folders around the shell's own $PATH, nothing of the printer's", () => {
    const line = exportLines(env)
      .split("\n")
      .find((l) => l.startsWith("export PATH="))!;
    expect(line).not.toContain("node-gyp-bin");
    const evaluated = execFileSync("sh", ["-c", `PATH=/shell/bin; ${line}; printf %s "$PATH"`], {
      encoding: "utf8",
    });
    expect(evaluated.split(":")).toEqual([
      join(ROOT, "twin", "bin"),
      join(ROOT, "twin", "bin", "entra"),
      join(ROOT, "node_modules", ".bin"),
      "/shell/bin",
      join(ROOT, ".tools", "bin"),
    ]);
  });

  test("every other variable is exported as it is, quoted for the shell", () => {
    const script = `${exportLines({ ...env, PULUMI_CONFIG_PASSPHRASE: "it's" })} env`;
    const printed = execFileSync("sh", ["-c", script], { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
    expect(printed).toContain("PULUMI_CONFIG_PASSPHRASE=it's\n");
    expect(printed).toContain("S2S_TWIN_STATE=/tmp/some-twin/tenant.json\n");
    expect(printed).toContain("S2S_TWIN_ENTRA=/tmp/some-twin/entra.json\n");
    expect(printed).toContain("CURL_HOME=/tmp/some-twin/curl\n");
  });

  test("the environment a run uses keeps its base PATH in the middle", () => {
    expect(env.PATH!.split(":")).toContain("/usr/bin");
  });
});
