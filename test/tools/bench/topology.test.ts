// tools/bench/topology.ts: every generated topology is a valid stack config with the calls its shape asks for.
import { parseStackConfig } from "../../../config.ts";
import { BENCH_TOPOLOGIES, callsOf, TARGET_TOPOLOGY, topologyConfig } from "../../../tools/bench/topology.ts";

const unprefixed = (cfg: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(cfg)
      .filter(([k]) => k.startsWith("s2s-auth:"))
      .map(([k, v]) => [k.slice("s2s-auth:".length), v]),
  );

describe("topologyConfig", () => {
  test("every benchmarked topology is a config the program accepts, with the requested sizes", () => {
    for (const shape of [...BENCH_TOPOLOGIES, TARGET_TOPOLOGY]) {
      const raw = topologyConfig(shape);
      const cfg = parseStackConfig("bench", unprefixed(raw), raw["azure-native:location"] as string);
      expect(cfg.callees).toHaveLength(shape.callees);
      expect(cfg.callers).toHaveLength(shape.callers);
      expect(cfg.devAccess).toBeUndefined();
    }
  });

  test("callers make 1 to 3 calls, cycling so that every count occurs", () => {
    const shape = { callers: 6, callees: 5, maxCallsPerCaller: 3 };
    expect([0, 1, 2, 3, 4, 5].map((i) => callsOf(i, shape))).toEqual([[0], [1, 2], [2, 3, 4], [3], [4, 0], [0, 1, 2]]);
  });

  test("a caller never calls the same callee twice, even with fewer callees than calls", () => {
    const shape = { callers: 3, callees: 2, maxCallsPerCaller: 3 };
    expect(callsOf(2, shape)).toEqual([0, 1]);
    const raw = topologyConfig(shape);
    expect(() => parseStackConfig("bench", unprefixed(raw), "westeurope")).not.toThrow();
  });

  test("is deterministic", () => {
    expect(topologyConfig(TARGET_TOPOLOGY)).toEqual(topologyConfig(TARGET_TOPOLOGY));
  });

  test("the grid is 1, 10, 50 and 200 callers against 5 and 20 callees", () => {
    expect(BENCH_TOPOLOGIES.map((s) => `${s.callers}x${s.callees}`)).toEqual([
      "1x5",
      "1x20",
      "10x5",
      "10x20",
      "50x5",
      "50x20",
      "200x5",
      "200x20",
    ]);
  });

  test.each([
    [{ callers: -1, callees: 5, maxCallsPerCaller: 3 }, /callers/],
    [{ callers: 1, callees: 0, maxCallsPerCaller: 3 }, /callees/],
    [{ callers: 1, callees: 5, maxCallsPerCaller: 0 }, /maxCallsPerCaller/],
    [{ callers: 1.5, callees: 5, maxCallsPerCaller: 3 }, /callers/],
  ])("rejects %o", (shape, message) => {
    expect(() => topologyConfig(shape)).toThrow(message);
  });
});
