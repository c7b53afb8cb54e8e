// tools/bench/stats.ts: the benchmark's arithmetic (median, per-resource cost, flatness, tables) on small inputs.
import {
  isFlat,
  marginalMsPerResource,
  markdownTable,
  median,
  parseGnuTime,
  splitNodeArgs,
  summarize,
} from "../../../tools/bench/stats.ts";

describe("median", () => {
  test("odd and even counts, unsorted input", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  test("refuses an empty list", () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

test("summarize takes the median and min wall time, median CPU and the largest RSS", () => {
  const s = summarize([
    { wallMs: 900, cpuMs: 800, maxRssKb: 100 * 1024 },
    { wallMs: 1200, cpuMs: 1000, maxRssKb: 150 * 1024 },
    { wallMs: 1000, cpuMs: 700, maxRssKb: 120 * 1024 },
  ]);
  expect(s).toEqual({ runs: 3, medianMs: 1000, minMs: 900, medianCpuMs: 800, maxRssMb: 150 });
});

describe("parseGnuTime", () => {
  test("reads elapsed, user + system and max RSS", () => {
    expect(parseGnuTime("1.50 1.20 0.30 204800\n")).toEqual({ elapsedMs: 1500, cpuMs: 1500, maxRssKb: 204800 });
  });
  test("skips the line GNU time adds for a failing child", () => {
    expect(parseGnuTime("Command exited with non-zero status 1\n0.10 0.05 0.01 5000\n").maxRssKb).toBe(5000);
  });
  test("fails loudly on anything else", () => {
    expect(() => parseGnuTime("0:01.50 elapsed")).toThrow(/unexpected/);
  });
});

describe("marginalMsPerResource", () => {
  test("is measured against the smallest topology, which gets no value", () => {
    const points = [
      { resources: 1000, medianMs: 3000 },
      { resources: 100, medianMs: 1200 },
      { resources: 50, medianMs: 1000 },
    ];
    expect(marginalMsPerResource(points)).toEqual([2000 / 950, 200 / 50, undefined]);
  });
  test("no points, no values", () => {
    expect(marginalMsPerResource([])).toEqual([]);
  });
});

describe("isFlat", () => {
  test("within ±30 % of the median", () => {
    expect(isFlat([2, 2.2, 2.5], 0.3)).toEqual({ flat: true, median: 2.2, worst: expect.closeTo(0.3 / 2.2, 6) });
  });
  test("one value 40 % above the median is not flat", () => {
    expect(isFlat([2, 2, 2.8], 0.3).flat).toBe(false);
  });
});

test("markdownTable pads columns to the widest cell", () => {
  expect(markdownTable(["a", "bb"], [["long", "1"]])).toBe(
    ["| a    | bb |", "|------|----|", "| long | 1  |"].join("\n"),
  );
});

describe("splitNodeArgs", () => {
  test("splits on whitespace, as Pulumi does for unquoted nodeargs", () => {
    expect(splitNodeArgs("  --stack-trace-limit=1   --max-old-space-size=4096 ")).toEqual([
      "--stack-trace-limit=1",
      "--max-old-space-size=4096",
    ]);
    expect(splitNodeArgs(undefined)).toEqual([]);
  });
  test("refuses quoting instead of splitting it wrong", () => {
    expect(() => splitNodeArgs(`--title "a b"`)).toThrow(/quoting/);
  });
});
