// policy/pack.ts in process: reading policy properties, choosing the environment, and the
// policies the pack serves, called the way @pulumi/policy calls them. pack.server.deep.test.ts drives
// the same policies through the real analyzer server; here a failure points at one line.
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { createRequire } from "node:module";
import { NOT_YET_KNOWN, type PlannedResource } from "../../model/index.ts";
import { Secret, unknownCheckingProxy } from "@pulumi/policy";
import { EnvironmentError } from "../../model/environment.ts";
import {
  ENVIRONMENT_POLICY,
  plain,
  policies,
  resolveEnvironment,
  toPlanned,
  UNKNOWN_SENTINELS,
  type InputsByUrn,
} from "../../policy/pack.ts";
import { rules, type Rule } from "../../policy/rules/index.ts";
import { Mutable, plannedResources, setIn } from "./stacks.ts";

const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function options(r: PlannedResource): PolicyResourceOptions {
  return {
    protect: r.protect,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    parent: r.parent,
  };
}

/** A resource as the stack analyzer receives it: outputs only, here the inputs echoed back. */
function asPolicyResource(r: PlannedResource): PolicyResource {
  return {
    type: r.type,
    props: r.inputs,
    urn: r.urn,
    name: r.name,
    opts: options(r),
    provider: r.custom
      ? { type: "pulumi:providers:azure-native", props: {}, urn: "urn:provider", name: "default" }
      : undefined,
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  };
}

function resourceArgs(r: PlannedResource): ResourceValidationArgs {
  const { type, props, urn, name, opts, provider } = asPolicyResource(r);
  return {
    type,
    props,
    urn,
    name,
    opts,
    provider,
    stackTags: new Map(),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: () => {
      throw new Error("not applicable");
    },
    isType: () => false,
    asType: () => undefined,
  };
}

/** Feeds every resource to the input recorder, as the engine does before the stack policies. */
async function record(
  recorder: ResourceValidationPolicy | StackValidationPolicy,
  resources: PlannedResource[],
): Promise<void> {
  if (!("validateResource" in recorder) || recorder.validateResource === undefined)
    throw new Error("the first policy must be the input recorder");
  const validations = Array.isArray(recorder.validateResource)
    ? recorder.validateResource
    : [recorder.validateResource];
  for (const r of resources) {
    for (const validate of validations)
      await validate(resourceArgs(r), (message) => {
        throw new Error(`the recorder reported: ${message}`);
      });
  }
}

function stackArgs(resources: PlannedResource[], config: { environment?: string } = {}): StackValidationArgs {
  return {
    resources: resources.map(asPolicyResource),
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable: () => {
      throw new Error("not applicable");
    },
  };
}

const isStackPolicy = (p: ResourceValidationPolicy | StackValidationPolicy): p is StackValidationPolicy =>
  "validateStack" in p;

/** Runs the pack's policies as the engine does: each resource's inputs, then every stack policy. */
async function run(resources: PlannedResource[], config?: { environment?: string }, inputs: InputsByUrn = new Map()) {
  const [recorder, ...stackPolicies] = policies(rules, inputs);
  await record(recorder!, resources);
  const found: { policy: string; urn: string | undefined; message: string }[] = [];
  for (const p of stackPolicies.filter(isStackPolicy)) {
    await p.validateStack(stackArgs(resources, config), (message, urn) => found.push({ policy: p.name, urn, message }));
  }
  return found;
}

describe("plain", () => {
  test("the sentinels are the ones @pulumi/policy recognises", () => {
    // proxy.js declares them @internal, so its typings are empty: read the module itself.
    const proxy = createRequire(import.meta.filename)("@pulumi/policy/proxy.js") as Record<string, unknown>;
    const theirs = Object.entries(proxy)
      .filter(([k]) => /^unknown[A-Z]\w*Value$/.test(k))
      .map(([, v]) => v);
    expect(new Set(theirs)).toEqual(UNKNOWN_SENTINELS);
  });

  test("unwraps the unknown-checking proxy without tripping it, unknowns become NOT_YET_KNOWN", () => {
    const props = (unknownCheckingProxy as (x: object) => Record<string, unknown>)({
      httpsOnly: true,
      name: UNKNOWN_STRING,
      siteConfig: { minTlsVersion: "1.2", appSettings: [{ name: "A", value: UNKNOWN_STRING }] },
      audiences: [UNKNOWN_STRING, "api://x"],
    });
    expect(() => props["name"]).toThrow(/can't be known during preview/);
    expect(plain(props)).toEqual({
      httpsOnly: true,
      name: NOT_YET_KNOWN,
      siteConfig: { minTlsVersion: "1.2", appSettings: [{ name: "A", value: NOT_YET_KNOWN }] },
      audiences: [NOT_YET_KNOWN, "api://x"],
    });
  });

  test("unwraps secrets", () => {
    expect(plain({ a: new Secret("s"), b: [new Secret({ c: 1 })] })).toEqual({ a: "s", b: [{ c: 1 }] });
  });
});

describe("resolveEnvironment", () => {
  const urns = ["urn:pulumi:test::s2s-auth::azure-native:web:WebApp::x"];
  test("policy config wins", () => expect(resolveEnvironment("dev", urns)).toBe("dev"));
  test("then the stack name", () => expect(resolveEnvironment(undefined, urns)).toBe("test"));
  test("review stacks (dev-pr-<n>) are dev copies", () =>
    expect(resolveEnvironment(undefined, ["urn:pulumi:dev-pr-42::s2s-auth::t::x"])).toBe("dev"));
  // Found by npm run e2e: bootstrap's `preview --policy-pack` failed on its stack "pipeline".
  test("the pipeline's identities (bootstrap/) are held to prod's rules, whatever their stack is called", () => {
    expect(resolveEnvironment(undefined, ["urn:pulumi:pipeline::s2s-auth-bootstrap::t::x"])).toBe("prod");
    expect(resolveEnvironment("dev", ["urn:pulumi:pipeline::s2s-auth-bootstrap::t::x"])).toBe("dev");
    expect(() => resolveEnvironment(undefined, ["urn:pulumi:pipeline::s2s-auth::t::x"])).toThrow(EnvironmentError);
  });
  test("only a whole dev-<suffix> name is a dev copy; anything else is unknown", () => {
    for (const stack of ["prod-dev", "prod-dev-1", "dev-pr_1"]) {
      expect(() => resolveEnvironment(undefined, [`urn:pulumi:${stack}::s2s-auth::t::x`])).toThrow(EnvironmentError);
    }
  });
  test("an unrelated stack name, or none, never defaults: it is an error naming what to set", () => {
    expect(() => resolveEnvironment(undefined, ["urn:pulumi:alice-sandbox::s2s-auth::t::x"])).toThrow(
      /^cannot tell the environment of stack "alice-sandbox": set it \(dev, test, prod\)/,
    );
    expect(() => resolveEnvironment(undefined, [])).toThrow(EnvironmentError);
    expect(() => resolveEnvironment(undefined, ["not-a-urn"])).toThrow(EnvironmentError);
  });
  test("an invalid configured value is an error, not ignored", () =>
    expect(() => resolveEnvironment("staging", urns)).toThrow('environment "staging" is not one of dev, test, prod'));
});

test("a stack whose environment cannot be told fails the run once, and the rules judge it as prod", async () => {
  const m = new Mutable(prod);
  m.named("the-callee-site").protect = false;
  const elsewhere = m.resources.map((r) => ({ ...r, urn: r.urn.replace("urn:pulumi:prod::", "urn:pulumi:sandbox::") }));
  const found = await run(elsewhere);
  expect(found.filter((f) => f.policy === ENVIRONMENT_POLICY)).toEqual([
    {
      policy: ENVIRONMENT_POLICY,
      urn: undefined,
      message: expect.stringMatching(
        /^cannot tell the environment of stack "sandbox": .*; the rules judged it as prod$/,
      ),
    },
  ]);
  expect(found.map((f) => f.policy)).toContain("prod-resources-protected");
  // Configured, it is known: no finding of its own.
  expect((await run(elsewhere, { environment: "prod" })).filter((f) => f.policy === ENVIRONMENT_POLICY)).toEqual([]);
});

let dev: PlannedResource[];
let prod: PlannedResource[];
beforeAll(async () => {
  dev = await plannedResources("dev");
  prod = await plannedResources("prod");
});

test(
  "one input recorder, the environment check, then one stack policy per rule with its description: " +
    "mandatory and high for errors, advisory and medium for warnings",
  () => {
    const [recorder, environment, ...rest] = policies();
    expect(recorder).toMatchObject({ name: "s2s-auth-record-inputs", enforcementLevel: "advisory" });
    expect(environment).toMatchObject({
      name: ENVIRONMENT_POLICY,
      enforcementLevel: "mandatory",
      configSchema: { properties: { environment: { enum: ["dev", "test", "prod"] } } },
    });
    expect(rest.map((p) => [p.name, p.description, p.enforcementLevel, p.severity])).toEqual(
      rules.map((r) => [
        r.id,
        r.description,
        r.severity === "error" ? "mandatory" : "advisory",
        r.severity === "error" ? "high" : "medium",
      ]),
    );
    for (const p of rest)
      expect(p.configSchema).toEqual({
        properties: { environment: { type: "string", enum: ["dev", "test", "prod"] } },
      });
  },
);

test("a warning rule is an advisory, medium-severity policy", () => {
  const warning: Rule = { id: "w", severity: "warning", description: "A warning.", check: () => [] };
  expect(
    policies([warning])
      .slice(2)
      .map((p) => [p.enforcementLevel, p.severity]),
  ).toEqual([["advisory", "medium"]]);
});

test("the recorder keeps each resource's inputs, unknown values marked, and never reports", async () => {
  const inputs: InputsByUrn = new Map();
  const site = dev.find((r) => r.name === "the-callee-site")!;
  const withUnknown = { ...site, inputs: { ...site.inputs, name: UNKNOWN_STRING } };
  await run([withUnknown], undefined, inputs);
  expect(inputs.get(site.urn)).toEqual({ ...site.inputs, name: NOT_YET_KNOWN });
});

// Found by the first `pulumi preview --policy-pack` under the real engine: azure-native's SDK
// applies its defaults to siteConfig with `apply`, so a caller whose app settings name a callee
// URL not created yet sends the whole siteConfig as unknown. Not known yet is not "not set".
test("a site whose siteConfig is not known yet is judged at the update, not reported as unset", async () => {
  const unknownSiteConfig = dev.map((r) =>
    r.name === "the-caller-site" ? { ...r, inputs: { ...r.inputs, siteConfig: UNKNOWN_STRING } } : r,
  );
  expect(await run(unknownSiteConfig)).toEqual([]);
  const knownButWrong = dev.map((r) =>
    r.name === "the-caller-site"
      ? {
          ...r,
          inputs: { ...r.inputs, siteConfig: { ...(r.inputs["siteConfig"] as object), ftpsState: "AllAllowed" } },
        }
      : r,
  );
  expect((await run(knownButWrong)).map((f) => f.policy)).toEqual(["site-ftps-disabled"]);
});

test.each(["dev", "prod"] as const)("the %s stack passes", async (stack) => {
  expect(await run(stack === "dev" ? dev : prod)).toEqual([]);
});

test("a broken resource is reported by its rule, at its URN, with the rule's message", async () => {
  const m = new Mutable(prod);
  setIn(m.named("the-callee-sp").inputs, ["appRoleAssignmentRequired"], false);
  expect(await run(m.resources)).toEqual([
    {
      policy: "callee-sp-assignment-required",
      urn: m.named("the-callee-sp").urn,
      message: expect.stringMatching(/^appRoleAssignmentRequired is false, must be true\. Fix: /),
    },
  ]);
});

test("the environment comes from the policy config, else from the stack name in the URNs", async () => {
  const policiesOf = async (resources: PlannedResource[], config: { environment?: string }) =>
    [...new Set((await run(resources, config)).map((f) => f.policy))].sort();
  expect(await policiesOf(dev, { environment: "test" })).toEqual([
    "env-no-delegated-scopes",
    "env-no-preauthorized-clients",
    "env-no-user-role-assignments",
  ]);
  expect(await policiesOf(dev, {})).toEqual([]);
  const m = new Mutable(prod);
  m.named("the-callee-site").protect = false;
  expect(await policiesOf(m.resources, {})).toEqual(["prod-resources-protected"]);
  expect(await policiesOf(m.resources, { environment: "dev" })).toEqual([]);
});

test("the stack rules judge inputs recorded earlier, not the outputs the stack analyzer gets", async () => {
  const m = new Mutable(prod);
  const inputs: InputsByUrn = new Map();
  const [recorder, ...stackPolicies] = policies(rules, inputs);
  const assignmentRule = stackPolicies.filter(isStackPolicy).find((p) => p.name === "callee-sp-assignment-required")!;
  await record(recorder!, m.resources);
  // The outputs now claim assignment is not required; the recorded inputs say it is.
  setIn(m.named("the-callee-sp").inputs, ["appRoleAssignmentRequired"], false);
  const reported: string[] = [];
  await assignmentRule.validateStack(stackArgs(m.resources), (message) => reported.push(message));
  expect(reported).toEqual([]);
});

describe("toPlanned", () => {
  const site = (): PlannedResource => ({
    urn: "urn:pulumi:dev::p::azure-native:web:WebApp::s",
    type: "azure-native:web:WebApp",
    name: "s",
    custom: true,
    parent: "urn:parent",
    protect: true,
    inputs: { httpsOnly: true },
  });

  test("inputs recorded for the URN win over outputs", () => {
    const r = asPolicyResource(site());
    r.props = { httpsOnly: false };
    expect(toPlanned(r, new Map([[r.urn, { httpsOnly: true }]]))).toEqual(site());
  });

  test("outputs stand in, made plain, when no inputs were recorded", () => {
    const r = asPolicyResource(site());
    r.props = { httpsOnly: true, name: UNKNOWN_STRING };
    expect(toPlanned(r, new Map()).inputs).toEqual({ httpsOnly: true, name: NOT_YET_KNOWN });
  });

  test("the parent resource's URN wins over opts.parent; a component has no provider", () => {
    const r = asPolicyResource({ ...site(), custom: false, protect: false });
    r.parent = asPolicyResource({ ...site(), urn: "urn:real-parent" });
    expect(toPlanned(r, new Map())).toMatchObject({ parent: "urn:real-parent", custom: false, protect: false });
    r.opts.protect = undefined as unknown as boolean;
    expect(toPlanned(r, new Map()).protect).toBe(false);
  });
});
