// `npm run plan`: the offline plan of a stack, and `npm run plan -- diff` of two plans.
// Exit codes: 0 valid plan, 1 invalid config or input (one line on stderr), 2 error findings,
// 64 a wrong command line (the same in every CLI, tools/cli/args.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import * as cli from "../cli/args.ts";
import { BOOTSTRAP_STACKS } from "../../model/pipeline.ts";

const PLAN = cli.defineCommand({
  name: "plan",
  command: "npm run plan --",
  summary:
    "The offline plan of a stack: the real program under Pulumi's mocks, the access matrix and the " +
    "policy findings. No cloud, no Pulumi CLI.",
  usage: [
    "[--project bootstrap] [--stack dev | --config Pulumi.<stack>.yaml] [--json FILE] [--markdown FILE]",
    "--stack NAME --import-file FILE [--import-ids IDS.json]   (adopting a setup made by hand: docs/reusing.md)",
    "diff BASE.json HEAD.json [--markdown FILE]   (see: npm run plan -- diff --help)",
    "comment --base DIR --head DIR --markdown FILE ...   (see: npm run plan -- comment --help)",
  ],
  options: {
    project: { type: "string" },
    stack: { type: "string" },
    config: { type: "string" },
    json: { type: "string" },
    markdown: { type: "string" },
    "import-file": { type: "string" },
    "import-ids": { type: "string" },
  },
  optionHelp: [
    "--project bootstrap plan the pipeline's identities (bootstrap/, default stack: dev-tenant) instead of the program",
    "--stack NAME        plan Pulumi.NAME.yaml in the project (default: dev)",
    "--config FILE       plan a stack file kept elsewhere; the stack is named after it (Pulumi.<stack>.yaml)",
    "--json FILE         also write the plan document (input of `diff`)",
    "--markdown FILE     also write the plan as a PR comment",
    "--import-file FILE  also write a `pulumi import --file` document of every resource, ids to fill in",
    "--import-ids FILE   with --import-file: a JSON map of logical name to id, filled in for you",
  ],
  exitCodes: [
    [0, "planned; no error findings"],
    [1, "invalid config, unreadable file or a program failure (one line on stderr)"],
    [2, "planned, with error findings"],
    [cli.EXIT_USAGE, "wrong command line"],
  ],
  examples: [
    "npm run plan -- --stack prod --json prod.json",
    "npm run plan -- --config examples/Pulumi.mixed.yaml --markdown plan.md",
  ],
});

const DIFF = cli.defineCommand({
  name: "plan diff",
  command: "npm run plan -- diff",
  summary:
    "Compares two plan documents (e.g. a PR's base and head): resources added, removed and changed, " +
    "access granted and revoked.",
  usage: ["BASE.json HEAD.json [--markdown FILE]"],
  options: { markdown: { type: "string" } },
  optionHelp: [
    "--markdown FILE     also write the diff as a PR comment: prod warnings and access first, at most " +
      "30,000 characters",
    "                    (two diffs fit one GitHub comment), with a note of what was cut; " +
      "$S2S_PLAN_ARTIFACT names where the full plans are",
  ],
  exitCodes: [
    [0, "compared"],
    [1, "a file is unreadable, not JSON or not a plan document (one line naming it)"],
    [cli.EXIT_USAGE, "wrong command line"],
  ],
  examples: [
    "npm run plan -- --stack dev --json head.json && npm run plan -- diff base.json head.json --markdown comment.md",
  ],
  allowPositionals: true,
});

const COMMENT = cli.defineCommand({
  name: "plan comment",
  command: "npm run plan -- comment",
  summary:
    "The pull request comment, as plan-comment.yml renders it with the base branch's code: each stack's diff " +
    "between the base's plan and the plan the pull request's ci run uploaded (read as data), saying which " +
    "code computed what.",
  usage: ["--base DIR --head DIR --markdown FILE [--base-ref NAME] [--changed-files FILE] [--stacks dev,prod]"],
  options: {
    base: { type: "string" },
    head: { type: "string" },
    markdown: { type: "string" },
    "base-ref": { type: "string" },
    "changed-files": { type: "string" },
    stacks: { type: "string" },
  },
  optionHelp: [
    "--base DIR          the base branch's plans, <stack>.json (a missing one: the base plan failed)",
    "--head DIR          the plans the pull request's ci run uploaded, <stack>.json",
    "--markdown FILE     where the comment goes",
    "--base-ref NAME     the branch whose code renders it (default: main)",
    "--changed-files FILE  the paths the pull request changes, one a line (GitHub's list of its files)",
    "--stacks LIST       the stacks, comma-separated (default: dev,prod)",
  ],
  exitCodes: [
    [0, "written (a head plan that is not a plan document is a line of the comment)"],
    [1, "a base plan or the changed-files list is unreadable (one line)"],
    [cli.EXIT_USAGE, "wrong command line"],
  ],
  examples: ["npm run plan -- comment --base base --head head --changed-files files.txt --markdown comment.md"],
});

const projectDir = resolve(import.meta.dirname, "../..");

// npm runs scripts from the package root; paths on the command line are the caller's.
function callerDir(io: cli.CliIo): string {
  return io.env["INIT_CWD"] ?? process.cwd();
}

function fail(message: string, code = 1): never {
  throw new cli.CliExit(code, message);
}

function write(io: cli.CliIo, file: string, text: string): void {
  writeFileSync(resolve(callerDir(io), file), text);
}

/** A progress line on stderr, only for people watching a terminal; erased once the plan is ready. */
function progress(io: cli.CliIo, text: string): () => void {
  if (!io.terminal) return () => {};
  io.stderr(`${text}\r`);
  return () => io.stderr("\x1b[2K\r");
}

async function plan(args: string[], io: cli.CliIo): Promise<number> {
  const parsed = cli.readCommandLine(PLAN, args);
  const values = {
    project: cli.stringOption(parsed.values, "project"),
    stack: cli.stringOption(parsed.values, "stack"),
    config: cli.stringOption(parsed.values, "config"),
    json: cli.stringOption(parsed.values, "json"),
    markdown: cli.stringOption(parsed.values, "markdown"),
    importFile: cli.stringOption(parsed.values, "import-file"),
    importIds: cli.stringOption(parsed.values, "import-ids"),
  };
  if (values.importIds !== undefined && values.importFile === undefined)
    return fail("--import-ids needs --import-file (see npm run plan -- --help)", cli.EXIT_USAGE);
  const [
    { readStackFiles, stackOfFile, checkStackName, exampleValueFindings, secretWherePlainIsNeeded, PlanInputError },
    { sizeProblem },
  ] = await Promise.all([import("./stackConfig.ts"), import("./size.ts")]);
  // --project bootstrap: the pipeline's identities (bootstrap/), planned like the program.
  if (values.project !== undefined && values.project !== "bootstrap")
    return fail(`--project: unknown project "${values.project}" (known: bootstrap)`, cli.EXIT_USAGE);
  const bootstrap = values.project === "bootstrap" ? await import("../../bootstrap/project.ts") : undefined;
  // --config plans a stack file kept elsewhere (e.g. examples/); the stack is named after it.
  const configFile = values.config === undefined ? undefined : resolve(callerDir(io), values.config);
  let stack: string;
  try {
    stack =
      values.stack !== undefined
        ? checkStackName(values.stack)
        : values.config !== undefined
          ? stackOfFile(values.config)
          : bootstrap
            ? BOOTSTRAP_STACKS[0]
            : "dev";
  } catch (err) {
    return fail((err as Error).message);
  }
  const done = progress(io, `Planning stack ${stack}: running index.ts under Pulumi's mocks…`);
  (await import("./sdkLoading.ts")).deferTypeScriptCompiler();
  const [{ recordProgram }, { buildPlan, hasErrors, serializePlan }, { labelsFromConfig }, render, { ruleFunctions }] =
    await Promise.all([
      import("./recorder.ts"),
      import("./document.ts"),
      import("./access.ts"),
      import("./render.ts"),
      import("../../policy/rules/index.ts"),
    ]);
  const [
    { default: program },
    { BOOTSTRAP_ENVIRONMENT, WELL_KNOWN_CLIENTS, resolveEnvironment, rootStackUrn },
    pulumi,
  ] = await Promise.all([
    bootstrap ? import("../../bootstrap/index.ts") : import("../../index.ts"),
    import("../../model/index.ts"),
    import("@pulumi/pulumi"),
  ]);

  let files;
  try {
    files = readStackFiles(bootstrap?.PROJECT_DIR ?? projectDir, stack, configFile);
  } catch (err) {
    done();
    if (err instanceof PlanInputError) fail(err.message);
    throw err;
  }
  // Before the program runs: a config too large would exhaust the heap while it declares, and a
  // secret it needs in plain text would read as "[secret]".
  const problem =
    sizeProblem(stack, files.project, files.config) ??
    secretWherePlainIsNeeded(files, stack, configFile ?? `Pulumi.${stack}.yaml`);
  if (problem) {
    done();
    fail(problem);
  }
  let recording;
  try {
    recording = await recordProgram({
      project: files.project,
      stack,
      config: files.config,
      secretKeys: files.secretKeys,
      program,
      preview: bootstrap !== undefined,
    });
  } catch (err) {
    done();
    // The program reports invalid config as a RunError whose message names the stack and key.
    if (err instanceof pulumi.RunError || err instanceof pulumi.ResourceError) fail(err.message);
    fail(`stack "${stack}": the program failed: ${(err instanceof Error ? err.message : String(err)).split("\n")[0]}`);
  }
  done();
  // The program accepted this value: the same resolver gives the plan the same environment.
  const environment = bootstrap
    ? BOOTSTRAP_ENVIRONMENT
    : resolveEnvironment(files.config[`${files.project}:environment`], stack);
  const document = buildPlan(recording, {
    environment,
    rules: ruleFunctions,
    labels: labelsFromConfig(files.project, files.config, WELL_KNOWN_CLIENTS),
    configFindings: exampleValueFindings(files.project, files.config, rootStackUrn(files.project, stack)),
  });
  io.stdout(render.renderPlanText(document));
  if (values.json) write(io, values.json, serializePlan(document));
  if (values.markdown) write(io, values.markdown, render.renderPlanMarkdown(document));
  if (values.importFile) {
    const { importFile } = await import("./importFile.ts");
    let ids: Record<string, string> = {};
    if (values.importIds) {
      try {
        ids = JSON.parse(readFileSync(resolve(callerDir(io), values.importIds), "utf8")) as Record<string, string>;
      } catch (err) {
        fail(`${values.importIds}: not a JSON map of logical names to ids (${(err as Error).message.split("\n")[0]})`);
      }
    }
    write(io, values.importFile, `${JSON.stringify(importFile(document, ids), null, 2)}\n`);
  }
  return hasErrors(document) ? 2 : 0;
}

/** Where the complete plans are when a PR comment had to be cut: the workflow's artifact. */
function fullPlanOf(io: cli.CliIo): string {
  return io.env["S2S_PLAN_ARTIFACT"] ?? "the `plans` artifact of the ci workflow run (each stack's plan JSON)";
}

async function diff(args: string[], io: cli.CliIo): Promise<number> {
  const { values, positionals } = cli.readCommandLine(DIFF, args);
  if (positionals.length !== 2)
    fail(`plan diff: needs two plan files, BASE.json and HEAD.json (see npm run plan -- diff --help)`, cli.EXIT_USAGE);
  const { readPlanDocument, diffPlans, renderDiffMarkdown, renderDiffText } = await import("./diff.ts");
  const [base, head] = positionals.map((file) => {
    try {
      return readPlanDocument(resolve(callerDir(io), file), file);
    } catch (err) {
      return fail((err as Error).message);
    }
  });
  const result = diffPlans(base!, head!);
  io.stdout(renderDiffText(result));
  const markdown = cli.stringOption(values, "markdown");
  if (markdown) write(io, markdown, renderDiffMarkdown(result, { fullPlan: fullPlanOf(io) }));
  return 0;
}

async function comment(args: string[], io: cli.CliIo): Promise<number> {
  const { values } = cli.readCommandLine(COMMENT, args);
  const option = (name: string) => cli.stringOption(values, name);
  const [base, head, markdown] = [option("base"), option("head"), option("markdown")];
  if (base === undefined || head === undefined || markdown === undefined)
    fail(
      "plan comment: --base, --head and --markdown are required (see npm run plan -- comment --help)",
      cli.EXIT_USAGE,
    );
  const { renderPrComment } = await import("./prComment.ts");
  const listed = option("changed-files");
  let changedFiles: string[] = [];
  if (listed !== undefined) {
    try {
      changedFiles = readFileSync(resolve(callerDir(io), listed), "utf8")
        .split("\n")
        .filter(Boolean);
    } catch (err) {
      fail(`${listed}: cannot read it (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  const text = renderPrComment({
    baseDir: resolve(callerDir(io), base),
    headDir: resolve(callerDir(io), head),
    baseRef: option("base-ref") ?? "main",
    stacks: (option("stacks") ?? "dev,prod").split(","),
    changedFiles,
    fullPlan: fullPlanOf(io),
  });
  write(io, markdown, text);
  return 0;
}

/** `npm run plan -- <argv>`: the exit code, with everything printed through `io`. */
export function main(argv: string[], io: cli.CliIo): Promise<number> {
  // Anything unforeseen: one line, never a stack trace.
  const run = (args: string[]) =>
    args[0] === "diff" ? diff(args.slice(1), io) : args[0] === "comment" ? comment(args.slice(1), io) : plan(args, io);
  return cli.runCli(run, argv, io, { name: "plan", code: 1, firstLineOnly: true });
}

if (import.meta.main) cli.runAsCommand(main);
