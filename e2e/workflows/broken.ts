// Broken workflows, one for each outcome the scenario checks: a mistake a reviewer could let
// through, committed on main after the scenario, and the events that show it replayed. The run
// passes only when the outcome it breaks then fails: the checks catch what they claim to catch.
import type { WorkflowRun } from "./harness.ts";
import {
  commentOutcome,
  devNotDeployedOutcome,
  noWriterOutcome,
  nothingLeftOutcome,
  reviewStackOutcome,
  twinObjects,
  type Outcome,
} from "./outcomes.ts";
import { LABEL, labelEvents, type Memory } from "./scenario.ts";
import { pullRequest, pullRequestEvents, skuChange, withoutForkCheck } from "./story.ts";
import type { World } from "./world.ts";

export interface BrokenWorkflow {
  /** The mistake, as a reviewer would name it. */
  name: string;
  /** Workflow files of main, each rewritten by its function; a function that changes nothing is refused. */
  breaks: Readonly<Record<string, (text: string) => string>>;
  /**
   * Replay the events first on the unbroken workflows, where the outcome must hold: for a replay
   * unlike the scenario's, so that a caught break is the break's doing.
   */
  control?: boolean;
  /** The events that show the break, and the outcome that must fail. */
  replay(world: World, memory: Memory): Promise<{ runs: WorkflowRun[]; outcome: Outcome }>;
}

/** `from` → `to` in a workflow's text; refuses when `from` is not there. */
const edit =
  (from: string, to: string) =>
  (text: string): string => {
    if (!text.includes(from)) throw new Error(`broken workflow: ${JSON.stringify(from)} is not in the file`);
    return text.replace(from, to);
  };

export const BROKEN: readonly BrokenWorkflow[] = [
  {
    name: "azure-settings.yml no longer turns a fork's pull request away",
    breaks: { ".github/workflows/azure-settings.yml": withoutForkCheck },
    async replay(world, memory) {
      // The fork's pull request labelled again: review-stacks.yml runs main's (broken) files.
      const runs = await world.harness.deliverAll(labelEvents(world, memory.pulls.get(8)!));
      return { runs, outcome: noWriterOutcome(world, () => runs, "the fork's runs") };
    },
  },
  {
    name: "plan-comment.yml plans the base with the pull request's code (its checkout takes the head)",
    breaks: {
      ".github/workflows/plan-comment.yml": edit(
        "          path: trusted\n",
        "          path: trusted\n          ref: ${{ github.event.workflow_run.head_sha }}\n",
      ),
    },
    control: true,
    async replay(world, memory) {
      // ci's run for #7 completes again, with #7 as it was then; the comment is edited in place.
      const pull = memory.opened.get(7)!;
      world.github.pulls.set(7, pull);
      const runs = await world.harness.completed(memory.runs.get("ci #7")!);
      return { runs, outcome: commentOutcome(world, pull, world.repo.sha("main")) };
    },
  },
  {
    name: "deploy.yml deploys whatever ci concluded (its settings job lost the success check)",
    breaks: {
      ".github/workflows/deploy.yml": edit("github.event.workflow_run.conclusion == 'success' && ", ""),
    },
    async replay(world, memory) {
      world.github.reviewer = () => ({
        approve: false,
        by: "platform-reviewer",
        note: "prod is not part of this replay",
      });
      const runs = await world.harness.completed(memory.runs.get("ci broken")!);
      return { runs, outcome: devNotDeployedOutcome(world, runs) };
    },
  },
  {
    name: "review-stacks.yml deploys a review stack through review-cleanup, which needs no approval",
    breaks: {
      ".github/workflows/review-stacks.yml": edit("    environment: review\n", "    environment: review-cleanup\n"),
    },
    control: true,
    async replay(world, memory) {
      // A pull request whose commit nobody reviewed, labelled: its run must wait for an approval.
      const head = skuChange(world, world.repo.sha("main"), "B3", "S1");
      memory.skus.set(head, "S1");
      const pull = pullRequest(world, { number: 11, head, headRef: "feature/dev-s1", labels: [LABEL] });
      const notRun = { "ci.yml": "not part of this replay", "preview.yml": "not part of this replay" };
      const runs = await world.harness.deliverAll(pullRequestEvents(world, pull, "opened", {}, notRun));
      return { runs, outcome: reviewStackOutcome(world, runs, "dev-pr-11", memory.approved, memory.skus) };
    },
  },
  {
    name: "review-stacks.yml destroys a review stack only when its pull request is merged",
    breaks: {
      ".github/workflows/review-stacks.yml": edit(
        "github.event.action == 'closed' && contains",
        "github.event.pull_request.merged == true && contains",
      ),
    },
    async replay(world, memory) {
      const stack = "dev-pr-10";
      const before = await twinObjects(world);
      const head = skuChange(world, world.repo.sha("main"), "B3", "B2");
      memory.approved.add(head);
      const pull = pullRequest(world, { number: 10, head, headRef: "feature/dev-b2-again" });
      const labelled = { ...pull, labels: [{ name: LABEL }] };
      world.github.pulls.set(10, labelled);
      const notRun = { "ci.yml": "not part of this replay", "preview.yml": "not part of this replay" };
      const runs = await world.harness.deliverAll(pullRequestEvents(world, labelled, "opened", {}, notRun));
      const closed = { ...labelled, state: "closed" as const };
      world.github.pulls.set(10, closed);
      runs.push(...(await world.harness.deliverAll(pullRequestEvents(world, closed, "closed", {}, notRun))));
      return { runs, outcome: nothingLeftOutcome(world, stack, () => before) };
    },
  },
];

/** Outcomes with no broken workflow yet, and why: printed by the run, not counted. */
export const BROKEN_AWAITING: readonly string[] = [
  "prod deploys the plan that was previewed, only after approval: a prod job that forgets `needs: prod-preview` " +
    "waits until the prod outcome itself holds (see its line above)",
];
