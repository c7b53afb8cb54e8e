// Generators of stack configs for the fuzz tests: valid ones, built to satisfy every rule of
// the config format, and broken ones, each a valid config with one deliberate fault together
// with the key its error must name. The rules are restated here on purpose instead of
// reusing config.ts's regexes, so a regression in config.ts cannot also bend the oracle.
import * as fc from "fast-check";
import { formatKeyPath, HOSTS, WELL_KNOWN_CLIENTS } from "../../config.ts";

export type Path = (string | number)[];

// App Service plan SKU names for a dedicated Linux plan (Microsoft Learn, App Service pricing).
const PLAN_SKUS = [
  "F1",
  "B1",
  "B2",
  "B3",
  "S1",
  "S2",
  "S3",
  "P1v2",
  "P2v2",
  "P3v2",
  "P0v3",
  "P1v3",
  "P2v3",
  "P3v3",
  "P1mv3",
  "P2mv3",
  "P3mv3",
  "P4mv3",
  "P5mv3",
  "P0v4",
  "P1v4",
  "P2v4",
  "P3v4",
];
export type RawConfig = Record<string, unknown>;

interface RawRole {
  value: string;
  displayName?: string;
  description?: string;
}
interface RawCallee {
  name: string;
  host?: string;
  appRoles?: RawRole[];
}
interface RawCall {
  callee: string;
  role?: string;
}
interface RawCaller {
  name: string;
  host?: string;
  principalId?: string;
  calls: RawCall[];
}
interface RawDevAccess {
  authorizedClients?: string[];
  users?: string[];
  groups?: string[];
}
/** A valid raw config, as typed data (what `Pulumi.<stack>.yaml` holds under `s2s-auth:`). */
export interface ValidConfig {
  environment: "dev" | "test" | "prod";
  appServicePlanSku?: string;
  callees: RawCallee[];
  callers?: RawCaller[];
  devAccess?: RawDevAccess;
}

/** One fuzz case for `parseStackConfig(stack, raw, location)`. */
export interface ConfigCase {
  /** What was done to the config, for the failure report. */
  fault: string;
  stack: string;
  raw: RawConfig;
  location: string | undefined;
  /** For a broken config: the key the error must name, and a text the message must contain. */
  expect?: { key: string; mention?: string };
}

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPN_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;
export const ALLOWED_KEYS: Readonly<Record<string, readonly string[]>> = {
  root: ["environment", "appServicePlanSku", "callees", "callers", "devAccess", "ciAccess"],
  callee: ["name", "host", "appRoles"],
  role: ["value", "displayName", "description"],
  caller: ["name", "host", "principalId", "calls"],
  call: ["callee", "role"],
  devAccess: ["authorizedClients", "users", "groups"],
};

/** Names that every plain object inherits: a lookup with `in` or `[]` finds them. */
export const INHERITED_NAMES = Object.getOwnPropertyNames(Object.prototype);
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;
// What no free text may carry: URN separators, placeholder braces, control and bidi characters.
const UNSAFE_TEXT = /::|\$\{|\}|[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

// --- building blocks ---------------------------------------------------------------------

export const siteName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/).filter((s) => !s.includes("--"));
const roleValue = fc
  .stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,30}$/)
  .filter((v) => v.toLowerCase() !== "user_impersonation");
/** Free text, any Unicode but what {@link UNSAFE_TEXT} names, as display names and descriptions allow. */
const text = (maxLength: number) =>
  fc.string({ unit: "grapheme", minLength: 1, maxLength }).filter((s) => !UNSAFE_TEXT.test(s));
export const guid = fc.mixedCase(fc.uuid());
export const upn = fc.emailAddress().filter((s) => UPN_PATTERN.test(s) && !UNSAFE_TEXT.test(s));
const location = fc.constantFrom("westeurope", "northeurope", "eastus2", "swedencentral");
export const stackName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,30}$/);

/** A client id as `WELL_KNOWN_CLIENTS` resolves it: how config decides two entries are the same client. */
export function clientKey(ref: string): string {
  return (Object.hasOwn(WELL_KNOWN_CLIENTS, ref) ? WELL_KNOWN_CLIENTS[ref]! : ref).toLowerCase();
}

/** Strings that trip naive code: prototype names, blanks, look-alikes, invisible and very long text. */
export const trickyString = fc.oneof(
  fc.constantFrom(
    ...INHERITED_NAMES,
    "",
    " ",
    "\t",
    "null",
    "undefined",
    "NaN",
    "[object Object]",
    "${PROJECT}",
    "the-callee ",
    "The-Callee",
    "the_callee",
    "-the-callee",
    "the-callee-",
    "the--callee",
    "ｔｈｅ-ｃａｌｌｅｅ",
    "the-callee\u200b",
    "İstanbul",
    "😀",
    "a".repeat(41),
    "x".repeat(5000),
  ),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
);

/** Any value that is not of the type `kind`. */
const valuesByType: Record<string, fc.Arbitrary<unknown>> = {
  string: fc.string({ maxLength: 10 }),
  array: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  object: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  boolean: fc.boolean(),
  null: fc.constant(null),
};
const notOfType = Object.fromEntries(
  ["string", "array", "object"].map((kind) => [
    kind,
    fc.oneof(
      ...Object.entries(valuesByType)
        .filter(([k]) => k !== kind)
        .map(([, arb]) => arb),
    ),
  ]),
);
export function wrongType(kind: "string" | "array" | "object"): fc.Arbitrary<unknown> {
  return notOfType[kind]!;
}

// --- valid configs -----------------------------------------------------------------------

const rolesArb = fc.uniqueArray(
  fc.record({ value: roleValue, displayName: text(100), description: text(300) }, { requiredKeys: ["value"] }),
  { selector: (r) => r.value, minLength: 1, maxLength: 3 },
);

/** The role a call may name: any of a multi-role callee's (required), or optionally its only one. */
function roleChoice(callee: RawCallee): fc.Arbitrary<string | undefined> {
  const roles = callee.appRoles?.map((r) => r.value) ?? ["Invoke"];
  return roles.length > 1 ? fc.constantFrom(...roles) : fc.option(fc.constant(roles[0]!), { nil: undefined });
}

/** Where a service runs: left out (App Service), a hosting kind, or, for callers only, an existing identity. */
const hostOf = (external: boolean): fc.Arbitrary<{ host?: string; principalId?: string }> =>
  fc.oneof(
    fc.constant({}),
    fc.constantFrom(...HOSTS).map((host) => ({ host })),
    ...(external ? [guid.map((principalId) => ({ host: "external", principalId }))] : []),
  );

function callerArb(name: string, callees: RawCallee[]): fc.Arbitrary<RawCaller> {
  return fc
    .record({ targets: fc.shuffledSubarray(callees, { minLength: 1 }), host: hostOf(true) })
    .chain(({ targets, host }) => fc.tuple(...targets.map(roleChoice)).map((roles) => ({ targets, roles, host })))
    .map(({ targets, roles, host }) => ({
      name,
      ...host,
      calls: targets.map((c, i) => (roles[i] === undefined ? { callee: c.name } : { callee: c.name, role: roles[i]! })),
    }));
}

const devAccessArb: fc.Arbitrary<RawDevAccess> = fc.record(
  {
    authorizedClients: fc.uniqueArray(fc.oneof(fc.constantFrom(...Object.keys(WELL_KNOWN_CLIENTS)), guid), {
      selector: clientKey,
      maxLength: 4,
    }),
    users: fc.uniqueArray(fc.oneof(upn, guid), { selector: (u) => u.toLowerCase(), maxLength: 3 }),
    groups: fc.uniqueArray(guid, { selector: (g) => g.toLowerCase(), maxLength: 3 }),
  },
  { requiredKeys: [] },
);

/** Any config the format accepts: 1-4 callees, 0-3 callers, developer access only in dev. */
export const validConfig: fc.Arbitrary<ValidConfig> = fc
  .record({
    environment: fc.constantFrom("dev" as const, "test" as const, "prod" as const),
    sku: fc.option(fc.constantFrom(...PLAN_SKUS), { nil: undefined }),
    names: fc.uniqueArray(siteName, { minLength: 1, maxLength: 7 }),
    calleeCount: fc.integer({ min: 1, max: 4 }),
    roles: fc.array(fc.option(rolesArb, { nil: undefined }), { minLength: 4, maxLength: 4 }),
    hosts: fc.array(hostOf(false), { minLength: 4, maxLength: 4 }),
    devAccess: fc.option(devAccessArb, { nil: undefined }),
    omitEmptyCallers: fc.boolean(),
  })
  .chain(({ environment, sku, names, calleeCount, roles, hosts, devAccess, omitEmptyCallers }) => {
    const calleeNames = names.slice(0, Math.min(calleeCount, names.length));
    const callees: RawCallee[] = calleeNames.map((name, i) => ({
      name,
      ...hosts[i],
      ...(roles[i] ? { appRoles: roles[i] } : {}),
    }));
    const callerNames = names.slice(calleeNames.length, calleeNames.length + 3);
    return fc.tuple(...callerNames.map((n) => callerArb(n, callees))).map((callers) => {
      const config: ValidConfig = { environment, callees };
      if (sku !== undefined) config.appServicePlanSku = sku;
      if (callers.length > 0 || !omitEmptyCallers) config.callers = callers;
      if (devAccess !== undefined && environment === "dev") config.devAccess = devAccess;
      return config;
    });
  });

// --- faults ------------------------------------------------------------------------------

/** A place in a config where a value of some kind lives, or may be added. */
interface Slot {
  path: Path;
  kind: "string" | "array" | "object";
  /** For objects: which keys are allowed there (see ALLOWED_KEYS). */
  shape?: keyof typeof ALLOWED_KEYS;
  /** Whether leaving it out is an error. */
  required: boolean;
}

/** Every value in a valid config, with its type and whether it is required. */
export function slotsOf(config: ValidConfig): Slot[] {
  const slots: Slot[] = [
    { path: [], kind: "object", shape: "root", required: true },
    { path: ["environment"], kind: "string", required: true },
    { path: ["callees"], kind: "array", required: true },
  ];
  if (config.appServicePlanSku !== undefined)
    slots.push({ path: ["appServicePlanSku"], kind: "string", required: false });
  config.callees.forEach((c, i) => {
    slots.push({ path: ["callees", i], kind: "object", shape: "callee", required: true });
    slots.push({ path: ["callees", i, "name"], kind: "string", required: true });
    if (c.host !== undefined) slots.push({ path: ["callees", i, "host"], kind: "string", required: false });
    if (c.appRoles) {
      slots.push({ path: ["callees", i, "appRoles"], kind: "array", required: false });
      c.appRoles.forEach((r, k) => {
        slots.push({ path: ["callees", i, "appRoles", k], kind: "object", shape: "role", required: true });
        slots.push({ path: ["callees", i, "appRoles", k, "value"], kind: "string", required: true });
        if (r.displayName !== undefined)
          slots.push({ path: ["callees", i, "appRoles", k, "displayName"], kind: "string", required: false });
        if (r.description !== undefined)
          slots.push({ path: ["callees", i, "appRoles", k, "description"], kind: "string", required: false });
      });
    }
  });
  if (config.callers) {
    slots.push({ path: ["callers"], kind: "array", required: false });
    config.callers.forEach((c, i) => {
      slots.push({ path: ["callers", i], kind: "object", shape: "caller", required: true });
      slots.push({ path: ["callers", i, "name"], kind: "string", required: true });
      if (c.host !== undefined) slots.push({ path: ["callers", i, "host"], kind: "string", required: false });
      // An external caller cannot do without the id of its identity.
      if (c.principalId !== undefined)
        slots.push({ path: ["callers", i, "principalId"], kind: "string", required: true });
      slots.push({ path: ["callers", i, "calls"], kind: "array", required: true });
      c.calls.forEach((call, j) => {
        slots.push({ path: ["callers", i, "calls", j], kind: "object", shape: "call", required: true });
        slots.push({ path: ["callers", i, "calls", j, "callee"], kind: "string", required: true });
        if (call.role !== undefined)
          slots.push({ path: ["callers", i, "calls", j, "role"], kind: "string", required: false });
      });
    });
  }
  if (config.devAccess) {
    slots.push({ path: ["devAccess"], kind: "object", shape: "devAccess", required: false });
    for (const list of ["authorizedClients", "users", "groups"] as const) {
      const values = config.devAccess[list];
      if (values === undefined) continue;
      slots.push({ path: ["devAccess", list], kind: "array", required: false });
      values.forEach((_, k) => slots.push({ path: ["devAccess", list, k], kind: "string", required: true }));
    }
  }
  return slots;
}

// JSON, not structuredClone: jest runs tests in their own realm, and objects from another realm
// print as "[object Object]" in fast-check's counterexamples.
function clone(config: ValidConfig): RawConfig {
  return JSON.parse(JSON.stringify(config)) as RawConfig;
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function parentOf(root: RawConfig, path: Path): Record<string | number, unknown> {
  let node: unknown = root;
  for (const part of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[part];
  return node as Record<string | number, unknown>;
}

/** Sets a value by path; an own property even for a name like `__proto__`. */
export function setAt(root: RawConfig, path: Path, value: unknown): RawConfig {
  Object.defineProperty(parentOf(root, path), path.at(-1)!, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return root;
}

function getAt(root: RawConfig, path: Path): unknown {
  return path.length === 0 ? root : parentOf(root, path)[path.at(-1)!];
}

function deleteAt(root: RawConfig, path: Path): RawConfig {
  delete parentOf(root, path)[path.at(-1)!];
  return root;
}

const key = (path: Path) => formatKeyPath(path);

type Fault = (
  config: ValidConfig,
) => fc.Arbitrary<Omit<ConfigCase, "stack" | "location"> & { location?: string | undefined }>;

/** A value of the wrong type anywhere. */
const wrongTypeFault: Fault = (config) =>
  fc.constantFrom(...slotsOf(config).filter((s) => s.path.length > 0)).chain((slot) =>
    wrongType(slot.kind).map((value) => ({
      fault: `wrong type at ${key(slot.path)}`,
      raw: setAt(clone(config), slot.path, value),
      expect: { key: key(slot.path) },
    })),
  );

/** A required key left out. */
const missingKeyFault: Fault = (config) =>
  fc.constantFrom(...slotsOf(config).filter((s) => s.required && typeof s.path.at(-1) === "string")).map((slot) => ({
    fault: `missing ${key(slot.path)}`,
    raw: deleteAt(clone(config), slot.path),
    // A missing environment is reported as "must be one of …", which names the choices instead.
    expect: slot.path[0] === "environment" ? { key: key(slot.path) } : { key: key(slot.path), mention: "required" },
  }));

/** A key that the format does not know, at the top or inside any object. */
const unknownKeyFault: Fault = (config) =>
  fc
    .record({
      slot: fc.constantFrom(...slotsOf(config).filter((s) => s.kind === "object")),
      name: trickyString,
      value: fc.jsonValue({ maxDepth: 1 }),
    })
    .filter(({ slot, name }) => !ALLOWED_KEYS[slot.shape!]!.includes(name))
    .map(({ slot, name, value }) => ({
      fault: `unknown key ${JSON.stringify(name)} at ${key(slot.path)}`,
      raw: setAt(clone(config), [...slot.path, name], value),
      // At the top the key itself is named; inside an object, the object, and the message lists the key.
      // A key with control characters is named escaped, so only a plain one is looked for verbatim.
      expect:
        slot.path.length === 0
          ? { key: key([name]), mention: "unknown key" }
          : { key: key(slot.path), ...(CONTROL.test(name) ? {} : { mention: name }) },
    }));

/** A caller that calls a callee nobody declared. */
const danglingReferenceFault: Fault = (config) => {
  const callers = config.callers?.length
    ? config.callers
    : [{ name: "zz-extra-caller", calls: [{ callee: config.callees[0]!.name }] }];
  const declared = new Set([...config.callees, ...callers].map((c) => c.name));
  return fc
    .record({
      i: fc.nat({ max: callers.length - 1 }),
      j: fc.nat({ max: 10 }),
      target: siteName.filter((n) => !declared.has(n)),
    })
    .map(({ i, j, target }) => {
      const raw = clone({ ...config, callers });
      const calls = callers[i]!.calls;
      const path: Path = ["callers", i, "calls", j % calls.length, "callee"];
      return {
        fault: `dangling ${key(path)}`,
        raw: setAt(raw, path, target),
        expect: { key: key(path), mention: "unknown callee" },
      };
    });
};

/** The same name twice: callees, callers, a caller named like a callee, roles, calls, developers. */
const duplicateFault: Fault = (config) => {
  const options: fc.Arbitrary<{ fault: string; raw: RawConfig; expect: { key: string; mention: string } }>[] = [];
  const n = config.callees.length;
  options.push(
    fc.nat({ max: n - 1 }).map((i) => {
      const raw = clone(config);
      (raw["callees"] as unknown[]).push(copy(config.callees[i]));
      return {
        fault: "duplicate callee",
        raw,
        expect: { key: key(["callees", n, "name"]), mention: "duplicate callee" },
      };
    }),
  );
  options.push(
    fc.nat({ max: n - 1 }).map((i) => {
      const raw = clone(config);
      const callers = (raw["callers"] as unknown[] | undefined) ?? [];
      // A service may be both, on one host: a caller of that name on another host is the fault.
      const calleeHost = config.callees[i]!.host ?? "appService";
      const host = HOSTS.find((h) => h !== calleeHost)!;
      callers.push({
        name: config.callees[i]!.name,
        host,
        calls: [{ callee: config.callees[0]!.name, ...roleOfFirst(config) }],
      });
      raw["callers"] = callers;
      return {
        fault: "caller named like a callee, on another host",
        raw,
        expect: { key: key(["callers", callers.length - 1, "host"]), mention: "also a callee" },
      };
    }),
  );
  const callers = config.callers ?? [];
  if (callers.length > 0) {
    options.push(
      fc.nat({ max: callers.length - 1 }).map((i) => {
        const raw = clone(config);
        (raw["callers"] as unknown[]).push(copy(callers[i]));
        return {
          fault: "duplicate caller",
          raw,
          expect: { key: key(["callers", callers.length, "name"]), mention: "duplicate caller" },
        };
      }),
    );
    options.push(
      fc.record({ i: fc.nat({ max: callers.length - 1 }), j: fc.nat({ max: 10 }) }).map(({ i, j }) => {
        const raw = clone(config);
        const calls = callers[i]!.calls;
        ((getAt(raw, ["callers", i, "calls"]) as unknown[]) ?? []).push(copy(calls[j % calls.length]));
        return {
          fault: "duplicate call",
          raw,
          expect: { key: key(["callers", i, "calls", calls.length, "callee"]), mention: "listed twice" },
        };
      }),
    );
  }
  const withRoles = config.callees.map((c, i) => [c, i] as const).filter(([c]) => c.appRoles !== undefined);
  if (withRoles.length > 0) {
    options.push(
      fc.record({ pick: fc.constantFrom(...withRoles), k: fc.nat({ max: 10 }) }).map(({ pick: [callee, i], k }) => {
        const raw = clone(config);
        const roles = callee.appRoles!;
        (getAt(raw, ["callees", i, "appRoles"]) as unknown[]).push({ value: roles[k % roles.length]!.value });
        return {
          fault: "duplicate role",
          raw,
          expect: { key: key(["callees", i, "appRoles", roles.length, "value"]), mention: "duplicate role" },
        };
      }),
    );
  }
  if (config.environment === "dev") {
    const dev = config.devAccess ?? {};
    const variants: [list: "users" | "groups" | "authorizedClients", arb: fc.Arbitrary<[string, string]>][] = [
      ["users", upn.map((u) => [u, u.toUpperCase()])],
      ["groups", guid.map((g) => [g.toLowerCase(), g.toUpperCase()])],
      [
        "authorizedClients",
        fc.constantFrom(...Object.entries(WELL_KNOWN_CLIENTS)).map(([name, id]) => [name, id.toUpperCase()]),
      ],
    ];
    for (const [list, arb] of variants) {
      options.push(
        arb.map(([first, second]) => {
          const existing = (dev[list] ?? []).filter((v) => clientKey(v) !== clientKey(first));
          const raw = clone({ ...config, devAccess: { ...dev, [list]: [...existing, first, second] } });
          return {
            fault: `duplicate devAccess.${list} entry in another spelling`,
            raw,
            expect: { key: key(["devAccess", list, existing.length + 1]), mention: "duplicate" },
          };
        }),
      );
    }
  }
  return fc.oneof(...options);
};

function roleOfFirst(config: ValidConfig): { role?: string } {
  const roles = config.callees[0]!.appRoles;
  return roles ? { role: roles[0]!.value } : {};
}

/** Developer access declared in a test or prod stack. */
const devAccessOutsideDevFault: Fault = (config) =>
  fc
    .record({ environment: fc.constantFrom("test" as const, "prod" as const), dev: devAccessArb })
    .map(({ environment, dev }) => ({
      fault: `devAccess in ${environment}`,
      raw: clone({ ...config, environment, devAccess: dev }),
      expect: { key: key(["devAccess"]), mention: "only when environment is" },
    }));

/** A GUID with one mistake in it. */
export const malformedGuid = fc
  .tuple(
    fc.uuid(),
    fc.nat({ max: 35 }),
    fc.constantFrom("drop", "insert", "nonhex", "nohyphens", "braces", "pad", "truncate"),
  )
  .map(([g, at, how]) => {
    switch (how) {
      case "drop":
        return g.slice(0, at) + g.slice(at + 1);
      case "insert":
        return g.slice(0, at) + "a" + g.slice(at);
      case "nonhex":
        return g.slice(0, at) + "g" + g.slice(at + 1);
      case "nohyphens":
        return g.replace(/-/g, "");
      case "braces":
        return `{${g}}`;
      case "pad":
        return ` ${g}`;
      default:
        return g.slice(0, at);
    }
  })
  .filter((s) => !GUID_PATTERN.test(s));

/** A user principal name with one mistake in it. */
export const malformedUpn = fc
  .tuple(upn, fc.constantFrom("no-at", "two-at", "space", "no-dot", "trailing-dot", "empty-local"))
  .map(([u, how]) => {
    const [local, domain] = u.split("@") as [string, string];
    switch (how) {
      case "no-at":
        return local + domain;
      case "two-at":
        return `${local}@@${domain}`;
      case "space":
        return `${local} x@${domain}`;
      case "no-dot":
        return `${local}@${domain.replace(/\./g, "")}`;
      case "trailing-dot":
        return `${u}.`;
      default:
        return `@${domain}`;
    }
  })
  .filter((s) => !UPN_PATTERN.test(s) && !GUID_PATTERN.test(s));

/** A malformed GUID or UPN in developer access. */
const malformedIdFault: Fault = (config) =>
  fc
    .record({
      list: fc.constantFrom("authorizedClients" as const, "users" as const, "groups" as const),
      bad: fc.oneof(malformedGuid, malformedUpn, trickyString),
      at: fc.nat({ max: 5 }),
    })
    .filter(({ list, bad }) => {
      if (list === "authorizedClients") return !Object.hasOwn(WELL_KNOWN_CLIENTS, bad) && !GUID_PATTERN.test(bad);
      if (list === "users") return !UPN_PATTERN.test(bad) && !GUID_PATTERN.test(bad);
      return !GUID_PATTERN.test(bad);
    })
    .map(({ list, bad, at }) => {
      const dev = config.devAccess ?? {};
      const values = [...(dev[list] ?? [])];
      const index = at % (values.length + 1);
      values.splice(index, 0, bad);
      return {
        fault: `malformed devAccess.${list}[${index}]`,
        raw: clone({ ...config, environment: "dev", devAccess: { ...dev, [list]: values } }),
        expect: { key: key(["devAccess", list, index]) },
      };
    });

/** A site or role name that breaks its rule: Unicode, too long, upper case, stray hyphens, blanks. */
const badSiteName = fc
  .oneof(trickyString, fc.stringMatching(/^[a-z0-9]{41,80}$/))
  .filter((s) => !/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/.test(s) || s.includes("--"));
const badRoleValue = fc
  .oneof(trickyString, fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{120,130}$/))
  .filter((s) => !/^[A-Za-z0-9_][A-Za-z0-9._-]{0,119}$/.test(s));
const badValue = { name: badSiteName, value: badRoleValue, displayName: fc.string({ minLength: 101, maxLength: 200 }) };

const badNameFault: Fault = (config) => {
  const targets = slotsOf(config).filter((s) => {
    const last = s.path.at(-1);
    return last === "name" || last === "value" || last === "displayName";
  });
  return fc
    .constantFrom(...targets)
    .chain((slot) => badValue[slot.path.at(-1) as keyof typeof badValue].map((value) => ({ slot, value })))
    .map(({ slot, value }) => ({
      fault: `bad ${String(slot.path.at(-1))} at ${key(slot.path)}`,
      raw: setAt(clone(config), slot.path, value),
      expect: { key: key(slot.path) },
    }));
};

/** An environment or SKU outside what the format allows. */
const badScalarFault: Fault = (config) =>
  fc.oneof(
    trickyString
      .filter((s) => !["dev", "test", "prod"].includes(s))
      .map((s) => ({
        fault: "bad environment",
        raw: setAt(clone(config), ["environment"], s),
        expect: { key: key(["environment"]), mention: "must be one of" },
      })),
    trickyString
      .filter((s) => !PLAN_SKUS.some((k) => k.toLowerCase() === s.toLowerCase()))
      .map((s) => ({
        fault: "bad sku",
        raw: setAt(clone(config), ["appServicePlanSku"], s),
        expect: { key: key(["appServicePlanSku"]) },
      })),
  );

/** A list that must not be empty, emptied. */
const emptyListFault: Fault = (config) => {
  const lists: Path[] = [["callees"]];
  config.callees.forEach((c, i) => c.appRoles && lists.push(["callees", i, "appRoles"]));
  (config.callers ?? []).forEach((_, i) => lists.push(["callers", i, "calls"]));
  return fc
    .constantFrom(...lists)
    .map((path) => ({ fault: `empty ${key(path)}`, raw: setAt(clone(config), path, []), expect: { key: key(path) } }));
};

/** No Azure region for the stack. */
const noLocationFault: Fault = (config) =>
  fc.constantFrom(undefined, "").map((location) => ({
    fault: "no location",
    raw: clone(config),
    location,
    expect: { key: "azure-native:location", mention: "required" },
  }));

export const FAULTS: Readonly<Record<string, Fault>> = {
  wrongType: wrongTypeFault,
  missingKey: missingKeyFault,
  unknownKey: unknownKeyFault,
  danglingReference: danglingReferenceFault,
  duplicate: duplicateFault,
  devAccessOutsideDev: devAccessOutsideDevFault,
  malformedId: malformedIdFault,
  badName: badNameFault,
  badScalar: badScalarFault,
  emptyList: emptyListFault,
  noLocation: noLocationFault,
};

/** A valid config with exactly one fault, and the key its error must name. */
export const brokenCase: fc.Arbitrary<ConfigCase> = fc
  .record({ config: validConfig, fault: fc.constantFrom(...Object.values(FAULTS)), stack: stackName, location })
  .chain(({ config, fault, stack, location: loc }) =>
    fault(config).map((c) => ({ ...c, stack, location: "location" in c ? c.location : loc })),
  );

/** A valid config, ready for `parseStackConfig`. */
export const validCase: fc.Arbitrary<ConfigCase & { config: ValidConfig }> = fc
  .record({ config: validConfig, stack: stackName, location })
  .map(({ config, stack, location: loc }) => ({ fault: "none", config, stack, raw: clone(config), location: loc }));

/** Arbitrary JSON under real and made-up keys: no structure assumed at all. */
export const shapelessCase: fc.Arbitrary<ConfigCase> = fc
  .record({
    raw: fc.dictionary(
      fc.oneof(fc.constantFrom(...ALLOWED_KEYS["root"]!), fc.string({ maxLength: 12 })),
      fc.jsonValue({ maxDepth: 4 }),
      {
        maxKeys: 6,
      },
    ),
    stack: stackName,
    location: fc.option(location, { nil: undefined }),
  })
  .map((c) => ({ fault: "shapeless", ...c }));

/**
 * Every key an error about `raw` could rightly name: each value present, each key the format
 * requires inside an object present, each unknown key at the top, and the location.
 */
export function nameableKeys(raw: unknown): Set<string> {
  const keys = new Set<string>(["azure-native:location"]);
  const visit = (node: unknown, path: Path) => {
    if (path.length > 0) keys.add(formatKeyPath(path));
    if (Array.isArray(node)) node.forEach((v, i) => visit(v, [...path, i]));
    else if (node !== null && typeof node === "object") {
      for (const k of Object.keys(node)) visit((node as Record<string, unknown>)[k], [...path, k]);
      for (const shape of Object.values(ALLOWED_KEYS)) for (const k of shape) keys.add(formatKeyPath([...path, k]));
    }
  };
  visit(raw, []);
  return keys;
}

/** Pulumi hands config to the program as strings; structured values as JSON text. */
export function asPulumiConfig(c: { raw: RawConfig; location: string | undefined }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.raw)) out[`s2s-auth:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  if (c.location !== undefined) out["azure-native:location"] = c.location;
  return out;
}
