// tools/plan/fence.ts: a run summary's preview output as one fenced block, whatever it holds.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../tools/plan/fence.ts";
import { runMain } from "../cli/io.ts";
import { gfmTokens, HOSTILE, notText } from "./gfm.ts";

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "fence-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Issue 23, item 2: the workflows wrote `pulumi preview` between two ``` lines, so a role description
// holding ``` closed the block and the rest of the preview, config values included, was Markdown.
test("a preview holding every hostile value stays one code block in the run summary", async () => {
  const preview = join(dir, "preview.txt");
  writeFileSync(preview, `Previewing update (dev)\n${HOSTILE.map((v) => `    description: "${v}"`).join("\n")}\n`);
  const { code, stdout } = await runMain(main, ["--tail", "60000", preview]);
  expect(code).toBe(0);
  const summary = `### Preview of dev\n\n${stdout}`;
  expect(notText(summary)).toEqual([]);
  expect(gfmTokens(summary).filter((t) => t.type === "codeFenced")).toHaveLength(1);
  expect(gfmTokens(summary).filter((t) => t.type === "paragraph")).toEqual([]);
});

test("--tail keeps the end of the file; a missing file or argument is one line", async () => {
  const file = join(dir, "long.txt");
  writeFileSync(file, "0123456789");
  expect(await runMain(main, ["--tail", "4", file])).toEqual({ code: 0, stdout: "```text\n6789\n```\n", stderr: "" });
  expect(await runMain(main, [join(dir, "none.txt")])).toEqual({
    code: 1,
    stdout: "",
    stderr: `fence: cannot read ${join(dir, "none.txt")} (ENOENT)\n`,
  });
  expect((await runMain(main, [])).code).toBe(64);
});
