// Starts the real plugin executable, as the engine does, reads the port it prints and talks gRPC to it.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb.js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb.js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb.js";
import { CreateRequest, type CreateResponse, InvokeRequest, type InvokeResponse } from "@pulumi/pulumi/proto/provider_pb.js";
import { newTenant, readState, scratchStatePath, writeStateAtomically } from "../../twin/state.ts";

const ROOT = join(__dirname, "..", "..");

function start(plugin: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(join(ROOT, "twin", "bin", plugin), [], { env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0]!;
      if (out.includes("\n")) resolve({ child, port: Number(line.trim()) });
    });
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`${plugin} exited with ${code}: ${err}`)));
  });
}

function unary<Req, Res>(call: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => call(req, (e, r) => (e ? reject(e) : resolve(r))));
}

describe("the twin's plugin executables", () => {
  let plugin: { child: ChildProcess; port: number } | undefined;
  afterEach(() => {
    plugin?.child.kill();
    plugin = undefined;
  });

  it("serve gRPC on the port they print, as azuread 6.9.1 over the tenant's state", async () => {
    const path = scratchStatePath();
    writeStateAtomically(path, newTenant());
    plugin = await start("pulumi-resource-azuread", { ...process.env, S2S_TWIN_STATE: path });
    const client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());

    const info = await unary<Empty, PluginInfo>(client.getPluginInfo.bind(client), new Empty());
    expect(info.getVersion()).toBe("6.9.1");

    const config = await unary<InvokeRequest, InvokeResponse>(
      client.invoke.bind(client),
      new InvokeRequest().setTok("azuread:index/getClientConfig:getClientConfig").setArgs(Struct.fromJavaScript({})),
    );
    const state = readState(path);
    expect(config.getReturn()!.toJavaScript()).toMatchObject({ tenantId: state.tenantId, objectId: state.deployer.servicePrincipalId });

    const created = await unary<CreateRequest, CreateResponse>(
      client.create.bind(client),
      new CreateRequest()
        .setUrn("urn:pulumi:dev::s2s-auth::azuread:index/application:Application::app")
        .setProperties(Struct.fromJavaScript({ displayName: "over grpc", signInAudience: "AzureADMyOrg" })),
    );
    const objectId = String(created.getProperties()!.toJavaScript().objectId);
    expect(created.getId()).toBe(`/applications/${objectId}`);
    expect(readState(path).graph.applications[objectId]?.displayName).toBe("over grpc");
    client.close();
  }, 30_000);
});
