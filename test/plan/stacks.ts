// Plans of the real stacks (Pulumi.<stack>.yaml, index.ts), recorded once per test file.
import { resolve } from "node:path";
import main from "../../index.ts";
import { WELL_KNOWN_CLIENTS } from "../../config.ts";
import { labelsFromConfig } from "../../plan/access.ts";
import { buildPlan, type PlanDocument, type PlanRule } from "../../plan/document.ts";
import { recordProgram, type Recording } from "../../plan/recorder.ts";
import { readStackFiles } from "../../plan/stackConfig.ts";

export const PROJECT_DIR = resolve(import.meta.dirname, "../..");

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

export async function planStack(stack: "dev" | "test" | "prod", rules: PlanRule[] = []): Promise<PlanDocument> {
  const files = readStackFiles(PROJECT_DIR, stack);
  const recording = await recordProgram({ project: files.project, stack, config: files.config, program: main });
  return buildPlan(recording, {
    environment: stack,
    rules,
    labels: labelsFromConfig(files.project, files.config, WELL_KNOWN_CLIENTS),
  });
}
