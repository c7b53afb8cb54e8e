// The upload-artifact stand-in's step (action.yml beside it says what it replaces).
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { digests, fail, input, log, runnerEnv } from "../../../runner/standin.ts";

const name = input("name") || "artifact";
const source = resolve(runnerEnv("GITHUB_WORKSPACE"), input("path"));
const files = !existsSync(source)
  ? []
  : statSync(source).isDirectory()
    ? readdirSync(source, { recursive: true })
    : [""];
if (files.length === 0) {
  const mode = input("if-no-files-found") || "warn";
  const message = `No files were found with the provided path: ${input("path")}. No artifacts will be uploaded.`;
  if (mode === "error") fail(message);
  if (mode === "warn") process.stdout.write(`::warning::${message}\n`);
  process.exit(0);
}
const target = join(runnerEnv("S2S_E2E_ARTIFACTS"), runnerEnv("GITHUB_RUN_ID"), name);
if (existsSync(target)) fail(`an artifact named ${name} already exists in this run`);
mkdirSync(target, { recursive: true });
if (statSync(source).isDirectory()) cpSync(source, target, { recursive: true });
else cpSync(source, join(target, basename(source)));
// A digest of each file, so the harness can tell which upload a later download brought back.
const digested = digests(target);
process.stdout.write(`upload-artifact stand-in: ${name} (${Object.keys(digested).length} file(s))\n`);
await log("upload-artifact", { name, digests: digested });
