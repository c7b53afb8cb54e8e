// tools/bench/measure.ts: what a failed benchmark run reports about itself.
import { failureExcerpt } from "../../../tools/bench/measure.ts";

describe("failureExcerpt", () => {
  test("keeps the last lines of each stream, stderr first", () => {
    const stdout = ["FAIL test/a.test.ts > the name", ...Array.from({ length: 40 }, (_, i) => `out ${i}`)].join("\n");
    const excerpt = failureExcerpt(stdout, "err 1\nerr 2\n", 30);
    expect(excerpt.split("\n")).toEqual(["err 1", "err 2", ...Array.from({ length: 30 }, (_, i) => `out ${i + 10}`)]);
  });

  test("a stream that said nothing adds no blank line", () => {
    expect(failureExcerpt("  \n", "only stderr\n")).toBe("only stderr");
    expect(failureExcerpt("only stdout", "")).toBe("only stdout");
  });
});
