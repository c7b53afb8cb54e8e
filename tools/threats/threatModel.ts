// The threat model of the pipeline, generated from what decides it: bootstrap/'s stacks (each
// identity's grants, judged by their definitions through policy/reach.ts, its federated
// credentials and the GitHub environments that guard them) and the workflows (which jobs, on which
// events, run in those environments or as pull requests). For each identity: what it can write
// and read, in which tenant and subscription, and who can reach it. docs/threat-model.md is its
// rendering (`npm run threats -- --markdown docs/threat-model.md`; a test keeps it true).
import { type PlannedResource, RESOURCE_TYPE } from "../../model/index.ts";
import { allows, OPERATIONS } from "../../model/roles.ts";
import {
  type Asset,
  type ClassifiedGrant,
  deploysOf,
  grantsOf,
  reachOf,
  readsOf,
  subjectsOf,
  tenantWritesOf,
} from "../../policy/reach.ts";
import { asList, indexStack, valueAt, type FederatedIdentity, type StackView } from "../../policy/stack.ts";
import type { JobView } from "./workflows.ts";

/** One bootstrap stack: a tenant and what its program declares there. */
export interface TenantStack {
  /** The bootstrap stack's name, e.g. `dev-tenant`. */
  stack: string;
  /** What the stack is, one line for the heading. */
  title: string;
  tenantId: string;
  resources: readonly PlannedResource[];
}

export interface IdentityThreat {
  identity: string;
  /** `deploys dev` or `reads prod`. */
  serves: string;
  writes: string[];
  reads: string[];
  reachedBy: string[];
}

export interface TenantThreats extends Omit<TenantStack, "resources"> {
  identities: IdentityThreat[];
}

/** An asset as a reader tells it: `subscription …`, `state contosodevstate/dev`, `key contoso-dev-pulumi/dev`. */
function describeAsset(asset: Asset): string {
  const parts = asset.scope.split("/");
  if (asset.kind === "subscription") return `subscription \`${parts[2]}\``;
  if (asset.kind === "state") return `state \`${parts[8]}/${parts.at(-1)}\``;
  return `key \`${parts[8]}/${parts.at(-1)}\``;
}

/** `dev: subscription … (Contributor, …); state … (…)`, one entry per environment. */
function byEnvironment(entries: { asset: Asset; via: string }[]): string[] {
  const environments = [...new Set(entries.map((e) => e.asset.environment))];
  return environments.map((environment) => {
    const assets = new Map<string, Set<string>>();
    for (const e of entries.filter((x) => x.asset.environment === environment)) {
      const key = describeAsset(e.asset);
      assets.set(key, (assets.get(key) ?? new Set()).add(e.via));
    }
    return `${environment}: ${[...assets].map(([asset, via]) => `${asset} (${[...via].join(", ")})`).join("; ")}`;
  });
}

/** What a key role that uses a key without managing it does with it. */
function keyUse(grant: ClassifiedGrant): string {
  const blocks = grant.definition?.blocks ?? [];
  return blocks.some((p) => allows(p, OPERATIONS.encrypt, true)) ? "encrypt, decrypt" : "decrypt";
}

/** How GitHub guards an environment, from what the stack declares. */
function protectionOf(stack: StackView, name: string): string {
  const environment = stack.ofType(RESOURCE_TYPE.githubEnvironment).find((e) => e.inputs["environment"] === name);
  if (environment === undefined) return "not declared here: unchecked";
  const reviewers = (asList(environment.inputs["reviewers"]) ?? []).flatMap((r) => [
    ...(asList(valueAt(r, "users")) ?? []),
    ...(asList(valueAt(r, "teams")) ?? []),
  ]);
  const branches = stack
    .ofType(RESOURCE_TYPE.githubDeploymentPolicy)
    .filter((p) => p.inputs["environment"] === name)
    .map((p) => String(p.inputs["branchPattern"]));
  return [
    reviewers.length > 0
      ? `a reviewer approves every run (${reviewers.length} listed)` +
        (environment.inputs["preventSelfReview"] === true ? ", never its author" : "")
      : "no approval",
    `deploys from ${branches.length > 0 ? branches.join(", ") : "any branch"}`,
  ].join("; ");
}

/** The jobs that can use a subject: `file:job (events)`, and whether they run pull request code. */
function jobsFor(subject: string, jobs: readonly JobView[]): string[] {
  const matching = subject.startsWith("environment:")
    ? jobs.filter((j) => j.oidc && j.environments.includes(subject.slice("environment:".length)))
    : subject === "pull_request"
      ? jobs.filter((j) => j.oidc && j.environments.length === 0 && j.events.includes("pull_request"))
      : [];
  return matching.map(
    (j) =>
      `\`${j.file}\` ${j.name} (${j.events.join(", ")}` +
      `${j.pullRequestCode ? "; runs the pull request's code at the approved commit" : ""})`,
  );
}

function reachedBy(identity: FederatedIdentity, stack: StackView, jobs: readonly JobView[]): string[] {
  return subjectsOf(identity).map((subject) => {
    const used = jobsFor(subject, jobs);
    const via = used.length > 0 ? used.join(", ") : "no workflow job";
    if (subject === "pull_request")
      return (
        `\`pull_request\`: any pull request of this repository (a fork's gets no token), running its own copy of ` +
        `the workflow: ${via}`
      );
    if (subject.startsWith("environment:")) {
      const name = subject.slice("environment:".length);
      return `GitHub environment \`${name}\` (${protectionOf(stack, name)}): ${via}`;
    }
    return `\`${subject}\`: ${via}`;
  });
}

/** The threats of one tenant's identities. */
export function tenantThreats(tenant: TenantStack, jobs: readonly JobView[]): TenantThreats {
  const stack = indexStack(tenant.resources);
  const environments = [...new Set(stack.federatedIdentities().flatMap((i) => [...deploysOf(i), ...readsOf(i)]))];
  const identities = stack.federatedIdentities().map((identity) => {
    const reach = reachOf(identity, stack);
    const azure = (writing: boolean) =>
      byEnvironment(
        reach
          .filter((r) => (r.access === "write" || r.access === "manage") === writing)
          .map((r) => ({ asset: r.asset, via: `${r.via.name}${r.access === "use" ? `: ${keyUse(r.via)}` : ""}` })),
      );
    const grants = grantsOf(identity, stack).filter((g) => g.kind === "graph");
    const tenantWide = tenantWritesOf(identity, stack).map((g) => g.name);
    const owned = grants.filter((g) => g.writes.length > 0 && !g.tenantWide).map((g) => g.name);
    const graphReads = grants.filter((g) => g.writes.length === 0).map((g) => g.name);
    return {
      identity: identity.owner.name,
      serves: [...deploysOf(identity).map((e) => `deploys ${e}`), ...readsOf(identity).map((e) => `reads ${e}`)].join(
        ", ",
      ),
      writes: [
        ...azure(true),
        ...(tenantWide.length > 0
          ? [
              `every environment in this tenant (${environments.join(", ")}) through Microsoft Graph: ` +
                `${tenantWide.join(", ")} can grant any permission, itself included`,
            ]
          : []),
        ...(owned.length > 0 ? [`the app registrations it creates and owns (${owned.join(", ")})`] : []),
      ],
      reads: [...azure(false), ...(graphReads.length > 0 ? [`the tenant's directory (${graphReads.join(", ")})`] : [])],
      reachedBy: reachedBy(identity, stack, jobs),
    };
  });
  return { stack: tenant.stack, title: tenant.title, tenantId: tenant.tenantId, identities };
}

const cell = (items: readonly string[]) =>
  items.length === 0 ? "nothing" : items.map((i) => i.replace(/\|/g, "\\|")).join("<br>");

/** docs/threat-model.md. */
export function renderThreatModel(tenants: readonly TenantThreats[]): string {
  const lines = [
    "# Threat model of the pipeline",
    "",
    "<!-- Generated by `npm run threats -- --markdown docs/threat-model.md` from bootstrap/'s stacks and " +
      ".github/workflows/; test/tools/threats/threatModel.test.ts keeps it true. Do not edit by hand. -->",
    "",
    "For each identity the pipeline signs in as: what it can write and read (computed from its roles' " +
      "definitions and its Microsoft Graph permissions, `policy/reach.ts`), in which tenant and subscription, " +
      "and who can reach it (the OIDC subject it trusts, the GitHub environment that guards it, the workflow " +
      "jobs and events that use it). A tenant-wide Graph write reaches every environment of its tenant: that " +
      "is why prod has a tenant of its own ([deploying.md, Zero to dev](deploying.md#zero-to-dev)).",
    "",
  ];
  for (const tenant of tenants) {
    lines.push(`## ${tenant.title}`, "");
    lines.push(`Bootstrap stack \`${tenant.stack}\`, tenant \`${tenant.tenantId}\` (the shipped placeholders).`, "");
    lines.push("| Identity | Serves | Can write (and read) | Can read or use | Reached by |", "|---|---|---|---|---|");
    for (const i of tenant.identities)
      lines.push(`| ${i.identity} | ${i.serves} | ${cell(i.writes)} | ${cell(i.reads)} | ${cell(i.reachedBy)} |`);
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
