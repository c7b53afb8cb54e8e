// How npm run bench:engine splits a pulumi operation's time between the program and the engine, and how it
// reports the deploy chains.
import { chainReport, programShare, type Command, type ProgramRun } from "../../../tools/bench/engine.ts";

const run = (start: number, end: number): ProgramRun => ({
  kind: "run",
  project: "s2s-auth",
  stack: "dev",
  dryRun: false,
  start,
  end,
  cpuMillis: (end - start) / 2,
});
const pulumi = (op: string, start: number, end: number): Command => ({
  argv: ["pulumi", op, "--yes", "--stack", "dev"],
  start,
  end,
});

test("a program run counts toward the pulumi command whose span holds it", () => {
  const commands = [pulumi("up", 0, 10_000), pulumi("preview", 20_000, 24_000), pulumi("up", 30_000, 40_000)];
  const runs = [run(1_000, 3_000), run(21_000, 22_000), run(31_000, 35_000)];
  expect(programShare(commands, runs)).toEqual([
    { operation: "up", count: 2, wallSeconds: 20, programSeconds: 6, programCpuSeconds: 3 },
    { operation: "preview", count: 1, wallSeconds: 4, programSeconds: 1, programCpuSeconds: 0.5 },
  ]);
});

test("other commands and runs outside any operation are left out", () => {
  const commands = [
    { argv: ["node", "twin/src/cli.ts", "count"], start: 0, end: 5_000 },
    pulumi("stack", 6_000, 7_000),
    pulumi("up", 10_000, 12_000),
  ];
  expect(programShare(commands, [run(1_000, 2_000), run(10_500, 11_000)])).toEqual([
    { operation: "up", count: 1, wallSeconds: 2, programSeconds: 0.5, programCpuSeconds: 0.25 },
  ]);
});

test("the chain report has a row per stack and each chain with what makes each link", () => {
  const urn = (name: string) => `urn:pulumi:dev::s2s-auth::t$azure-native:web:WebApp::${name}`;
  const report = chainReport([
    {
      stack: "dev",
      chain: {
        operations: 3,
        perStep: [2, 1],
        links: [
          { urn: urn("site"), because: [], through: [] },
          {
            urn: urn("grant"),
            because: ["principalObjectId"],
            through: ["azuread:index/getServicePrincipal:getServicePrincipal"],
          },
        ],
      },
    },
  ]);
  expect(report).toContain("| dev   | 3          | 2             | 2 · 1               |");
  expect(report).toContain("- dev: `site` → `grant` (principalObjectId, through getServicePrincipal)\n");
});
