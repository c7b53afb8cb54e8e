// tools/plan/recorder.ts: the program recorded with placeholders for deploy-time values, as `npm run plan` records it.
import * as pulumi from "@pulumi/pulumi";
import { invokeSource, placeholder, rootStackUrn } from "../../../model/index.ts";
import { danglingReferences } from "../../../tools/plan/document.ts";
import { SECRET } from "../../../tools/plan/placeholders.ts";
import { recordProgram, type Recording } from "../../../tools/plan/recorder.ts";
import main from "../../../index.ts";
import { recordStack } from "./stacks.ts";

const DEV = "urn:pulumi:dev::s2s-auth::";

function named(rec: Recording, name: string) {
  const found = rec.resources.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
  return found[0]!;
}

describe("recordProgram on the dev stack", () => {
  let dev: Recording;
  beforeAll(async () => {
    dev = await recordStack("dev");
  });

  it("records the parent chain in URNs and parents", () => {
    const assignment = named(dev, "the-callee-dev-access-user-developer@contoso.example-assignment");
    expect(assignment.urn).toBe(
      `${DEV}s2s-auth:api:ProtectedApi$s2s-auth:access:DevAccess$s2s-auth:access:AppRoleGrant` +
        `$azuread:index/appRoleAssignment:AppRoleAssignment::${assignment.name}`,
    );
    expect(assignment.parent).toBe(named(dev, "the-callee-dev-access-user-developer@contoso.example").urn);
    expect(named(dev, "s2s-auth").parent).toBeUndefined();
    expect(dev.resources.every((r) => !r.protect)).toBe(true);
  });

  it("traces a managed identity through the service principal lookup", () => {
    const site = named(dev, "the-caller-site");
    const lookup = invokeSource("azuread:index/getServicePrincipal:getServicePrincipal", {
      objectId: placeholder(site.urn, "identity.principalId"),
    });
    expect(named(dev, "the-caller_to_the-callee-assignment").inputs["principalObjectId"]).toBe(
      placeholder(lookup, "objectId"),
    );
    expect(named(dev, "the-caller_to_the-callee-assignment").inputs["resourceObjectId"]).toBe(
      placeholder(named(dev, "the-callee-sp").urn, "objectId"),
    );
  });

  it("keeps placeholders composed into larger strings", () => {
    const app = named(dev, "the-callee-app");
    expect(named(dev, "the-callee-uri").inputs["identifierUri"]).toBe(`api://${placeholder(app.urn, "clientId")}`);
    expect(named(dev, "the-callee-uri").inputs["applicationId"]).toBe(placeholder(app.urn, "id"));
    expect(dev.outputs["callers"]).toEqual({
      "the-caller": {
        url: `https://${placeholder(named(dev, "the-caller-site").urn, "defaultHostName")}`,
        appName: placeholder(named(dev, "the-caller-site").urn, "name"),
        principalId: placeholder(named(dev, "the-caller-site").urn, "identity.principalId"),
      },
    });
  });

  it("records data-source results as invoke placeholders", () => {
    expect(
      named(dev, "the-callee-dev-access-user-developer@contoso.example-assignment").inputs["principalObjectId"],
    ).toBe(
      placeholder(
        invokeSource("azuread:index/getUser:getUser", { userPrincipalName: "developer@contoso.example" }),
        "objectId",
      ),
    );
    expect(dev.outputs["tenantId"]).toBe(
      placeholder(invokeSource("azuread:index/getClientConfig:getClientConfig", {}), "tenantId"),
    );
  });

  it("leaves no placeholder pointing outside the recording", () => {
    expect(danglingReferences(dev.resources, dev.outputs, rootStackUrn("s2s-auth", "dev"))).toEqual([]);
  });
});

describe("recordProgram on the prod stack", () => {
  it("records protect as inherited from the components", async () => {
    const prod = await recordStack("prod");
    expect(prod.resources.length).toBeGreaterThan(10);
    expect(prod.resources.filter((r) => !r.protect).map((r) => r.urn)).toEqual([]);
    expect(
      prod.resources.some((r) => r.type.includes("DevAccess") || r.type.includes("ApplicationPreAuthorized")),
    ).toBe(false);
  });
});

describe("recordProgram with any program", () => {
  class Thing extends pulumi.CustomResource {
    declare readonly size: pulumi.Output<number>;
    declare readonly endpoint: pulumi.Output<string>;
    declare readonly settings: pulumi.Output<{ mode: string; key?: string }>;
    constructor(
      name: string,
      args: { size: number; password?: pulumi.Input<string>; settings?: { mode: string } },
      opts?: pulumi.CustomResourceOptions,
    ) {
      super("test:index:Thing", name, { ...args, endpoint: undefined, settings: args.settings }, opts);
    }
  }

  it("gives every declared output and nested property a placeholder, without a stub per type", async () => {
    const rec = await recordProgram({
      project: "proj",
      stack: "s",
      config: {},
      program: () => {
        const a = new Thing("a", { size: 1, password: pulumi.secret("hunter2"), settings: { mode: "x" } });
        const b = new Thing(
          "b",
          { size: 2, password: a.endpoint, settings: { mode: "y" } },
          { parent: a, protect: true },
        );
        return {
          endpoint: a.endpoint,
          key: a.settings.apply((s) => s.key),
          id: b.id,
          size: a.size,
          secret: pulumi.secret("s3cret"),
          nested: { inner: pulumi.secret("s3cret") },
        };
      },
    });
    const a = "urn:pulumi:s::proj::test:index:Thing::a";
    const b = "urn:pulumi:s::proj::test:index:Thing$test:index:Thing::b";
    expect(rec.resources.map((r) => [r.urn, r.parent, r.protect])).toEqual([
      [a, undefined, false],
      [b, a, true],
    ]);
    expect(rec.resources[0]!.inputs).toEqual({ size: 1, password: SECRET, settings: { mode: "x" } });
    expect(rec.resources[1]!.inputs["password"]).toBe(placeholder(a, "endpoint"));
    expect(rec.outputs).toEqual({
      endpoint: placeholder(a, "endpoint"),
      key: placeholder(a, "settings.key"),
      id: placeholder(b, "id"),
      size: 1,
      secret: SECRET,
      nested: SECRET,
    });
  });

  // A failure inside an apply is tested in a separate process (cli.test.ts): the SDK leaves
  // rejected promises behind, which the test runner reports against whichever test is running.
  it("rejects with the program's own error, and can record again afterwards", async () => {
    await expect(
      recordProgram({
        project: "proj",
        stack: "s",
        config: {},
        program: () => {
          throw new pulumi.RunError("bad config");
        },
      }),
    ).rejects.toThrow("bad config");
    const again = await recordProgram({
      project: "proj",
      stack: "s",
      config: {},
      program: () => ({ n: new Thing("c", { size: 3 }).size }),
    });
    expect(again.outputs).toEqual({ n: 3 });
  });

  it("passes config to the program as the Pulumi CLI does", async () => {
    const rec = await recordProgram({
      project: "proj",
      stack: "s",
      config: { "proj:list": [1, 2], "proj:name": "x" },
      program: () => ({
        list: new pulumi.Config().requireObject<number[]>("list"),
        name: new pulumi.Config().require("name"),
      }),
    });
    expect(rec.outputs).toEqual({ list: [1, 2], name: "x" });
  });

  it("reports invalid stack config of the real program as one line naming stack and key", async () => {
    await expect(
      recordProgram({
        project: "s2s-auth",
        stack: "broken",
        config: {
          "azure-native:location": "westeurope",
          "s2s-auth:environment": "qa",
          "s2s-auth:callees": [{ name: "x" }],
        },
        program: main,
      }),
    ).rejects.toThrow(/^Invalid configuration for stack "broken": s2s-auth:environment: /);
  });
});
