// The settings every app registration shares (components/appRegistration.ts), above all its
// owners: the configured owners plus the identity that creates them, set once. Whoever runs
// Pulumi later (a person first, CI after) changes nothing about them.
import * as pulumi from "@pulumi/pulumi";
import { appRegistration } from "../../components/appRegistration.ts";
import { parseStackConfig } from "../../config.ts";
import { recordDeclarations } from "../fixtures/declarations.ts";
import {
  baseConfig,
  DEPLOYER_OBJECT_ID,
  runProgram,
  TENANT_ID,
  type CallMock,
  type ProgramRun,
} from "../fixtures/index.ts";

const ALICE = "aaaaaaaa-0000-4000-8000-000000000001";
const CI_DEPLOYER = "cccccccc-0000-4000-8000-000000000002";
const SOMEONE_ELSE = "eeeeeeee-0000-4000-8000-000000000003";
const APPLICATION = "azuread:index/application:Application";
const SERVICE_PRINCIPAL = "azuread:index/servicePrincipal:ServicePrincipal";

/** The stack of dev, with the CI principal too, and the owners in config. */
function config(owners: string[] | undefined): Record<string, unknown> {
  return {
    ...baseConfig("dev"),
    "s2s-auth:ciAccess": {
      repository: "contoso/s2s-auth",
      subjects: ["pull_request"],
      calls: [{ callee: "the-callee" }],
    },
    ...(owners === undefined ? {} : { "s2s-auth:owners": owners }),
  };
}

/** Runs the program as `deployer` (the identity azuread's getClientConfig reports). */
function runAs(deployer: string, owners: string[] | undefined): Promise<ProgramRun> {
  const call: CallMock = (args) =>
    args.token === "azuread:index/getClientConfig:getClientConfig"
      ? { tenantId: TENANT_ID, objectId: deployer, clientId: "deployer-client-id" }
      : undefined;
  return runProgram("dev", config(owners), { call });
}

const ownedObjects = (run: ProgramRun) => [...run.ofType(APPLICATION), ...run.ofType(SERVICE_PRINCIPAL)];

test("every app registration and service principal is created with the configured owners and its creator", async () => {
  const run = await runAs(DEPLOYER_OBJECT_ID, [CI_DEPLOYER, ALICE.toUpperCase()]);
  const owned = ownedObjects(run);
  expect(owned.map((r) => r.name).sort()).toEqual([
    "ci-principal-app",
    "ci-principal-sp",
    "the-callee-app",
    "the-callee-sp",
  ]);
  for (const r of owned) expect(r.inputs["owners"]).toEqual([ALICE, DEPLOYER_OBJECT_ID, CI_DEPLOYER].sort());
});

test("without configured owners, the creator alone owns what it creates (as before)", async () => {
  const run = await runAs(DEPLOYER_OBJECT_ID, undefined);
  for (const r of ownedObjects(run)) expect(r.inputs["owners"]).toEqual([DEPLOYER_OBJECT_ID]);
});

test("owners count at creation only: a later run by someone else declares no change Pulumi would apply", async () => {
  const first = await runAs(ALICE, [CI_DEPLOYER]);
  const later = await runAs(SOMEONE_ELSE, [CI_DEPLOYER]);
  for (const r of ownedObjects(later)) expect(r.ignoreChanges).toContain("owners");
  // What the engine compares after ignoreChanges (it keeps the old value of an ignored input).
  const compared = (run: ProgramRun) =>
    Object.fromEntries(
      ownedObjects(run).map((r) => [
        r.urn,
        Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !r.ignoreChanges.includes(k))),
      ]),
    );
  expect(compared(later)).toEqual(compared(first));
  // The only difference between the two runs is the ignored one.
  expect(ownedObjects(first).map((r) => r.inputs["owners"])).not.toEqual(
    ownedObjects(later).map((r) => r.inputs["owners"]),
  );
});

test.each([
  [["not-a-guid"], "s2s-auth:owners[0]: must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"],
  [[ALICE, ALICE.toUpperCase()], `s2s-auth:owners[1]: duplicate owner ${ALICE}`],
  ["alice", 's2s-auth:owners: must be an array, not string "alice"'],
])("owners %j are refused in one line naming the key", (owners, problem) => {
  const parse = () =>
    parseStackConfig("dev", { environment: "dev", callees: [{ name: "the-callee" }], owners }, "westeurope");
  expect(parse).toThrow(`Invalid configuration for stack "dev": ${problem}`);
});

describe("appRegistration on its own", () => {
  const inputs = new Map<string, Record<string, unknown>>();
  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          inputs.set(args.name, args.inputs);
          return { id: `${args.name}-id`, state: { ...args.inputs, clientId: `${args.name}-client-id` } };
        },
        call: () => ({}),
      },
      "s2s-auth",
      "dev",
      false,
    );
  });
  afterAll(() => pulumi.runtime.disconnect());

  test("without owners (the pipeline's identities): the shared settings, no owners, nothing ignored", async () => {
    const declarations = recordDeclarations();
    try {
      const parent = new pulumi.ComponentResource("test:index:Parent", "pipeline");
      const { servicePrincipal } = appRegistration(
        "pipeline",
        { displayName: "pipeline-dev", application: { notes: "n" } },
        parent,
      );
      await new Promise((resolve) => servicePrincipal.id.apply(resolve));
      expect(inputs.get("pipeline-app")).toEqual({
        displayName: "pipeline-dev",
        signInAudience: "AzureADMyOrg",
        notes: "n",
        web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
      });
      expect(inputs.get("pipeline-sp")).toEqual({
        clientId: "pipeline-app-client-id",
        featureTags: [{ hide: true, enterprise: true }],
      });
      const ignored = declarations.all().map((d) => [d.name, d.ignoreChanges]);
      expect(ignored).toEqual([
        ["pipeline", undefined],
        ["pipeline-app", undefined],
        ["pipeline-sp", undefined],
      ]);
    } finally {
      declarations.restore();
    }
  });
});
