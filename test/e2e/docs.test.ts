// e2e/docs.ts: the lines `npm run e2e` runs are the documentation's own, read from the page.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { documentedScript } from "../../e2e/docs.ts";

const PAGE = [
  "# Page",
  "## One",
  "```sh",
  "echo one",
  "```",
  "### Deeper",
  "```sh",
  "echo deeper",
  "```",
  "## Two",
  "Prose first.",
  "```ts",
  "no();",
  "```",
  "```sh",
  "echo two   # a comment",
  "echo again",
  "```",
  "## Three",
  "no block here",
  "## Four",
].join("\n");

const file = join(mkdtempSync(join(tmpdir(), "docs-test-")), "page.md");
writeFileSync(file, PAGE);

test("the first sh block of a section, as written, comments and all", () => {
  expect(documentedScript(file, "## One")).toBe("echo one\n");
  expect(documentedScript(file, "### Deeper")).toBe("echo deeper\n");
  expect(documentedScript(file, "## Two")).toBe("echo two   # a comment\necho again\n");
});

test("a heading that is missing, or a section without a block, is an error naming the page", () => {
  expect(() => documentedScript(file, "## Five")).toThrow(`${file}: no heading "## Five"`);
  expect(() => documentedScript(file, "## Three")).toThrow(`${file}: no \`\`\`sh block under "## Three"`);
});

test("the pages e2e runs have their blocks", () => {
  const root = join(import.meta.dirname, "..", "..");
  expect(documentedScript(join(root, "docs", "deploying.md"), "## Destroying a dev stack")).toMatch(
    /^pulumi destroy --stack dev --yes .*\npulumi stack rm dev --preserve-config --yes /,
  );
});
