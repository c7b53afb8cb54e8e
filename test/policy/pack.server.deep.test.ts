// The policy pack as the Pulumi CLI runs it: the real analyzer server (@pulumi/policy, started
// through @pulumi/pulumi's run-policy-pack with ts-node registered, like the nodejs language
// host does) driven over gRPC the way the engine drives it during `pulumi preview`: Analyze for
// each resource's inputs, then AnalyzeStack. No Pulumi CLI is needed. The pack's functions are
// tested in process in pack.test.ts.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb.js";
import {
  type AnalyzeDiagnostic,
  AnalyzeRequest,
  type AnalyzeResponse,
  type AnalyzerInfo,
  AnalyzerResource,
  AnalyzerResourceOptions,
  AnalyzeStackRequest,
  ConfigureAnalyzerRequest,
  Empty,
  PolicyConfig,
  Struct,
} from "../protobuf.ts";
import type { PlannedResource } from "../../model/index.ts";
import { rules } from "../../policy/rules/index.ts";
import { Mutable, plannedResources, setIn } from "./stacks.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// --- the analyzer server ------------------------------------------------------------------------

let server: ChildProcess | undefined;
let client: AnalyzerClient;

function startPack(): Promise<number> {
  return new Promise((resolve, reject) => {
    const policyDir = join(ROOT, "policy");
    const child = spawn(
      process.execPath,
      [join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js"), "127.0.0.1:1", policyDir],
      {
        cwd: policyDir,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    server = child;
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
  });
}

const call = <Req, Res>(
  method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
) => new Promise<Res>((resolve, reject) => method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))));

function options(r: PlannedResource): AnalyzerResourceOptions {
  return new AnalyzerResourceOptions().setProtect(r.protect).setParent(r.parent ?? "");
}

interface Diagnostic {
  policy: string;
  urn: string;
  message: string;
  mandatory: boolean;
}
const diagnostics = (res: AnalyzeResponse): Diagnostic[] =>
  res.getDiagnosticsList().map((d: AnalyzeDiagnostic) => ({
    policy: d.getPolicyname(),
    urn: d.getUrn(),
    message: d.getMessage(),
    mandatory: d.getEnforcementlevel() === 1,
  }));

/**
 * One `pulumi preview`: every resource's inputs to Analyze, then the stack to AnalyzeStack. The
 * stack analyzer gets no properties, as for resources not created yet, so the rules can only
 * pass or fail on the inputs the pack recorded.
 */
async function preview(resources: PlannedResource[]): Promise<Diagnostic[]> {
  const perResource: Diagnostic[] = [];
  for (const r of resources) {
    const req = new AnalyzeRequest()
      .setType(r.type)
      .setUrn(r.urn)
      .setName(r.name)
      .setOptions(options(r))
      .setProperties(Struct.fromJavaScript(r.inputs as never));
    perResource.push(...diagnostics(await call(client.analyze, req)));
  }
  const stack = new AnalyzeStackRequest().setResourcesList(
    resources.map((r) =>
      new AnalyzerResource()
        .setType(r.type)
        .setUrn(r.urn)
        .setName(r.name)
        .setParent(r.parent ?? "")
        .setOptions(options(r))
        .setProperties(new Struct()),
    ),
  );
  return [...perResource, ...diagnostics(await call(client.analyzeStack, stack))];
}

/** Replaces inputs Pulumi cannot know before the first deployment by the engine's unknown marker. */
function firstPreview(resources: PlannedResource[]): PlannedResource[] {
  const m = new Mutable(resources);
  const unknown: [string, (string | number)[]][] = [
    ["the-callee-sp", ["clientId"]],
    ["the-callee-uri", ["identifierUri"]],
    ["the-callee-uri", ["applicationId"]],
    ["the-callee-auth", ["name"]],
    ["the-callee-auth", ["identityProviders", "azureActiveDirectory", "registration", "clientId"]],
    ["the-callee-auth", ["identityProviders", "azureActiveDirectory", "validation", "allowedAudiences", 0]],
    ["the-callee-site-ftp", ["name"]],
    ["the-caller_to_the-callee-assignment", ["principalObjectId"]],
    ["the-caller_to_the-callee-assignment", ["resourceObjectId"]],
  ];
  for (const [name, path] of unknown) setIn(m.named(name).inputs, path, UNKNOWN_STRING);
  return m.resources;
}

describe("the policy pack under the real analyzer server", () => {
  let dev: PlannedResource[];
  let prod: PlannedResource[];

  beforeAll(async () => {
    dev = await plannedResources("dev");
    prod = await plannedResources("prod");
    const port = await startPack();
    client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }, 60_000);

  afterAll(() => {
    client?.close();
    server?.removeAllListeners("exit");
    server?.kill();
  });

  test("it serves one policy per rule, plus the input recorder and the environment check", async () => {
    const info = await call<Empty, AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
    const names = info.getPoliciesList().map((p) => p.getName());
    expect(names.sort()).toEqual(
      ["s2s-auth-environment-known", "s2s-auth-record-inputs", ...rules.map((r) => r.id)].sort(),
    );
  });

  test.each(["dev", "prod"] as const)("the %s stack passes", async (stack) => {
    expect(await preview(stack === "dev" ? dev : prod)).toEqual([]);
  });

  test.each(["dev", "prod"] as const)(
    "a first preview of %s, with unknown values, passes without 'can't run during preview'",
    async (stack) => {
      expect(await preview(firstPreview(stack === "dev" ? dev : prod))).toEqual([]);
    },
  );

  test("assignment required false is a mandatory violation of callee-sp-assignment-required", async () => {
    const m = new Mutable(prod);
    setIn(m.named("the-callee-sp").inputs, ["appRoleAssignmentRequired"], false);
    expect(await preview(firstPreview(m.resources))).toEqual([
      {
        policy: "callee-sp-assignment-required",
        urn: m.named("the-callee-sp").urn,
        message: expect.stringMatching(/Fix: /),
        mandatory: true,
      },
    ]);
  });

  test("a site without httpsOnly fails on its first preview", async () => {
    const m = new Mutable(dev);
    setIn(m.named("the-caller-site").inputs, ["httpsOnly"], undefined);
    expect((await preview(firstPreview(m.resources))).map((d) => [d.policy, d.urn])).toEqual([
      ["site-https-only", m.named("the-caller-site").urn],
    ]);
  });

  test("policy config sets the environment: the dev stack held to prod rules fails them", async () => {
    const env = (environment: string) =>
      new PolicyConfig().setEnforcementlevel(1).setProperties(Struct.fromJavaScript({ environment }));
    const req = new ConfigureAnalyzerRequest();
    for (const r of rules) req.getPolicyconfigMap().set(r.id, env("prod"));
    await call(client.configure, req);
    const policies = new Set((await preview(dev)).map((d) => d.policy));
    expect([...policies].sort()).toEqual([
      "env-no-delegated-scopes",
      "env-no-preauthorized-clients",
      "env-no-user-role-assignments",
      "prod-resources-protected",
    ]);
  });
});
