// The integration-test principal (components/access/ciPrincipal.ts): what the program declares
// for it, its federated credentials' names, and what it refuses on its own.
import * as pulumi from "@pulumi/pulumi";
import { CiPrincipal, credentialName } from "../../../components/access/ciPrincipal.ts";
import { FEDERATION_AUDIENCE, federatedSubject, GITHUB_OIDC_ISSUER } from "../../../components/federation.ts";
import { stableGuid } from "../../../components/stableId.ts";
import { baseConfig, runProgram, type ProgramRun } from "../../fixtures/index.ts";

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
  // Each run is made inside the first test that reads it, not in beforeAll, which would make
  // every component mutant it reaches "static" for Stryker.
  let devRun: Promise<ProgramRun> | undefined;
  let withoutRun: Promise<ProgramRun> | undefined;
  const withCi = () => (devRun ??= runProgram("dev", { ...baseConfig("dev"), "s2s-auth:ciAccess": CI_ACCESS }));
  const withoutCi = () => (withoutRun ??= runProgram("dev", baseConfig("dev")));

  test("declares one CiPrincipal: an app, a service principal, one federated credential per subject", async () => {
    const dev = await withCi();
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

  test("no password or certificate resource exists for it", async () => {
    const dev = await withCi();
    expect(dev.resources.filter((r) => /applicationPassword|applicationCertificate/.test(r.type))).toEqual([]);
  });

  test("is granted the callee's role, assigned to its service principal's object id", async () => {
    const dev = await withCi();
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
    // The caller keeps its own grant: both were admitted before the callee's seal().
    expect(
      dev
        .ofType(T.assignment)
        .map((a) => a.name)
        .sort(),
    ).toEqual(["ci_principal_to_the-callee-assignment", "the-caller_to_the-callee-assignment"]);
  });

  test("its client id joins EasyAuth's allow-list next to the caller's", async () => {
    const dev = await withCi();
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

  test("exports the client id workflows sign in with", async () => {
    const dev = await withCi();
    const without = await withoutCi();
    expect(dev.outputs["ciPrincipalClientId"]).toBe("ci-principal-app-client-id");
    expect(without.outputs["ciPrincipalClientId"]).toBeUndefined();
  });

  test("without ciAccess nothing of it is declared", async () => {
    const without = await withoutCi();
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

describe("on its own", () => {
  beforeEach(async () => {
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) },
      "s2s-auth",
      "dev",
      false,
    );
  });
  afterEach(() => pulumi.runtime.disconnect());

  test("a CI principal needs at least one OIDC subject", () => {
    expect(
      () => new CiPrincipal("ci", { displayName: "s2s-auth-ci-dev", repository: "contoso/s2s-auth", subjects: [] }),
    ).toThrow(expect.objectContaining({ message: "ci: at least one OIDC subject is required" }));
  });
});

describe("credentialName", () => {
  test.each([
    // Runs of other characters become one '-', none at either end.
    [":ref::refs/heads/main/", "github-ref-refs-heads-main-"],
    ["environment:dev", "github-environment-dev-"],
    ["job_workflow_ref-x", "github-job_workflow_ref-x-"],
    // Dashes of the subject itself are trimmed at the ends too, however many.
    ["--ref:-x--", "github-ref--x-"],
  ])("%j keeps a readable part", (subject, prefix) => {
    const name = credentialName(subject);
    expect(name.slice(0, -8)).toBe(prefix);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test("keeps 80 readable characters of a long subject, then a hash of the whole subject", () => {
    const long = credentialName(`environment:${"a".repeat(100)}`);
    const other = credentialName(`environment:${"a".repeat(101)}`);
    expect(long).toBe(`github-environment-${"a".repeat(68)}-${long.slice(-8)}`);
    expect(other.slice(0, -8)).toBe(long.slice(0, -8));
    expect(other).not.toBe(long);
  });
});
