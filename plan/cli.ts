// `npm run plan`: the offline plan of a stack, and `npm run plan -- diff` of two plans.
// Exit codes: 0 valid plan, 1 invalid config or input (one line on stderr), 2 error findings.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";

const USAGE = `usage: npm run plan -- [--stack dev | --config Pulumi.<stack>.yaml] [--json FILE] [--markdown FILE]
       npm run plan -- diff BASE.json HEAD.json [--markdown FILE]`;

const projectDir = resolve(import.meta.dirname, "..");
// npm runs scripts from the package root; paths on the command line are the caller's.
const callerDir = process.env["INIT_CWD"] ?? process.cwd();

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function write(file: string, text: string): void {
  writeFileSync(resolve(callerDir, file), text);
}

/** A progress line, only for people watching a terminal; erased once the plan is ready. */
function progress(text: string): () => void {
  if (!process.stdout.isTTY) return () => {};
  process.stdout.write(`${text}\r`);
  return () => process.stdout.write("\x1b[2K\r");
}

async function plan(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { stack: { type: "string" }, config: { type: "string" }, json: { type: "string" }, markdown: { type: "string" } },
    strict: true,
  });
  const { readStackFiles, stackOfFile, PlanInputError } = await import("./stackConfig.ts");
  // --config plans a stack file kept elsewhere (e.g. examples/); the stack is named after it.
  const configFile = values.config === undefined ? undefined : resolve(callerDir, values.config);
  let stack: string;
  try {
    stack = values.stack ?? (values.config !== undefined ? stackOfFile(values.config) : "dev");
  } catch (err) {
    return fail((err as Error).message);
  }
  const done = progress(`Planning stack ${stack}: running index.ts under Pulumi's mocks…`);
  const [{ recordProgram }, { buildPlan, hasErrors, serializePlan }, { labelsFromConfig }, render, { rules }] =
    await Promise.all([
      import("./recorder.ts"),
      import("./document.ts"),
      import("./access.ts"),
      import("./render.ts"),
      import("./rules.ts"),
    ]);
  const [{ default: program }, { WELL_KNOWN_CLIENTS }, { resolveEnvironment }, pulumi] = await Promise.all([
    import("../index.ts"),
    import("../config.ts"),
    import("../environment.ts"),
    import("@pulumi/pulumi"),
  ]);

  let files;
  try {
    files = readStackFiles(projectDir, stack, configFile);
  } catch (err) {
    done();
    if (err instanceof PlanInputError) fail(err.message);
    throw err;
  }
  let recording;
  try {
    recording = await recordProgram({ project: files.project, stack, config: files.config, secretKeys: files.secretKeys, program });
  } catch (err) {
    done();
    // The program reports invalid config as a RunError whose message names the stack and key.
    if (err instanceof pulumi.RunError || err instanceof pulumi.ResourceError) fail(err.message);
    fail(`stack "${stack}": the program failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  done();
  // The program accepted this value: the same resolver gives the plan the same environment.
  const environment = resolveEnvironment(files.config[`${files.project}:environment`], stack);
  const document = buildPlan(recording, {
    environment,
    rules,
    labels: labelsFromConfig(files.project, files.config, WELL_KNOWN_CLIENTS),
  });
  process.stdout.write(render.renderPlanText(document));
  if (values.json) write(values.json, serializePlan(document));
  if (values.markdown) write(values.markdown, render.renderPlanMarkdown(document));
  return hasErrors(document) ? 2 : 0;
}

async function diff(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { markdown: { type: "string" } }, allowPositionals: true, strict: true });
  if (positionals.length !== 2) fail(USAGE);
  const { asPlanDocument, diffPlans, renderDiffMarkdown, renderDiffText } = await import("./diff.ts");
  const [base, head] = positionals.map((file) => {
    let text: string;
    try {
      text = readFileSync(resolve(callerDir, file), "utf8");
    } catch {
      return fail(`${file}: cannot read it`);
    }
    try {
      return asPlanDocument(JSON.parse(text), file);
    } catch (err) {
      return fail(err instanceof SyntaxError ? `${file}: not valid JSON (${err.message})` : (err as Error).message);
    }
  });
  const result = diffPlans(base!, head!);
  process.stdout.write(renderDiffText(result));
  if (values.markdown) write(values.markdown, renderDiffMarkdown(result));
  return 0;
}

const argv = process.argv.slice(2);
try {
  process.exitCode = argv[0] === "diff" ? await diff(argv.slice(1)) : await plan(argv);
} catch (err) {
  // Wrong flags and the like: one line and the usage, never a stack trace.
  fail(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
}
