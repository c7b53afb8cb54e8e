// The pull request comment, as plan-comment.yml renders it with the base branch's code: the diff of
// each stack between the base's plan (planned here, by the base's code) and the plan the pull
// request's ci run uploaded, which is data: read as a plan document (diff.ts validates it) and
// written as text (markdown.ts). That head plan was still computed by the pull request's code, and
// the comment says so, first.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { diffPlans, readPlanDocument, renderDiffMarkdown } from "./diff.ts";
import { codeSpan } from "./markdown.ts";

/**
 * Paths (prefixes) of what computes a plan beyond the program itself or carries it to the comment: the
 * recorder and renderers, the model and rules they use, the dependencies, and the workflows. A change
 * to any other file can change a plan too (it all runs in one process), but a change here is a
 * change to how the plan is made rather than to what it describes.
 */
export const PLAN_MACHINERY: readonly string[] = [
  ".github/",
  ".nvmrc",
  "model/",
  "package-lock.json",
  "package.json",
  "policy/",
  "tools/cli/",
  "tools/plan/",
];

export interface PrCommentInput {
  /** Plans of the base branch, `<stack>.json`, made by the code rendering this. */
  baseDir: string;
  /** Plans the pull request's ci run uploaded, `<stack>.json`. */
  headDir: string;
  /** The branch whose code renders the comment. */
  baseRef: string;
  stacks: readonly string[];
  /** Paths the pull request changes (GitHub's list of its files). */
  changedFiles: readonly string[];
  /** Where the full plans are, for a diff that had to be cut. */
  fullPlan: string;
}

export function renderPrComment(input: PrCommentInput): string {
  const base = codeSpan(input.baseRef);
  const machinery = input.changedFiles.filter((f) => PLAN_MACHINERY.some((p) => f === p || f.startsWith(p))).sort();
  const out = [
    `### Offline plan: this pull request against ${base}`,
    "",
    "> [!IMPORTANT]",
    `> Rendered by ${base}'s own code (plan-comment.yml), which also planned the base. The head plans below ` +
      "were computed by this pull request's code in its ci run: any file it changes can change what they say.",
    "",
  ];
  if (machinery.length > 0)
    out.push(
      "> [!CAUTION]",
      `> **This pull request changes what computes or uploads its plans:** ${machinery.map(codeSpan).join(", ")}. ` +
        "Read those changes before you trust the plans below.",
      "",
    );
  for (const stack of input.stacks) {
    out.push(`#### ${stack}`, "");
    const file = `${stack}.json`;
    let head;
    try {
      head = readPlanDocument(join(input.headDir, file), file);
    } catch (err) {
      out.push(`No valid plan of this pull request: ${codeSpan((err as Error).message)}`, "");
      continue;
    }
    const basePath = join(input.baseDir, file);
    if (!existsSync(basePath)) {
      out.push(`The base branch's ${codeSpan(stack)} plan failed: no diff.`, "");
      continue;
    }
    out.push(renderDiffMarkdown(diffPlans(readPlanDocument(basePath, file), head), { fullPlan: input.fullPlan }));
  }
  return `${out.join("\n").trimEnd()}\n`;
}
