// tools/plan/stackConfig.ts: stack and project files read the way the Pulumi CLI hands config to a program.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleValueFindings, PlanInputError, readStackFiles } from "../../../tools/plan/stackConfig.ts";
import { PROJECT_DIR } from "./stacks.ts";

describe("readStackFiles", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "plan-config-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the real dev stack as the Pulumi CLI passes it: structured values as JSON text", () => {
    const files = readStackFiles(PROJECT_DIR, "dev");
    expect(files.project).toBe("s2s-auth");
    expect(files.config["azure-native:location"]).toBe("westeurope");
    expect(JSON.parse(files.config["s2s-auth:callees"]!)).toEqual([{ name: "the-callee" }]);
    expect(JSON.parse(files.config["s2s-auth:devAccess"]!)).toMatchObject({ authorizedClients: ["azure-cli"] });
    expect(files.secretKeys).toEqual([]);
  });

  it("namespaces bare keys, applies Pulumi.yaml defaults and hides secure values", () => {
    writeFileSync(
      join(dir, "Pulumi.yaml"),
      "name: proj\nruntime: nodejs\nconfig:\n  size:\n    default: 3\n  proj:mode: fast\n",
    );
    writeFileSync(
      join(dir, "Pulumi.s.yaml"),
      "config:\n  proj:mode: slow\n  token:\n    secure: AAABAxyz\n  other:flag: true\n",
    );
    expect(readStackFiles(dir, "s")).toEqual({
      project: "proj",
      config: { "proj:size": "3", "proj:mode": "slow", "proj:token": "[secret]", "other:flag": "true" },
      secretKeys: ["proj:token"],
    });
  });

  it("names the stack when its file is missing, and the file when it is not YAML", () => {
    writeFileSync(join(dir, "Pulumi.yaml"), "name: proj\n");
    expect(() => readStackFiles(dir, "nope")).toThrow(
      new PlanInputError(`stack "nope": no Pulumi.nope.yaml in ${dir}`),
    );
    writeFileSync(join(dir, "Pulumi.bad.yaml"), "config: [unclosed\n");
    expect(() => readStackFiles(dir, "bad")).toThrow(/Pulumi\.bad\.yaml: not valid YAML: /);
    expect(() => readStackFiles(join(dir, "missing"), "s")).toThrow(/^no Pulumi\.yaml in /);
  });
});

describe("exampleValueFindings", () => {
  const urn = "urn:pulumi:s::proj::pulumi:pulumi:Stack::proj-s";
  const found = (config: Record<string, string>) =>
    exampleValueFindings("proj", config, urn).map((f) => [f.severity, f.policy, f.message]);

  it("warns of every shipped example and every user under a reserved domain, by key path, in any value", () => {
    expect(
      found({
        "proj:owners": JSON.stringify(["11111111-2222-3333-4444-555555555555"]),
        "proj:devAccess": JSON.stringify({ users: ["alice@contoso.com", "Developer@Contoso.Example", "bob@x.test"] }),
        "proj:note": "carol@example.org",
      }),
    ).toEqual([
      [
        "warning",
        "config-example-value",
        'proj:owners[0] is "11111111-2222-3333-4444-555555555555", the example the shipped stack files carry: ' +
          "replace it before `pulumi up`",
      ],
      [
        "warning",
        "config-example-value",
        'proj:devAccess.users[1] is "Developer@Contoso.Example", the example the shipped stack files carry: ' +
          "replace it before `pulumi up`",
      ],
      [
        "warning",
        "config-example-value",
        'proj:devAccess.users[2] is "bob@x.test", a user under x.test, a domain reserved for examples (RFC 2606) ' +
          "that no tenant has: replace it before `pulumi up`",
      ],
      [
        "warning",
        "config-example-value",
        'proj:note is "carol@example.org", a user under example.org, a domain reserved for examples (RFC 2606) ' +
          "that no tenant has: replace it before `pulumi up`",
      ],
    ]);
  });

  it("reads only the project's own keys, and nothing of a secret", () => {
    expect(found({ "other:user": "developer@contoso.example", "proj:token": "[secret]" })).toEqual([]);
    expect(found({ "proj:devAccess": JSON.stringify({ users: ["alice@contoso.com"], groups: [] }) })).toEqual([]);
  });
});

describe("secrets", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "plan-config-"));
    writeFileSync(join(dir, "Pulumi.yaml"), "name: proj\nruntime: nodejs\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("a structured value with a secure value inside is a secret key, as Pulumi treats it", () => {
    writeFileSync(join(dir, "Pulumi.s.yaml"), "config:\n  proj:callees:\n    - name:\n        secure: AAAxyz\n");
    expect(readStackFiles(dir, "s")).toMatchObject({
      config: { "proj:callees": "[secret]" },
      secretKeys: ["proj:callees"],
    });
  });
});
