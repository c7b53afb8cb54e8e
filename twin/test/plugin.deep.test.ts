// Starts the real plugin executable, as the engine does, reads the port it prints and talks gRPC to it.
// The additions twin/src/serve.ts makes to the SDK's server are also tested in this process: serve.test.ts.
import { type ChildProcess, spawn } from "node:child_process";
import * as net from "node:net";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import {
  CheckRequest,
  type CheckResponse,
  ConfigureRequest,
  type ConfigureResponse,
  CreateRequest,
  type CreateResponse,
  DeleteRequest,
  DiffRequest,
  DiffResponse,
  Empty,
  InvokeRequest,
  type InvokeResponse,
  type PluginInfo,
  ReadRequest,
  type ReadResponse,
  Struct,
} from "./protobuf.ts";
import { twinCommand } from "../src/commands.ts";
import { newTenant, readState, readWorld, scratchStatePath, withState, writeStateAtomically } from "../src/state.ts";

const TWIN = join(import.meta.dirname, "..");

function start(
  plugin: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(join(TWIN, "bin", plugin), args, { env, stdio: ["ignore", "pipe", "pipe"] });
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

function unary<Req, Res>(
  call: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => call(req, (e, r) => (e ? reject(e) : resolve(r))));
}

// A killed `pulumi up` must not leave plugin processes behind: the engine is gone, so they go.
it("exits once the engine it was started for stops listening", async () => {
  const engine = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => engine.listen(0, "127.0.0.1", resolve));
  const address = `127.0.0.1:${(engine.address() as net.AddressInfo).port}`;
  const path = scratchStatePath();
  writeStateAtomically(path, newTenant());
  const { child } = await start("pulumi-resource-azure-native", { ...process.env, S2S_TWIN_STATE: path }, [address]);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  engine.close();
  expect(await exited).toBe(0);
}, 30_000);

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
    expect(config.getReturn()!.toJavaScript()).toMatchObject({
      tenantId: state.tenantId,
      objectId: state.deployer.servicePrincipalId,
    });

    const created = await unary<CreateRequest, CreateResponse>(
      client.create.bind(client),
      new CreateRequest()
        .setUrn("urn:pulumi:dev::s2s-auth::azuread:index/application:Application::app")
        .setProperties(Struct.fromJavaScript({ displayName: "over grpc", signInAudience: "AzureADMyOrg" })),
    );
    const objectId = String(created.getProperties()!.toJavaScript().objectId);
    expect(created.getId()).toBe(`/applications/${objectId}`);
    expect(readState(path).graph.applications[objectId]?.displayName).toBe("over grpc");

    // Renamed behind Pulumi's back: a refresh reports the program's inputs with the cloud's values.
    withState((state) => {
      state.graph.applications[objectId]!.displayName = "renamed in the portal";
    }, path);
    const read = await unary<ReadRequest, ReadResponse>(
      client.read.bind(client),
      new ReadRequest()
        .setId(created.getId())
        .setUrn("urn:pulumi:dev::s2s-auth::azuread:index/application:Application::app")
        .setProperties(created.getProperties())
        .setInputs(Struct.fromJavaScript({ displayName: "over grpc", signInAudience: "AzureADMyOrg" })),
    );
    expect(read.getInputs()!.toJavaScript()).toEqual({
      displayName: "renamed in the portal",
      signInAudience: "AzureADMyOrg",
    });
    client.close();
  }, 30_000);

  it("run the engine's create, diff, read and delete for azure-native, keeping inputs as a secret", async () => {
    const path = scratchStatePath();
    writeStateAtomically(path, newTenant());
    plugin = await start("pulumi-resource-azure-native", { ...process.env, S2S_TWIN_STATE: path });
    const client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
    const urn = "urn:pulumi:dev::s2s-auth::s2s-auth:hosting:Hosting$azure-native:resources:ResourceGroup::s2s-auth-rg";

    const info = await unary<Empty, PluginInfo>(client.getPluginInfo.bind(client), new Empty());
    expect(info.getVersion()).toBe("3.28.0");
    const configured = await unary<ConfigureRequest, ConfigureResponse>(
      client.configure.bind(client),
      new ConfigureRequest(),
    );
    expect(configured.getSupportspreview()).toBe(true);
    const previewed = await unary<CreateRequest, CreateResponse>(
      client.create.bind(client),
      new CreateRequest()
        .setUrn(urn)
        .setPreview(true)
        .setProperties(Struct.fromJavaScript({ resourceGroupName: "previewed", location: "westeurope" })),
    );
    expect(previewed.getProperties()!.toJavaScript()).toMatchObject({
      name: "previewed",
      provisioningState: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    });
    expect(readState(path).arm.resources).toEqual({});
    const checked = await unary<CheckRequest, CheckResponse>(
      client.check.bind(client),
      new CheckRequest()
        .setUrn(urn)
        .setOlds(Struct.fromJavaScript({}))
        .setNews(Struct.fromJavaScript({ location: "westeurope" })),
    );
    const inputs = checked.getInputs()!;
    expect(String(inputs.toJavaScript().resourceGroupName)).toMatch(/^s2s-auth-rg[0-9a-f]{8}$/);
    const created = await unary<CreateRequest, CreateResponse>(
      client.create.bind(client),
      new CreateRequest().setUrn(urn).setProperties(inputs),
    );
    const outs = created.getProperties()!;
    const secret = outs.toJavaScript().__inputs as Record<string, unknown>;
    expect(secret["4dabf18193072939515e22adb298388d"]).toBe("1b47061264138c4ac30d75fd1eb44270");

    const moved = await unary<DiffRequest, DiffResponse>(
      client.diff.bind(client),
      new DiffRequest()
        .setId(created.getId())
        .setUrn(urn)
        .setOlds(outs)
        .setNews(Struct.fromJavaScript({ ...inputs.toJavaScript(), location: "northeurope" })),
    );
    expect(moved.getChanges()).toBe(DiffResponse.DiffChanges.DIFF_SOME);
    expect(moved.getReplacesList()).toEqual(["location"]);

    const read = await unary<ReadRequest, ReadResponse>(
      client.read.bind(client),
      new ReadRequest().setId(created.getId()).setUrn(urn).setProperties(outs),
    );
    expect(read.getId()).toBe(created.getId());
    expect(read.getInputs()!.toJavaScript()).toEqual(inputs.toJavaScript());

    await unary<DeleteRequest, Empty>(
      client.delete.bind(client),
      new DeleteRequest().setId(created.getId()).setUrn(urn).setProperties(outs),
    );
    expect(readState(path).arm.resources).toEqual({});
    client.close();
  }, 30_000);

  it("configure from the engine's variables: github as its owner, azuread refused by a tenant", async () => {
    const path = scratchStatePath();
    writeStateAtomically(path, newTenant());
    twinCommand(["add-repository", "contoso/s2s-auth"], path);
    plugin = await start("pulumi-resource-github", { ...process.env, S2S_TWIN_STATE: path, GITHUB_TOKEN: "" });
    const client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
    expect((await unary<Empty, PluginInfo>(client.getPluginInfo.bind(client), new Empty())).getVersion()).toBe(
      "6.15.0",
    );
    const configure = new ConfigureRequest();
    configure.getVariablesMap().set("github:config:owner", "contoso").set("github:config:token", "ghp_twin");
    await unary<ConfigureRequest, ConfigureResponse>(client.configure.bind(client), configure);
    const created = await unary<CreateRequest, CreateResponse>(
      client.create.bind(client),
      new CreateRequest()
        .setUrn("urn:pulumi:pipeline::s2s-auth-bootstrap::github:index/actionsVariable:ActionsVariable::tenant")
        .setProperties(Struct.fromJavaScript({ repository: "s2s-auth", variableName: "AZURE_TENANT_ID", value: "t" })),
    );
    expect(created.getId()).toBe("s2s-auth:AZURE_TENANT_ID");
    expect(readWorld(path).github.repositories["contoso/s2s-auth"]?.variables.AZURE_TENANT_ID?.value).toBe("t");
    client.close();
    plugin.child.kill();

    plugin = await start("pulumi-resource-azuread", { ...process.env, S2S_TWIN_STATE: path });
    const azuread = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
    const elsewhere = new ConfigureRequest();
    elsewhere.getVariablesMap().set("azuread:config:tenantId", "f0000000-0000-4000-8000-00000000dead");
    await expect(
      unary<ConfigureRequest, ConfigureResponse>(azuread.configure.bind(azuread), elsewhere),
    ).rejects.toThrow(/unable to obtain access token: AADSTS90002: Tenant 'f0000000-0000-4000-8000-00000000dead'/);
    azuread.close();
  }, 30_000);
});
