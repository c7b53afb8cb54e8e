// The integration-test principal: config rules, and what the program declares for it.
import { ConfigError, parseStackConfig } from "../config.ts";
import {
  credentialName,
  FEDERATION_AUDIENCE,
  federatedSubject,
  GITHUB_OIDC_ISSUER,
} from "../components/access/ciPrincipal.ts";
import { stableGuid } from "../components/stableId.ts";
import { configErrorFrom } from "./configError.ts";
import { baseConfig, runProgram, type ProgramRun } from "./harness.ts";

const T = {
  component: "s2s-auth:access:CiPrincipal",
  app: "azuread:index/application:Application",
  sp: "azuread:index/servicePrincipal:ServicePrincipal",
  fic: "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
  assignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  auth: "azure-native:web:WebAppAuthSettingsV2",
};

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

describe("federated credential naming", () => {
  test("the subject is GitHub's sub claim", () => {
    expect(federatedSubject("contoso/s2s-auth", "environment:dev")).toBe("repo:contoso/s2s-auth:environment:dev");
  });

  test("names are distinct per subject and use only Entra's characters", () => {
    const names = ["ref:refs/heads/a-b", "ref:refs/heads/a/b", "pull_request"].map(credentialName);
    expect(new Set(names).size).toBe(3);
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/);
  });
});

describe("the program with ciAccess (dev)", () => {
  let dev: ProgramRun;
  let without: ProgramRun;
  beforeAll(async () => {
    dev = await runProgram("dev", { ...baseConfig("dev"), "s2s-auth:ciAccess": CI_ACCESS });
    without = await runProgram("dev", baseConfig("dev"));
  });

  test("declares one CiPrincipal with an app, a service principal and one federated credential per subject", () => {
    expect(dev.ofType(T.component).map((r) => r.name)).toEqual(["ci-principal"]);
    const app = dev.named("ci-principal-app");
    expect(app.parent).toMatch(/s2s-auth:access:CiPrincipal::ci-principal$/);
    expect(app.inputs["displayName"]).toBe("s2s-auth-ci-dev");
    expect(app.inputs["password"]).toBeUndefined();
    expect(app.inputs["web"]).toEqual({
      implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false },
    });
    expect(dev.named("ci-principal-sp").inputs["clientId"]).toBe("ci-principal-app-client-id");
    const fics = dev.ofType(T.fic);
    expect(fics.map((f) => f.inputs)).toEqual(
      CI_ACCESS.subjects.map((subject) => ({
        applicationId: "ci-principal-app-id",
        displayName: credentialName(subject),
        description: `GitHub Actions of contoso/s2s-auth, ${subject}`,
        issuer: GITHUB_OIDC_ISSUER,
        audiences: [FEDERATION_AUDIENCE],
        subject: `repo:contoso/s2s-auth:${subject}`,
      })),
    );
  });

  test("no password or certificate resource exists for it", () => {
    expect(dev.resources.filter((r) => /applicationPassword|applicationCertificate/.test(r.type))).toEqual([]);
  });

  test("is granted the callee's role, assigned to its service principal's object id", () => {
    const grant = dev.named("ci_principal_to_the-callee-assignment");
    expect(grant.type).toBe(T.assignment);
    // Traceable: the principal is the ServicePrincipal resource's objectId output.
    expect(grant.inputs).toEqual({
      principalObjectId: "ci-principal-sp-object-id",
      resourceObjectId: "the-callee-sp-object-id",
      appRoleId: stableGuid("the-callee", "app-role", "Invoke"),
    });
    const principal = dev.ofType(T.sp).find((sp) => `${sp.name}-object-id` === grant.inputs["principalObjectId"]);
    expect(principal?.name).toBe("ci-principal-sp");
    // The caller keeps its own grant: both went through the one allow() call.
    expect(
      dev
        .ofType(T.assignment)
        .map((a) => a.name)
        .sort(),
    ).toEqual(["ci_principal_to_the-callee-assignment", "the-caller_to_the-callee-assignment"]);
  });

  test("its client id joins EasyAuth's allow-list next to the caller's", () => {
    const auth = dev.named("the-callee-auth");
    const validation = (
      auth.inputs["identityProviders"] as {
        azureActiveDirectory: { validation: { defaultAuthorizationPolicy: { allowedApplications: string[] } } };
      }
    ).azureActiveDirectory.validation;
    expect(validation.defaultAuthorizationPolicy.allowedApplications).toEqual([
      "ci-principal-app-client-id",
      "the-caller-site-principal-client-id",
    ]);
  });

  test("exports the client id workflows sign in with", () => {
    expect(dev.outputs["ciPrincipalClientId"]).toBe("ci-principal-app-client-id");
    expect(without.outputs["ciPrincipalClientId"]).toBeUndefined();
  });

  test("without ciAccess nothing of it is declared", () => {
    expect(without.ofType(T.component)).toEqual([]);
    expect(without.ofType(T.fic)).toEqual([]);
    expect(without.ofType(T.assignment).map((a) => a.name)).toEqual(["the-caller_to_the-callee-assignment"]);
  });
});

describe("the program with ciAccess in prod", () => {
  test("refuses to run", async () => {
    await expect(runProgram("prod", { ...baseConfig("prod"), "s2s-auth:ciAccess": CI_ACCESS })).rejects.toThrow(
      /s2s-auth:ciAccess: .*not allowed in prod/,
    );
  });
});
