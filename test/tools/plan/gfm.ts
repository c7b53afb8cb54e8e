// Reads Markdown the way GitHub does, to check that values stay text: micromark with its GFM
// extensions (tables, autolink literals, strikethrough, footnotes, tag filter), which follows
// the CommonMark and GFM specs to the letter and is tested against cmark-gfm, GitHub's own parser.
// micromark is chosen over markdown-it because its `linkify` is not GFM's autolink literals
// (it links bare domains GitHub leaves alone and misses none GitHub links), and because it gives
// the raw tokens with their offsets, so a test can tell which construct a character ended up in.
// GitHub's @mentions and issue references come after parsing, in every text node outside code
// (github/markup#1168): hence the check that such characters are all inside code.
import { micromark, parse, postprocess, preprocess } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

interface Token {
  type: string;
  start: number;
  end: number;
  text: string;
}

/** Every token micromark opens on `md`, in document order, with its source text. */
export function gfmTokens(md: string): Token[] {
  const events = postprocess(
    parse({ extensions: [gfm()] })
      .document()
      .write(preprocess()(md, undefined, true)),
  );
  return events
    .filter(([kind]) => kind === "enter")
    .map(([, token, context]) => ({
      type: token.type,
      start: token.start.offset,
      end: token.end.offset,
      text: context.sliceSerialize(token),
    }));
}

/** `md` as GitHub-flavoured HTML, raw HTML kept so that any tag a value opens shows. */
export function gfmHtmlOf(md: string): string {
  return micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
}

/** Constructs a value must never become: links, images, addresses GFM links by itself, raw HTML. */
const NEVER = new Set([
  "link",
  "image",
  "autolink",
  "literalAutolink",
  "definition",
  "gfmFootnoteCall",
  "gfmFootnoteDefinition",
  "characterReference",
]);
/** The only raw HTML the renderers write themselves: the resource list's fold. */
const OWN_HTML = new Set(["<details><summary>Resources</summary>", "</details>"]);

/**
 * Checks that `md` renders with no link, image, autolink, footnote, entity or HTML element but the
 * renderer's own fold, and that every character GitHub would turn into a mention, an issue or
 * commit reference or a link afterwards (`@`, `#`, `://`, `www.`) is inside a code span. Returns
 * what failed, empty when nothing did.
 */
export function notText(md: string): string[] {
  const tokens = gfmTokens(md);
  const problems = tokens
    .filter((t) => NEVER.has(t.type) || ((t.type === "htmlText" || t.type === "htmlFlow") && !OWN_HTML.has(t.text)))
    .map((t) => `${t.type}: ${t.text}`);
  const code = tokens.filter((t) => t.type === "codeText" || t.type === "codeFenced");
  const headings = tokens.filter((t) => t.type === "atxHeadingSequence");
  const inside = (i: number, spans: Token[]) => spans.some((s) => s.start <= i && i < s.end);
  for (const match of md.matchAll(/@|#|:\/\/|www\./gi)) {
    if (!inside(match.index, code) && !inside(match.index, headings))
      problems.push(`"${match[0]}" outside code at ${JSON.stringify(md.slice(match.index - 20, match.index + 20))}`);
  }
  return problems;
}

/** The HTML text of every `<code>` element, entities decoded, zero-width spaces dropped. */
export function codeTexts(md: string): string[] {
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&amp;/g, "&");
  return [...gfmHtmlOf(md).matchAll(/<code>([^]*?)<\/code>/g)].map((m) => decode(m[1]!).replace(/\u200b/g, ""));
}

/**
 * Values that would be Markdown if written as they are, each one a config can hold as free text
 * (no `}`, `${`, `::` or control characters): the issue's forged approval link first.
 */
export const HOSTILE: readonly string[] = [
  "[Approve](https://evil.example/phish)@contoso.example",
  "![pixel](https://evil.example/p.png)",
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "<details open>",
  "@octocat and @contoso/admins",
  "https://evil.example/go and www.evil.example",
  "mail someone@evil.example",
  "``` then text",
  "`code` and ``two``",
  "a | b | c",
  "back\\|slash pipe",
  "closes #1, GH-2 and contoso/s2s-auth#3",
  "**bold** _em_ ~~gone~~",
  "&lt;b&gt; &#64;octocat",
  "[^1] and [ref]",
  "trailing backslash \\",
  " padded ",
];
