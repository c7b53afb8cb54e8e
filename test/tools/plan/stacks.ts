// Plans of the real stacks (Pulumi.<stack>.yaml, index.ts): from the recording cache, or recorded
// afresh where the recording itself is under test.
import { resolve } from "node:path";
import main from "../../../index.ts";
import { WELL_KNOWN_CLIENTS } from "../../../model/index.ts";
import { labelsFromConfig } from "../../../tools/plan/access.ts";
import { buildPlan, type PlanDocument, type PlanRule } from "../../../tools/plan/document.ts";
import { recordProgram, type Recording } from "../../../tools/plan/recorder.ts";
import { readStackFiles } from "../../../tools/plan/stackConfig.ts";
import { cachedPlanRecording } from "../../fixtures/recordingCache.ts";

export const PROJECT_DIR = resolve(import.meta.dirname, "../../..");

/** A new recording of the stack, never the cache's. */
export async function recordStack(stack: string): Promise<Recording> {
  const files = readStackFiles(PROJECT_DIR, stack);
  return recordProgram({
    project: files.project,
    stack,
    config: files.config,
    secretKeys: files.secretKeys,
    program: main,
  });
}

/** The plan of a shipped stack; `fresh` records it anew instead of reading the cache. */
export async function planStack(
  stack: "dev" | "test" | "prod",
  rules: PlanRule[] = [],
  { fresh = false } = {},
): Promise<PlanDocument> {
  const files = readStackFiles(PROJECT_DIR, stack);
  const recording = fresh
    ? await recordStack(stack)
    : await cachedPlanRecording(files.project, stack, files.config, files.secretKeys);
  return buildPlan(recording, {
    environment: stack,
    rules,
    labels: labelsFromConfig(files.project, files.config, WELL_KNOWN_CLIENTS),
  });
}
