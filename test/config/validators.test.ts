// config.ts's rules that span several keys, each on its own: what it refuses, what it lets
// through, and the exact line a user reads (key path and message). parseStackConfig's own tests
// (config.test.ts, edges.test.ts) see them only through the first problem of a whole config.
import {
  callerCalls,
  ciAccessNotInProd,
  ciCalls,
  type ConfigIssue,
  devAccessOnlyInDev,
  distinctContainerAppNames,
  existingApplicationRoles,
  externalPrincipalIds,
  formatKeyPath,
  noCallCycle,
  oneHostPerService,
  parseStackConfig,
  uniqueCalleeNames,
  uniqueCallerNames,
  uniqueCiSubjects,
  uniqueDeveloperPrincipals,
  uniqueExistingApplications,
  uniqueExternalPrincipals,
  uniqueOwners,
  uniqueRoleValues,
} from "../../config.ts";
import { containerAppName } from "../../model/azureNames.ts";
import { type Host, WELL_KNOWN_CLIENTS } from "../../model/index.ts";
import { configErrorFrom } from "../fixtures/configError.ts";

/** Each issue as the config error shows it: `<key path>: <message>`. */
const shown = (issues: ConfigIssue[]) => issues.map((i) => `${formatKeyPath(i.path)}: ${i.message}`);

type Call = { callee: string; role?: string };
const callee = (name: string, host: Host = "appService", roles?: string[]) => ({
  name,
  host,
  appRoles: roles?.map((value) => ({ value })),
});
const caller = (name: string, calls: (string | Call)[] = [], host: Host | "external" = "appService") => ({
  name,
  host,
  calls: calls.map((c) => (typeof c === "string" ? { callee: c } : c)),
});
const external = (name: string, principalId: string | undefined, calls: string[] = []) => ({
  ...caller(name, calls, "external"),
  principalId,
});
const ci = (subjects: string[], calls: Call[] = []) => ({ repository: "contoso/app", subjects, calls });

const ID_A = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const ID_B = "11111111-2222-3333-4444-555555555555";

describe("uniqueCalleeNames", () => {
  test("names every repeat of a callee name, not its first occurrence", () => {
    expect(shown(uniqueCalleeNames({ callees: [callee("a"), callee("b"), callee("a"), callee("a")] }))).toEqual([
      's2s-auth:callees[2].name: duplicate callee name "a"',
      's2s-auth:callees[3].name: duplicate callee name "a"',
    ]);
  });
  test("distinct names pass", () => {
    expect(uniqueCalleeNames({ callees: [callee("a"), callee("b")] })).toEqual([]);
  });
});

describe("uniqueCallerNames", () => {
  test("names every repeat of a caller name", () => {
    expect(shown(uniqueCallerNames({ callers: [caller("x"), caller("y"), caller("x")] }))).toEqual([
      's2s-auth:callers[2].name: duplicate caller name "x"',
    ]);
  });
  test("distinct names pass", () => {
    expect(uniqueCallerNames({ callers: [caller("x"), caller("y")] })).toEqual([]);
  });
});

describe("uniqueExternalPrincipals", () => {
  test("one identity under two external callers, compared ignoring case, is named in lowercase", () => {
    const callers = [external("vm-1", ID_A), external("vm-2", ID_B), external("vm-3", ID_A.toUpperCase())];
    expect(shown(uniqueExternalPrincipals({ callers }))).toEqual([
      `s2s-auth:callers[2].principalId: principal ${ID_A} is already declared by another external caller`,
    ]);
  });
  test("hosted callers, which have no principal id, never collide", () => {
    expect(uniqueExternalPrincipals({ callers: [caller("x"), caller("y"), external("vm", ID_A)] })).toEqual([]);
  });
});

describe("externalPrincipalIds", () => {
  test("an external caller must name its service principal", () => {
    expect(shown(externalPrincipalIds({ callers: [caller("x"), external("vm", undefined)] }))).toEqual([
      "s2s-auth:callers[1].principalId: required with host external: the object id of the identity's service principal",
    ]);
  });
  test("a hosted caller must not", () => {
    expect(shown(externalPrincipalIds({ callers: [{ ...caller("x"), principalId: ID_A }] }))).toEqual([
      "s2s-auth:callers[0].principalId: only for host external: a hosted caller's identity is created by the program",
    ]);
  });
  test("an external caller with an id and a hosted one without pass", () => {
    expect(externalPrincipalIds({ callers: [external("vm", ID_A), caller("x")] })).toEqual([]);
  });
});

describe("oneHostPerService", () => {
  test("a caller that is also a callee keeps the callee's host", () => {
    const callees = [callee("a"), callee("b", "functionApp")];
    expect(shown(oneHostPerService({ callees, callers: [caller("b", ["a"], "containerApp")] }))).toEqual([
      's2s-auth:callers[0].host: "b" is also a callee hosted on functionApp; one service has one host',
    ]);
  });
  test("an external identity cannot also be a callee the program hosts", () => {
    expect(shown(oneHostPerService({ callees: [callee("a")], callers: [external("a", ID_A)] }))).toEqual([
      's2s-auth:callers[0].host: "a" is also a callee hosted on appService; one service has one host',
    ]);
  });
  test("the same host, or a caller that is no callee, passes", () => {
    const callees = [callee("a"), callee("b", "functionApp")];
    expect(oneHostPerService({ callees, callers: [caller("b", ["a"], "functionApp"), caller("c", ["a"])] })).toEqual(
      [],
    );
  });
});

describe("distinctContainerAppNames", () => {
  const long = "a".repeat(40);
  const taken = containerAppName(long); // a name that fits is its own container app name

  test("two services that derive one container app name: the later is named, callees before callers", () => {
    expect(
      shown(
        distinctContainerAppNames({
          callees: [callee(long, "containerApp")],
          callers: [caller(taken, [long], "containerApp")],
        }),
      ),
    ).toEqual([
      `s2s-auth:callers[0].name: "${taken}" and "${long}" would both be container app "${taken}"; rename one`,
    ]);
    expect(
      shown(
        distinctContainerAppNames({
          callees: [callee(taken, "containerApp"), callee(long, "containerApp")],
          callers: [],
        }),
      ),
    ).toEqual([
      `s2s-auth:callees[1].name: "${long}" and "${taken}" would both be container app "${taken}"; rename one`,
    ]);
  });
  test("every later service on a taken name is named, against the last one that took it", () => {
    const callees = [callee(long, "containerApp"), callee(taken, "containerApp"), callee(long, "containerApp")];
    expect(shown(distinctContainerAppNames({ callees, callers: [] }))).toEqual([
      `s2s-auth:callees[1].name: "${taken}" and "${long}" would both be container app "${taken}"; rename one`,
      `s2s-auth:callees[2].name: "${long}" and "${taken}" would both be container app "${taken}"; rename one`,
    ]);
  });
  test("a service that is both callee and caller is one container app", () => {
    expect(
      distinctContainerAppNames({
        callees: [callee(long, "containerApp")],
        callers: [caller(long, [], "containerApp")],
      }),
    ).toEqual([]);
  });
  test("on other hosts the two names are two sites with auto-names of their own", () => {
    expect(
      distinctContainerAppNames({ callees: [callee(long), callee(taken, "functionApp")], callers: [caller(taken)] }),
    ).toEqual([]);
  });
});

describe("noCallCycle", () => {
  test("a cycle is named from the caller it starts at, with the way round", () => {
    const callees = [callee("a"), callee("b"), callee("c")];
    const callers = [caller("a", ["b"]), caller("b", ["c"]), caller("c", ["a"])];
    expect(shown(noCallCycle({ callees, callers }))).toEqual([
      "s2s-auth:callers[0].calls: call cycle a → b → c → a: a callee's site needs its callees' addresses first",
    ]);
  });
  test("a cycle reached through another callee is named from where it closes", () => {
    const callees = [callee("a"), callee("b"), callee("c")];
    const callers = [caller("a", ["b"]), caller("b", ["c"]), caller("c", ["b"])];
    expect(shown(noCallCycle({ callees, callers }))).toEqual([
      "s2s-auth:callers[0].calls: call cycle b → c → b: a callee's site needs its callees' addresses first",
    ]);
  });
  test("a service that calls itself is a cycle", () => {
    expect(shown(noCallCycle({ callees: [callee("a")], callers: [caller("a", ["a"])] }))).toEqual([
      "s2s-auth:callers[0].calls: call cycle a → a: a callee's site needs its callees' addresses first",
    ]);
  });
  test("only callees start a cycle: one reached from a plain caller is named at its first callee", () => {
    const callees = [callee("a"), callee("b")];
    const callers = [caller("x", ["a"]), caller("a", ["b"]), caller("b", ["a"])];
    expect(shown(noCallCycle({ callees, callers }))).toEqual([
      "s2s-auth:callers[1].calls: call cycle a → b → a: a callee's site needs its callees' addresses first",
    ]);
  });
  test("a call to a name that is no callee leads nowhere, even where a caller has that name", () => {
    expect(noCallCycle({ callees: [callee("a")], callers: [caller("a", ["x"]), caller("x", ["a"])] })).toEqual([]);
  });
  test("chains and diamonds are no cycle", () => {
    const callees = [callee("a"), callee("b"), callee("c"), callee("d")];
    const callers = [caller("a", ["b", "c"]), caller("b", ["d"]), caller("c", ["d"]), caller("d")];
    expect(noCallCycle({ callees, callers })).toEqual([]);
  });
});

describe("uniqueRoleValues", () => {
  test("names every repeat of a role within a callee", () => {
    const callees = [
      callee("a", "appService", ["Read", "Write"]),
      callee("b", "appService", ["Read", "Write", "Read"]),
    ];
    expect(shown(uniqueRoleValues({ callees }))).toEqual([
      's2s-auth:callees[1].appRoles[2].value: duplicate role "Read"',
    ]);
  });
  test("callees without roles, or with distinct ones, pass", () => {
    expect(uniqueRoleValues({ callees: [callee("a"), callee("b", "appService", ["Read", "Write"])] })).toEqual([]);
  });
  test("names a repeated role id (an adopted app's), ignoring case", () => {
    const roles = [
      { value: "Read", id: ID_A },
      { value: "Write", id: ID_A.toUpperCase() },
    ];
    expect(shown(uniqueRoleValues({ callees: [{ ...callee("a"), appRoles: roles }] }))).toEqual([
      `s2s-auth:callees[0].appRoles[1].id: duplicate role id ${ID_A}`,
    ]);
  });
});

describe("uniqueExistingApplications", () => {
  const onApp = (name: string, clientId: string) => ({ ...callee(name), existingApplication: { clientId } });
  test("names a callee that uses an app registration another callee uses, ignoring case", () => {
    expect(
      shown(uniqueExistingApplications({ callees: [onApp("a", ID_A), callee("b"), onApp("c", ID_A.toUpperCase())] })),
    ).toEqual([
      `s2s-auth:callees[2].existingApplication.clientId: app registration ${ID_A} is already used by another callee`,
    ]);
  });
  test("distinct apps, and callees that create their own, pass", () => {
    expect(uniqueExistingApplications({ callees: [onApp("a", ID_A), onApp("b", ID_B), callee("c")] })).toEqual([]);
  });
});

describe("existingApplicationRoles", () => {
  test("a role of an existing app is named by its value only: no display name, description or id", () => {
    const callees = [
      {
        ...callee("a"),
        existingApplication: { clientId: ID_A },
        appRoles: [{ value: "Read", displayName: "R", id: ID_B }, { value: "Write" }],
      },
    ];
    const message = "with existingApplication, a role is named by its value only: the app's own is kept";
    expect(shown(existingApplicationRoles({ callees }))).toEqual([
      `s2s-auth:callees[0].appRoles[0].displayName: ${message}`,
      `s2s-auth:callees[0].appRoles[0].id: ${message}`,
    ]);
  });
  test("a callee that creates its app may describe its roles and give their ids", () => {
    const callees = [{ ...callee("a"), appRoles: [{ value: "Read", displayName: "R", id: ID_B }] }];
    expect(existingApplicationRoles({ callees })).toEqual([]);
  });
});

describe("callerCalls", () => {
  const callees = [callee("a"), callee("b", "appService", ["Read", "Write"]), callee("c", "appService", ["Only"])];

  test("a callee listed twice: its repeats first, then each call's own problem", () => {
    const callers = [caller("x", ["a"]), caller("y", ["nope", "a", "a"])];
    expect(shown(callerCalls({ callees, callers }))).toEqual([
      's2s-auth:callers[1].calls[2].callee: "a" is listed twice',
      's2s-auth:callers[1].calls[0].callee: unknown callee "nope" (declared: a, b, c)',
    ]);
  });
  test("an unknown callee is named with the declared ones, each once", () => {
    const twice = [...callees, callee("a")];
    expect(shown(callerCalls({ callees: twice, callers: [caller("x", ["z"])] }))).toEqual([
      's2s-auth:callers[0].calls[0].callee: unknown callee "z" (declared: a, b, c)',
    ]);
  });
  test("a callee with several roles needs the role named", () => {
    expect(shown(callerCalls({ callees, callers: [caller("x", ["b"])] }))).toEqual([
      's2s-auth:callers[0].calls[0].role: required: "b" has several roles (Read, Write)',
    ]);
  });
  test("a role the callee does not declare is refused, the default role too where others are declared", () => {
    const callers = [
      caller("x", [
        { callee: "b", role: "Admin" },
        { callee: "c", role: "Invoke" },
      ]),
    ];
    expect(shown(callerCalls({ callees, callers }))).toEqual([
      's2s-auth:callers[0].calls[0].role: unknown role "Admin" of "b" (roles: Read, Write)',
      's2s-auth:callers[0].calls[1].role: unknown role "Invoke" of "c" (roles: Only)',
    ]);
  });
  test("a callee without roles (or with an empty list) has the default role only", () => {
    const bare = [callee("a"), { name: "e", host: "appService" as const, appRoles: [] }];
    const callers = [caller("x", [{ callee: "a", role: "Invoke" }, { callee: "e", role: "Read" }, "a"])];
    expect(shown(callerCalls({ callees: bare, callers }))).toEqual([
      's2s-auth:callers[0].calls[2].callee: "a" is listed twice',
      's2s-auth:callers[0].calls[1].role: unknown role "Read" of "e" (roles: Invoke)',
    ]);
  });
  test("declared callees with a declared role, or their only one left out, pass", () => {
    const callers = [caller("x", ["a", { callee: "b", role: "Write" }, "c"]), caller("y")];
    expect(callerCalls({ callees, callers })).toEqual([]);
  });
});

describe("devAccessOnlyInDev", () => {
  test("refused outside dev, naming the stack's environment", () => {
    expect(shown(devAccessOnlyInDev({ environment: "test", devAccess: {} }))).toEqual([
      's2s-auth:devAccess: developer access is allowed only when environment is "dev" (this stack is "test")',
    ]);
  });
  test("in dev, or absent, it passes", () => {
    expect(devAccessOnlyInDev({ environment: "dev", devAccess: { users: ["dev@contoso.com"] } })).toEqual([]);
    expect(devAccessOnlyInDev({ environment: "prod", devAccess: undefined })).toEqual([]);
  });
});

describe("ciAccessNotInProd", () => {
  test("refused in prod", () => {
    expect(shown(ciAccessNotInProd({ environment: "prod", ciAccess: ci(["pull_request"]) }))).toEqual([
      "s2s-auth:ciAccess: an integration-test principal is not allowed in prod (only dev and test stacks may " +
        "declare one; prod is reached only by its callers' managed identities)",
    ]);
  });
  test("in dev and test, or absent, it passes", () => {
    expect(ciAccessNotInProd({ environment: "dev", ciAccess: ci(["pull_request"]) })).toEqual([]);
    expect(ciAccessNotInProd({ environment: "test", ciAccess: ci(["pull_request"]) })).toEqual([]);
    expect(ciAccessNotInProd({ environment: "prod", ciAccess: undefined })).toEqual([]);
  });
});

describe("uniqueCiSubjects", () => {
  test("names every repeat of a subject", () => {
    expect(shown(uniqueCiSubjects({ ciAccess: ci(["pull_request", "environment:dev", "pull_request"]) }))).toEqual([
      's2s-auth:ciAccess.subjects[2]: duplicate subject "pull_request"',
    ]);
  });
  test("distinct subjects, or no integration-test principal, pass", () => {
    expect(uniqueCiSubjects({ ciAccess: ci(["pull_request", "environment:dev"]) })).toEqual([]);
    expect(uniqueCiSubjects({ ciAccess: undefined })).toEqual([]);
  });
});

describe("ciCalls", () => {
  const callees = [callee("a"), callee("b", "appService", ["Read", "Write"])];
  test("the callers' rules, at ciAccess.calls", () => {
    const ciAccess = ci(["pull_request"], [{ callee: "a" }, { callee: "b" }, { callee: "z" }, { callee: "a" }]);
    expect(shown(ciCalls({ callees, ciAccess }))).toEqual([
      's2s-auth:ciAccess.calls[3].callee: "a" is listed twice',
      's2s-auth:ciAccess.calls[1].role: required: "b" has several roles (Read, Write)',
      's2s-auth:ciAccess.calls[2].callee: unknown callee "z" (declared: a, b)',
    ]);
  });
  test("valid calls, or no integration-test principal, pass", () => {
    expect(ciCalls({ callees, ciAccess: ci(["pull_request"], [{ callee: "b", role: "Read" }]) })).toEqual([]);
    expect(ciCalls({ callees, ciAccess: undefined })).toEqual([]);
  });
});

describe("uniqueOwners", () => {
  test("one object id twice, compared ignoring case, is named in lowercase", () => {
    expect(shown(uniqueOwners({ owners: [ID_A, ID_B, ID_A.toUpperCase()] }))).toEqual([
      `s2s-auth:owners[2]: duplicate owner ${ID_A}`,
    ]);
  });
  test("distinct owners pass", () => {
    expect(uniqueOwners({ owners: [ID_A, ID_B] })).toEqual([]);
  });
});

describe("uniqueDeveloperPrincipals", () => {
  const cli = WELL_KNOWN_CLIENTS["azure-cli"]!;
  test("a client by name and by id is one client; users and groups compare ignoring case", () => {
    const devAccess = {
      authorizedClients: ["azure-cli", "azure-powershell", cli.toUpperCase()],
      users: ["Dev@contoso.com", ID_A, "dev@CONTOSO.com"],
      groups: [ID_B, ID_A, ID_B.toUpperCase()],
    };
    expect(shown(uniqueDeveloperPrincipals({ devAccess }))).toEqual([
      `s2s-auth:devAccess.authorizedClients[2]: duplicate client ${cli}`,
      "s2s-auth:devAccess.users[2]: duplicate user dev@contoso.com",
      `s2s-auth:devAccess.groups[2]: duplicate group ${ID_B}`,
    ]);
  });
  test("distinct entries, empty access or none pass", () => {
    const devAccess = { authorizedClients: ["azure-cli", ID_A], users: [ID_A], groups: [ID_A] };
    expect(uniqueDeveloperPrincipals({ devAccess })).toEqual([]);
    expect(uniqueDeveloperPrincipals({ devAccess: {} })).toEqual([]);
    expect(uniqueDeveloperPrincipals({ devAccess: undefined })).toEqual([]);
  });
});

describe("the schema", () => {
  test("runs the rules in their order and names the first problem, counting the others", () => {
    const config = {
      environment: "test",
      owners: [ID_A, ID_A],
      devAccess: { users: ["dev@contoso.com"] },
      callees: [{ name: "ab" }, { name: "ab" }],
    };
    expect(configErrorFrom(() => parseStackConfig("test", config, "westeurope")).message).toBe(
      'Invalid configuration for stack "test": s2s-auth:callees[1].name: duplicate callee name "ab" ' +
        "(and 2 more problems)",
    );
    const later = { ...config, callees: [{ name: "ab" }] };
    expect(configErrorFrom(() => parseStackConfig("test", later, "westeurope")).message).toBe(
      'Invalid configuration for stack "test": s2s-auth:devAccess: developer access is allowed only when ' +
        'environment is "dev" (this stack is "test") (and 1 more problem)',
    );
  });
});
