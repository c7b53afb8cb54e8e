// Hostile or unusual config: every value that would reach an object's prototype, a URN, a name,
// a terminal or a PR comment is refused with one line naming the stack and the key.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { APP_SERVICE_PLAN_SKUS, isGitRef, parseStackConfig, type StackConfig } from "../../config.ts";
import { DEV_SCOPE } from "../../model/index.ts";
import main from "../../index.ts";
import { recordProgram } from "../../tools/plan/recorder.ts";
import { readStackFiles } from "../../tools/plan/stackConfig.ts";
import {
  BAD_GIT_REFS,
  baseConfig,
  configErrorFrom,
  GOOD_GIT_REFS,
  PROTO_REFUSAL,
  PROTO_STACK_FILE,
  runProgram,
} from "../fixtures/index.ts";

const seed = () => ({
  environment: "dev",
  callees: [{ name: "the-callee" }],
  callers: [{ name: "the-caller", calls: [{ callee: "the-callee" }] }],
});
const EXT_A = "11111111-2222-3333-4444-555555555555";
const ci = (over: Record<string, unknown>) => ({
  ...seed(),
  environment: "test",
  ciAccess: { repository: "octo/repo", subjects: ["pull_request"], calls: [{ callee: "the-callee" }], ...over },
});
const parse = (raw: Record<string, unknown>, location = "westeurope"): StackConfig =>
  parseStackConfig("dev", raw, location);
const errorOf = (raw: Record<string, unknown>, location = "westeurope") => configErrorFrom(() => parse(raw, location));

describe("keys that would reach an object's prototype", () => {
  test.each(["__proto__", "constructor", "prototype"])("top-level %s is refused at its key", (key) => {
    const raw: Record<string, unknown> = Object.create(null);
    Object.assign(raw, seed());
    Object.defineProperty(raw, key, { value: { environment: "prod" }, enumerable: true });
    const err = errorOf(raw);
    expect(err.key).toBe(`s2s-auth:${key}`);
    expect(err.message).toMatch(/reserved name/);
  });

  test("a nested __proto__ (JSON.parse keeps it as an own key) is refused at the object holding it", () => {
    const raw = {
      ...seed(),
      callees: JSON.parse('[{"name": "the-callee", "__proto__": {"host": "containerApp"}}]') as unknown,
    };
    const err = errorOf(raw);
    expect(err.key).toBe("s2s-auth:callees[0]");
    expect(err.message).toMatch(/: unknown key\(s\): __proto__$/);
  });

  test("an unknown key holding a reserved one is reported as that unknown key (fuzz seed 217838225)", () => {
    const err = errorOf({ ...seed(), callees: [{ name: "the-callee", __lookupGetter__: { prototype: "" } }] });
    expect(err.key).toBe("s2s-auth:callees[0]");
    expect(err.message).toMatch(/: unknown key\(s\): __lookupGetter__$/);
  });

  test("s2s-auth:__proto__ in the program's config cannot make it run as prod: it is refused", async () => {
    const config: Record<string, unknown> = { ...baseConfig("dev"), "s2s-auth:__proto__": { environment: "prod" } };
    delete config["s2s-auth:environment"];
    await expect(runProgram("dev", config)).rejects.toThrow(
      'Invalid configuration for stack "dev": s2s-auth:__proto__: unknown key (reserved name',
    );
  });

  test("a stack file with s2s-auth:__proto__, read as the plan reads it, is refused in one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "proto-"));
    try {
      const file = join(dir, "Pulumi.proto.yaml");
      writeFileSync(file, PROTO_STACK_FILE);
      const files = readStackFiles(resolve(import.meta.dirname, "../.."), "proto", file);
      await expect(
        recordProgram({ project: files.project, stack: "proto", config: files.config, program: main }),
      ).rejects.toMatchObject({ message: PROTO_REFUSAL });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("text that ends up in URNs, names, terminals and PR comments", () => {
  const hostile = ["a::b", "${x}", "x}", "a\u0007b", "a\u0085b", "a\u202eb", "a\u2066b", "a\u2069b", "a\u200fb"];
  test.each(hostile)("a UPN carrying %j is refused", (bad) => {
    const err = errorOf({ ...seed(), devAccess: { users: [`dev${bad}@contoso.example`] } });
    expect(err.key).toBe("s2s-auth:devAccess.users[0]");
    expect(err.message).not.toMatch(/[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
  });

  test.each(hostile)("an app role display name or description carrying %j is refused", (bad) => {
    expect(
      errorOf({ ...seed(), callees: [{ name: "the-callee", appRoles: [{ value: "Invoke", displayName: `x${bad}` }] }] })
        .key,
    ).toBe("s2s-auth:callees[0].appRoles[0].displayName");
    expect(
      errorOf({ ...seed(), callees: [{ name: "the-callee", appRoles: [{ value: "Invoke", description: `x${bad}` }] }] })
        .key,
    ).toBe("s2s-auth:callees[0].appRoles[0].description");
  });

  test("plain display names, descriptions and UPNs still pass", () => {
    const cfg = parse({
      ...seed(),
      callees: [
        {
          name: "the-callee",
          appRoles: [
            { value: "Invoke", displayName: "Invoke the API", description: "Calls (the) callee: read & write, ≤ 5/s." },
          ],
        },
      ],
      devAccess: { users: ["dev.one_tag@contoso.example"] },
    });
    expect(cfg.devAccess?.userPrincipalNames).toEqual(["dev.one_tag@contoso.example"]);
  });

  // Issue 23, item 2: config refuses what Entra ID never accepts as a user principal name (Microsoft
  // Learn, "Password policies and account restrictions in Microsoft Entra ID", Username policies), so
  // such a name never reaches a plan; the renderer still writes every value as text.
  test.each([
    "[Approve](https://evil.example/phish)@contoso.example",
    "<img src=x>@contoso.example",
    "dev.one+tag@contoso.example",
    "äsa@contoso.example",
    "dev.@contoso.example",
    `${"a".repeat(65)}@contoso.example`,
    `dev@${"d".repeat(41)}.example`,
  ])("a UPN Entra ID would refuse, %j, is refused with one line naming the key", (upn) => {
    const err = errorOf({ ...seed(), devAccess: { users: [upn] } });
    expect(err.key).toBe("s2s-auth:devAccess.users[0]");
    expect(err.message.split("\n")).toHaveLength(1);
  });

  test.each(["o'neil@contoso.example", "a.b-c_d!e#f^g~h@sub.contoso.example", `${"a".repeat(64)}@contoso.example`])(
    "a UPN within Entra ID's rules, %j, passes",
    (upn) => {
      expect(parse({ ...seed(), devAccess: { users: [upn] } }).devAccess?.userPrincipalNames).toEqual([upn]);
    },
  );

  test.each(["west::europe", "westeurope\n", "${x}", "west\u202eeurope"])("a location %j is refused", (location) => {
    expect(errorOf(seed(), location).key).toBe("azure-native:location");
  });
});

describe("GitHub repositories and OIDC subjects", () => {
  test.each(["octo/repo", "Octo-Cat/my.repo_1", "a/b", "o/.github", `${"a".repeat(39)}/${"b".repeat(100)}`])(
    "repository %s is accepted",
    (repository) => {
      expect(parse(ci({ repository })).ciAccess?.repository).toBe(repository);
    },
  );
  test.each([
    "-octo/repo",
    "octo-/repo",
    "oc--to/repo",
    "octo/-repo",
    "octo/..",
    "octo/.",
    "octo/a..b",
    "octo/repo/x",
    "octo",
    "oc_to/repo",
    `${"a".repeat(40)}/r`,
    "octo/re po",
  ])("repository %j is refused", (repository) =>
    expect(errorOf(ci({ repository })).key).toBe("s2s-auth:ciAccess.repository"),
  );

  // git agrees on both lists: hostile.deep.test.ts asks `git check-ref-format`.
  test.each(GOOD_GIT_REFS)("subject ref:%s is accepted", (ref) => {
    expect(parse(ci({ subjects: [`ref:${ref}`] })).ciAccess?.subjects).toEqual([`ref:${ref}`]);
  });
  test.each(BAD_GIT_REFS)("subject ref:%s is refused", (ref) => {
    expect(errorOf(ci({ subjects: [`ref:${ref}`] })).key).toBe("s2s-auth:ciAccess.subjects[0]");
    expect(isGitRef(ref)).toBe(false);
  });
  test.each([
    "environment:",
    "environment: ",
    "environment: dev",
    "environment:dev ",
    "environment:a::b",
    "pull_request_target",
    "ref:",
    "ref:main",
    "refs/heads/main",
  ])("subject %j is refused", (subject) =>
    expect(errorOf(ci({ subjects: [subject] })).key).toBe("s2s-auth:ciAccess.subjects[0]"),
  );
  test.each(["pull_request", "environment:dev", "environment:Production EU", "environment:a"])(
    "subject %j is accepted",
    (subject) => {
      expect(parse(ci({ subjects: [subject] })).ciAccess?.subjects).toEqual([subject]);
    },
  );
});

describe("the App Service plan SKU", () => {
  test.each(Object.keys(APP_SERVICE_PLAN_SKUS))("%s is accepted", (sku) =>
    expect(parse({ ...seed(), appServicePlanSku: sku }).appServicePlanSku).toBe(sku),
  );
  test("names are compared ignoring case, as ARM does, and kept in their canonical spelling", () => {
    expect(parse({ ...seed(), appServicePlanSku: "p0V3" }).appServicePlanSku).toBe("P0v3");
  });
  test.each(["B4", "Y1", "EP1", "D1", "P1", "I1v2", "FOO1", "b 1", "B1::x"])(
    "%s is refused, listing the names",
    (sku) => {
      const err = errorOf({ ...seed(), appServicePlanSku: sku });
      expect(err.key).toBe("s2s-auth:appServicePlanSku");
      expect(err.message).toContain("B1, B2, B3");
    },
  );
});

describe("principals and roles that would collide", () => {
  const external = (principalId: string, name: string) => ({
    name,
    host: "external",
    principalId,
    calls: [{ callee: "the-callee" }],
  });
  test("two external callers with one principal id (any case) are refused", () => {
    const err = errorOf({ ...seed(), callers: [external(EXT_A, "vm-one"), external(EXT_A.toUpperCase(), "vm-two")] });
    expect(err.key).toBe("s2s-auth:callers[1].principalId");
    expect(err.message).toContain(`principal ${EXT_A} is already declared by another external caller`);
  });
  test("two external callers with different principal ids pass", () => {
    expect(
      parse({ ...seed(), callers: [external(EXT_A, "vm-one"), external(EXT_A.replace("5555", "6666"), "vm-two")] })
        .callers,
    ).toHaveLength(2);
  });
  test.each([DEV_SCOPE, DEV_SCOPE.toUpperCase()])("a role value %s (the dev scope's) is refused", (value) => {
    expect(errorOf({ ...seed(), callees: [{ name: "the-callee", appRoles: [{ value }] }] }).key).toBe(
      "s2s-auth:callees[0].appRoles[0].value",
    );
  });
});
