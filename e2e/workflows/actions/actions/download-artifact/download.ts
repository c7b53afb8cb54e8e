// The download-artifact stand-in's step (action.yml beside it says what it replaces).
import { cpSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { digests, fail, input, log, runnerEnv } from "../../../runner/standin.ts";

const name = input("name");
const runId = input("run-id") || runnerEnv("GITHUB_RUN_ID");
const source = join(runnerEnv("S2S_E2E_ARTIFACTS"), runId, name);
if (!existsSync(source)) fail(`Unable to download artifact(s): Artifact not found for name: ${name} (run ${runId})`);
const target = resolve(runnerEnv("GITHUB_WORKSPACE"), input("path"));
cpSync(source, target, { recursive: true });
const digested = digests(source);
process.stdout.write(`download-artifact stand-in: ${name} of run ${runId} into ${target}\n`);
await log("download-artifact", { name, runId: Number(runId), digests: digested });
