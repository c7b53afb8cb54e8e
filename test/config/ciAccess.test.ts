// s2s-auth:ciAccess in config (config.ts): where it is allowed, its defaults, and the subjects
// and repositories it accepts.
import { ConfigError, parseStackConfig } from "../../config.ts";
import { configErrorFrom } from "../fixtures/configError.ts";
import { baseConfig } from "../fixtures/index.ts";

const CI_ACCESS = {
  repository: "contoso/s2s-auth",
  subjects: ["environment:dev", "pull_request"],
  calls: [{ callee: "the-callee" }],
};

/** The raw config without the `s2s-auth:` prefix, as parseStackConfig takes it. */
function raw(environment: "dev" | "test" | "prod", extra: Record<string, unknown> = {}): Record<string, unknown> {
  const entries = Object.entries(baseConfig(environment)).filter(([k]) => k.startsWith("s2s-auth:"));
  return { ...Object.fromEntries(entries.map(([k, v]) => [k.slice("s2s-auth:".length), v])), ...extra };
}

function configError(environment: "dev" | "test" | "prod", extra: Record<string, unknown>): ConfigError {
  return configErrorFrom(() => parseStackConfig(environment, raw(environment, extra), "westeurope"));
}

describe("s2s-auth:ciAccess in config", () => {
  test("dev and test accept it; the role defaults to the callee's only role", () => {
    for (const env of ["dev", "test"] as const) {
      const cfg = parseStackConfig(env, raw(env, { ciAccess: CI_ACCESS }), "westeurope");
      expect(cfg.ciAccess).toEqual({
        repository: "contoso/s2s-auth",
        subjects: ["environment:dev", "pull_request"],
        calls: [{ callee: "the-callee", role: "Invoke" }],
      });
    }
  });

  test("is absent unless declared", () => {
    expect(parseStackConfig("dev", raw("dev"), "westeurope").ciAccess).toBeUndefined();
  });

  test("prod rejects it with an error naming the key", () => {
    const err = configError("prod", { ciAccess: CI_ACCESS });
    expect(err.key).toBe("s2s-auth:ciAccess");
    expect(err.message).toMatch(/^Invalid configuration for stack "prod": s2s-auth:ciAccess: .*not allowed in prod/);
  });

  test.each([
    [
      { ...CI_ACCESS, calls: [{ callee: "nope" }] },
      "s2s-auth:ciAccess.calls[0].callee",
      /unknown callee "nope" \(declared: the-callee\)/,
    ],
    [
      { ...CI_ACCESS, calls: [{ callee: "the-callee", role: "Admin" }] },
      "s2s-auth:ciAccess.calls[0].role",
      /unknown role "Admin" of "the-callee"/,
    ],
    [
      { ...CI_ACCESS, calls: [{ callee: "the-callee" }, { callee: "the-callee" }] },
      "s2s-auth:ciAccess.calls[1].callee",
      /listed twice/,
    ],
    [{ ...CI_ACCESS, calls: [] }, "s2s-auth:ciAccess.calls", /at least one callee/],
    [{ ...CI_ACCESS, repository: "just-a-name" }, "s2s-auth:ciAccess.repository", /owner\/name/],
    [{ ...CI_ACCESS, subjects: ["branch:main"] }, "s2s-auth:ciAccess.subjects[0]", /pull_request/],
    [{ ...CI_ACCESS, subjects: [] }, "s2s-auth:ciAccess.subjects", /at least one subject/],
    [
      { ...CI_ACCESS, subjects: ["pull_request", "pull_request"] },
      "s2s-auth:ciAccess.subjects[1]",
      /duplicate subject/,
    ],
    [{ ...CI_ACCESS, secret: "x" }, "s2s-auth:ciAccess", /unknown key\(s\): secret/],
  ])("rejects %j at %s", (ciAccess, key, message) => {
    const err = configError("dev", { ciAccess });
    expect(err.key).toBe(key);
    expect(err.message).toMatch(message);
  });

  test("a callee with several roles needs the role named", () => {
    const err = configError("test", {
      callees: [{ name: "the-callee", appRoles: [{ value: "Read" }, { value: "Write" }] }],
      callers: [],
      ciAccess: CI_ACCESS,
    });
    expect(err.key).toBe("s2s-auth:ciAccess.calls[0].role");
  });

  test("accepts every documented subject form", () => {
    const subjects = [
      "pull_request",
      "environment:dev",
      "ref:refs/heads/main",
      "ref:refs/tags/v1.2.3",
      "ref:refs/heads/feature/x",
    ];
    expect(
      parseStackConfig("dev", raw("dev", { ciAccess: { ...CI_ACCESS, subjects } }), "westeurope").ciAccess?.subjects,
    ).toEqual(subjects);
  });
});
