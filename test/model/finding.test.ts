// model/finding.ts: the one order findings are listed in.
import { compareFindings } from "../../model/finding.ts";

describe("compareFindings", () => {
  test("errors first, then rule, URN and message in code-unit order", () => {
    const f = (severity: "error" | "warning", policy: string, urn: string, message: string) => ({
      severity,
      policy,
      urn,
      message,
    });
    const sorted = [
      f("warning", "a", "u", "m"),
      f("error", "b", "u", "m"),
      f("error", "a", "v", "m"),
      f("error", "a", "u", "n"),
      f("error", "a", "u", "M"),
      f("error", "a", "U", "m"),
    ].sort(compareFindings);
    expect(sorted.map((x) => [x.severity, x.policy, x.urn, x.message].join(" "))).toEqual([
      "error a U m",
      "error a u M",
      "error a u n",
      "error a v m",
      "error b u m",
      "warning a u m",
    ]);
  });
});
