// tools/plan/markdown.ts: values as code spans, table cells and fenced blocks that stay text, read
// back through a GFM parser (micromark, test/tools/plan/gfm.ts).
import { codeCell, codeSpan, fenced, visible } from "../../../tools/plan/markdown.ts";
import { codeTexts, gfmTokens, HOSTILE, notText } from "./gfm.ts";

// Issue 23, item 2: every value is text, whatever it holds.
describe.each(HOSTILE)("%j", (value) => {
  test("as a table cell: one cell, one code span holding the value, nothing else", () => {
    const md = `| Name | Role |\n|---|---|\n| ${codeCell(value)} | ${codeCell("Invoke")} |\n`;
    expect(notText(md)).toEqual([]);
    expect(gfmTokens(md).filter((t) => t.type === "tableData")).toHaveLength(2);
    expect(codeTexts(md)).toEqual([value, "Invoke"]);
  });

  test("as an inline code span in a heading", () => {
    const md = `### Plan of ${codeSpan(value)}\n`;
    expect(notText(md)).toEqual([]);
    expect(codeTexts(md)).toEqual([value]);
  });

  test("inside a fenced block (a run summary): the block holds the whole text", () => {
    const text = `line one\n${value}\n\`\`\`\n~~~\nafter the fence ${value}\n`;
    const md = `### Preview\n\n${fenced(text)}\nafter\n`;
    expect(notText(md)).toEqual([]);
    const blocks = gfmTokens(md).filter((t) => t.type === "codeFlowValue" || t.type === "codeFenced");
    expect(blocks.filter((t) => t.type === "codeFenced")).toHaveLength(1);
    expect(gfmTokens(md).find((t) => t.type === "paragraph")?.text).toBe("after");
  });
});

test("control and bidirectional characters are shown, not obeyed", () => {
  expect(visible("a\nb\u202ec\u0000")).toBe("a\\u000ab\\u202ec\\u0000");
  expect(codeCell("x\n| y")).toBe("`x\\u000a\\| y`");
});

test("plain values keep their plain spelling inside the span", () => {
  expect(codeCell("the-callee")).toBe("`the-callee`");
  expect(codeSpan("`tick`")).toBe("`` `tick` ``");
  expect(codeCell("")).toBe("");
  expect(fenced("a ```` b")).toBe("`````text\na ```` b\n`````\n");
});
