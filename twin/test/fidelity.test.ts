// twin/src/fidelity.ts and twin/docs/fidelity.md: the table of what the twin models is the register the
// handlers fill, every test it names exists, and every class of issue 24 has at least three behaviours.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PAGE } from "../src/fidelity-page.ts";
import { CLASSES, behaviours, fidelityPage } from "../src/fidelity.ts";

const TWIN = join(import.meta.dirname, "..");

describe("the fidelity table", () => {
  test("twin/docs/fidelity.md is the register rendered (node twin/src/fidelity-page.ts rewrites it)", () => {
    expect(readFileSync(PAGE, "utf8")).toBe(fidelityPage());
  });

  test.each(behaviours().map((b) => [b.test, b] as const))("the test %s exists", (_name, b) => {
    const [file, title] = b.test.split(" › ");
    expect(existsSync(join(TWIN, file!))).toBe(true);
    expect(readFileSync(join(TWIN, file!), "utf8")).toContain(title!);
  });

  test.each(Object.keys(CLASSES))("the class %s has at least three behaviours, each with a source", (key) => {
    const rows = behaviours().filter((b) => b.class === key);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const b of rows) expect(b.source.length).toBeGreaterThan(10);
  });
});
