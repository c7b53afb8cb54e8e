// What twin/src/serve.ts adds to the SDK's provider server, in this process: a Read sees the old inputs the
// engine sent, a Create or Update knows whether it is a preview, and Configure answers that previews
// are supported. The real executables over gRPC: plugin.deep.test.ts.
import { previewing, readInputs } from "../src/provider.ts";
import { wrap, type Call, type Callback, type Handler } from "../src/serve.ts";

/** A request as grpc-js hands it over, with the fields the additions read. */
function call(request: Call["request"]): Call {
  return { request };
}

function served(): { service: Record<string, Handler>; seen: Record<string, unknown> } {
  const seen: Record<string, unknown> = {};
  const service: Record<string, Handler> = {
    read: (_c, cb) => {
      seen.read = readInputs.getStore();
      cb(null);
    },
    create: (_c, cb) => {
      seen.create = previewing.getStore();
      cb(null);
    },
    update: (_c, cb) => {
      seen.update = previewing.getStore();
      cb(null);
    },
    configure: (_c, cb) => cb(null, { setSupportspreview: (value: boolean) => (seen.supportsPreview = value) }),
    getPluginInfo: (_c, cb) => {
      seen.pluginInfo = true;
      cb(null);
    },
  };
  return { service, seen };
}

const done: Callback = () => undefined;

test("a Read runs with the engine's old inputs, secrets unwrapped, or none when it sent none", () => {
  const { service, seen } = served();
  const wrapped = wrap(service);
  const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s" };
  wrapped.read!(call({ getInputs: () => ({ toJavaScript: () => ({ name: "a", key: secret }) }) }), done);
  expect(seen.read).toEqual({ name: "a", key: "s" });
  wrapped.read!(call({ getInputs: () => undefined }), done);
  expect(seen.read).toBeUndefined();
});

test("a Create or Update knows whether the engine asked for a preview", () => {
  const { service, seen } = served();
  const wrapped = wrap(service);
  wrapped.create!(call({ getPreview: () => true }), done);
  wrapped.update!(call({ getPreview: () => false }), done);
  expect(seen).toMatchObject({ create: true, update: false });
  wrapped.create!(call({}), done);
  expect(seen.create).toBe(false);
});

test("Configure answers that previews are supported; other calls reach the SDK's handlers unchanged", () => {
  const { service, seen } = served();
  const wrapped = wrap(service);
  let answered: unknown;
  wrapped.configure!(call({}), (err) => (answered = err));
  expect(answered).toBeNull();
  expect(seen.supportsPreview).toBe(true);
  expect(wrapped.getPluginInfo).toBe(service.getPluginInfo);
  wrapped.getPluginInfo!(call({}), done);
  expect(seen.pluginInfo).toBe(true);
});

test("Configure hands the engine's variables to the twin first, and a refused sign-in fails it", () => {
  const { service, seen } = served();
  const given: Record<string, string>[] = [];
  const variables = new Map([["azuread:config:tenantId", "t"]]);
  const request = { getVariablesMap: () => variables };
  let answered: unknown;
  wrap(service, (v) => given.push(v)).configure!(call(request), (err) => (answered = err));
  expect({ given, answered, supportsPreview: seen.supportsPreview }).toEqual({
    given: [{ "azuread:config:tenantId": "t" }],
    answered: null,
    supportsPreview: true,
  });
  const refused = new Error("unable to obtain access token: AADSTS90002: Tenant 't' not found.");
  const { service: other, seen: otherSeen } = served();
  wrap(other, () => {
    throw refused;
  }).configure!(call(request), (err) => (answered = err));
  expect({ answered, reachedTheSdk: otherSeen.supportsPreview !== undefined }).toEqual({
    answered: refused,
    reachedTheSdk: false,
  });
});

test("DiffConfig compares the configuration's values, a secret output equal to its plain input", () => {
  const { service } = served();
  const secret = (value: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
  const struct = (value: Record<string, unknown>) => ({ toJavaScript: () => value });
  const changes = (olds: Record<string, unknown>, news: Record<string, unknown>) => {
    let answer: unknown;
    wrap(service).diffConfig!(
      call({ getOlds: () => struct(olds), getNews: () => struct(news) }),
      (_e, r) => (answer = r),
    );
    return (answer as { getChanges(): number }).getChanges();
  };
  const DIFF_NONE = 1;
  const DIFF_SOME = 2;
  const news = { owner: "contoso", token: "t", version: "6.15.0", __internal: {} };
  expect(changes({ owner: "contoso", token: secret("t"), version: "6.15.0" }, news)).toBe(DIFF_NONE);
  expect(changes({ owner: "fabrikam", token: secret("t"), version: "6.15.0" }, news)).toBe(DIFF_SOME);
});
