// Markdown that stays text. Every value a plan carries (names, principals, role names, inputs,
// findings' messages) comes from config or from a pull request's plan artifact, so it reaches a
// PR comment or a run summary only inside a code span or a fenced code block: no link, image,
// HTML, emphasis or table cell can start inside one (CommonMark 0.31, "Code spans", "Fenced code
// blocks"), and GitHub neither @mentions nor links issue numbers, commits or addresses in code.
// A backslash is no help there: GitHub finds @mentions after Markdown has consumed it
// (github/markup#1168, github/cmark-gfm#181, both open). The renderer's own words stay Markdown.

// Characters that break a line or a table row, or make a comment show other text than it holds
// (bidirectional controls, "Trojan Source", CVE-2021-42574): shown as \uXXXX instead.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** `text` with every control and bidirectional character written as `\uXXXX`. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A run of `char` one longer than the longest in `text`, and at least `min` long. */
function fenceFor(text: string, char: "`", min: number): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return char.repeat(Math.max(min, longest + 1));
}

function span(text: string): string {
  if (text === "") return "";
  const fence = fenceFor(text, "`", 1);
  // CommonMark strips one space from each end of a code span that has one at both; a backtick at
  // either end would join the fence.
  const pad = /^[` ]|[` ]$/.test(text) ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** `value` as an inline code span, outside a table. */
export function codeSpan(value: string): string {
  return span(visible(value));
}

/**
 * `value` as a code span in a GFM table cell. A pipe ends a cell even inside a code span unless it
 * is escaped (GFM 0.29, "Tables", example 200); a backslash right before one would read as an
 * escaped backslash to some parsers (micromark) and not to others (cmark-gfm), so a zero-width
 * space keeps the two apart and every parser sees the same cell.
 */
export function codeCell(value: string): string {
  return span(
    visible(value)
      .replace(/\\(?=\|)/g, "\\\u200b")
      .replace(/\|/g, "\\|"),
  );
}

/**
 * `text` as a fenced code block (a run summary's `pulumi preview`): the fence is longer than any
 * backtick run in the text, so no line of it can close the block (CommonMark, "Fenced code blocks":
 * a closing fence is at least as long as the opening one).
 */
export function fenced(text: string, info = "text"): string {
  const fence = fenceFor(text, "`", 3);
  return `${fence}${info}\n${text}${text.endsWith("\n") || text === "" ? "" : "\n"}${fence}\n`;
}
