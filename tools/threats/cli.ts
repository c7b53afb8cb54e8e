// `npm run threats`: the pipeline's threat model (tools/threats/threatModel.ts) from bootstrap's
// shipped stacks, planned offline, and the workflows; printed, or written as docs/threat-model.md.
// Exit codes: 0 written, 1 a stack that does not plan (one line), 64 a wrong command line.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as cli from "../cli/args.ts";

const THREATS = cli.defineCommand({
  name: "threats",
  command: "npm run threats --",
  summary:
    "The pipeline's threat model: for each identity of bootstrap's shipped stacks, what it can write and " +
    "read, in which tenant, and who can reach it (GitHub environments, workflow jobs). Offline.",
  usage: ["[--markdown FILE]"],
  options: { markdown: { type: "string" } },
  optionHelp: ["--markdown FILE     write it to FILE (docs/threat-model.md) instead of stdout"],
  exitCodes: [
    [0, "rendered"],
    [1, "a bootstrap stack does not plan (one line on stderr)"],
    [cli.EXIT_USAGE, "wrong command line"],
  ],
  examples: ["npm run threats -- --markdown docs/threat-model.md"],
});

const ROOT = resolve(import.meta.dirname, "../..");

/** The stacks the threat model covers: the shipped pair, one per tenant, and the one-tenant example. */
export const THREAT_MODEL_STACKS = [
  { stack: "dev-tenant", file: join(ROOT, "bootstrap", "Pulumi.dev-tenant.yaml"), title: "Dev tenant: review and dev" },
  { stack: "prod-tenant", file: join(ROOT, "bootstrap", "Pulumi.prod-tenant.yaml"), title: "Prod tenant: prod alone" },
  {
    stack: "one-tenant",
    file: join(ROOT, "examples", "bootstrap", "Pulumi.one-tenant.yaml"),
    title: "One tenant for everything (examples/bootstrap/Pulumi.one-tenant.yaml, acknowledged)",
  },
] as const;

/** The rendered threat model, with `record` planning a stack's config (tests pass cached recordings). */
export async function threatModel(
  record: (
    stack: string,
    config: Record<string, string>,
  ) => Promise<{ resources: import("../../model/index.ts").PlannedResource[] }>,
): Promise<string> {
  const [{ readStackFiles }, { parseBootstrapConfig }, { PROJECT_DIR }, { BOOTSTRAP_PROJECT }, model, workflows] =
    await Promise.all([
      import("../plan/stackConfig.ts"),
      import("../../bootstrap/config.ts"),
      import("../../bootstrap/project.ts"),
      import("../../model/index.ts"),
      import("./threatModel.ts"),
      import("./workflows.ts"),
    ]);
  const jobs = workflows.readJobs(join(ROOT, ".github", "workflows"));
  const tenants = [];
  for (const { stack, file, title } of THREAT_MODEL_STACKS) {
    const { config } = readStackFiles(PROJECT_DIR, stack, file);
    const raw = Object.fromEntries(
      Object.entries(config).map(([k, v]) => [
        k.slice(BOOTSTRAP_PROJECT.length + 1),
        v.startsWith("{") || v.startsWith("[") ? (JSON.parse(v) as unknown) : v,
      ]),
    );
    const { tenantId } = parseBootstrapConfig(stack, raw, false);
    const { resources } = await record(stack, config);
    tenants.push(model.tenantThreats({ stack, title, tenantId, resources }, jobs));
  }
  return model.renderThreatModel(tenants);
}

async function main(argv: string[], io: cli.CliIo): Promise<number> {
  const { values } = cli.readCommandLine(THREATS, argv);
  const [{ recordProgram }, { default: program }, { BOOTSTRAP_PROJECT }] = await Promise.all([
    import("../plan/recorder.ts"),
    import("../../bootstrap/index.ts"),
    import("../../model/index.ts"),
  ]);
  const text = await threatModel((stack, config) =>
    recordProgram({ project: BOOTSTRAP_PROJECT, stack, config, program, preview: true }),
  );
  const markdown = cli.stringOption(values, "markdown");
  if (markdown === undefined) io.stdout(text);
  else writeFileSync(resolve(io.env["INIT_CWD"] ?? process.cwd(), markdown), text);
  return 0;
}

export { main };

if (import.meta.main) cli.runAsCommand(main);
