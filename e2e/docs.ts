// The shell lines a page of the documentation tells a user to run, read from the page, so `npm run e2e`
// runs what the docs say rather than a copy of it that could drift (as e2e/workflow.ts does for workflows).
import { readFileSync } from "node:fs";

/**
 * The first ```sh block of the section whose heading is `heading` (the line as written, e.g.
 * `## Destroying a dev stack`), up to the next heading of its level or above; throws when there is none.
 */
export function documentedScript(file: string, heading: string): string {
  const text = readFileSync(file, "utf8");
  const start = text.split("\n").findIndex((line) => line.trimEnd() === heading);
  if (start < 0) throw new Error(`${file}: no heading "${heading}"`);
  const level = /^#+/.exec(heading)?.[0].length ?? 1;
  const lines = text.split("\n").slice(start + 1);
  const end = lines.findIndex((line) => new RegExp(`^#{1,${level}} `).test(line));
  const section = (end < 0 ? lines : lines.slice(0, end)).join("\n");
  const block = /^```sh\n([\s\S]*?)^```/m.exec(section)?.[1];
  if (block === undefined) throw new Error(`${file}: no \`\`\`sh block under "${heading}"`);
  return block;
}
