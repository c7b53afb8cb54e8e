// Generated stack configs for the scaling benchmark: many callers, many callees, 1-3 calls each.

export interface TopologyShape {
  callers: number;
  callees: number;
  /** Each caller calls between 1 and this many callees (at most `callees`). */
  maxCallsPerCaller: number;
}

/** Caller i calls 1 + (i mod maxCalls) consecutive callees starting at callee (i mod callees). */
export function callsOf(caller: number, shape: TopologyShape): number[] {
  const count = Math.min(1 + (caller % shape.maxCallsPerCaller), shape.callees);
  return Array.from({ length: count }, (_, j) => (caller + j) % shape.callees);
}

/**
 * A valid stack config (Pulumi config keys to values, as test/fixtures/program.ts takes them) with
 * `callers` App Service callers spread over `callees` App Service callees. Deterministic, so
 * two runs of the bench declare the same resources.
 */
export function topologyConfig(shape: TopologyShape): Record<string, unknown> {
  if (!Number.isInteger(shape.callers) || shape.callers < 0)
    throw new RangeError(`callers must be a whole number ≥ 0, got ${shape.callers}`);
  if (!Number.isInteger(shape.callees) || shape.callees < 1)
    throw new RangeError(`callees must be a whole number ≥ 1, got ${shape.callees}`);
  if (!Number.isInteger(shape.maxCallsPerCaller) || shape.maxCallsPerCaller < 1) {
    throw new RangeError(`maxCallsPerCaller must be a whole number ≥ 1, got ${shape.maxCallsPerCaller}`);
  }
  const callee = (i: number) => `callee-${i}`;
  return {
    "azure-native:location": "westeurope",
    "s2s-auth:environment": "test",
    "s2s-auth:callees": Array.from({ length: shape.callees }, (_, i) => ({ name: callee(i) })),
    "s2s-auth:callers": Array.from({ length: shape.callers }, (_, i) => ({
      name: `caller-${i}`,
      calls: callsOf(i, shape).map((c) => ({ callee: callee(c) })),
    })),
  };
}

/** The grid the bench runs: 1, 10, 50 and 200 callers against 5 and 20 callees. */
export const BENCH_TOPOLOGIES: readonly TopologyShape[] = [1, 10, 50, 200].flatMap((callers) =>
  [5, 20].map((callees) => ({ callers, callees, maxCallsPerCaller: 3 })),
);

/** ≈960 resources: the size the program's 3 s / 450 MB target (docs/performance.md) is stated for. */
export const TARGET_TOPOLOGY: TopologyShape = { callers: 100, callees: 20, maxCallsPerCaller: 3 };
