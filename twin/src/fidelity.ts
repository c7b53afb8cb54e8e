/**
 * The twin's fidelity register: every behaviour a handler models registers itself here, next to the rule,
 * with the source it was derived from and the test that pins it; twin/docs/fidelity.md is rendered from
 * this register (and the behaviours deliberately left out), and twin/test/fidelity.test.ts fails when the
 * page, a test title or a source no longer matches, so the table cannot drift from the code.
 */

/** The classes of issue 24: where a behaviour comes from. */
export const CLASSES = {
  replacement: "Which changes replace a resource (azure-native's metadata, azuread's ForceNew)",
  "provider-checks": "What the azuread provider checks before it calls Graph (schema validators, CustomizeDiff)",
  "provider-calls": "What the Terraform provider does around each call (owners, app roles, deletes, retries)",
  "arm-authorization": "Authorization as ARM evaluates it (role actions, ABAC conditions, principal types)",
  "plan-tier": "What an App Service plan tier cannot do",
  "entra-policy": "Entra policies that depend on the application (identifier URIs, token version)",
  "not-stricter": "Allowed by Azure and the providers, so allowed by the twin",
  tenancy: "Tenants and tokens: who a provider signs in as, and where a token is good (issue 22)",
  github: "What @pulumi/github and GitHub's REST API check of environments and variables (issue 22)",
  adoption: "What reusing or adopting a hand-made setup reads: an import's inputs, an existing app (issue 25)",
} as const;

export type FidelityClass = keyof typeof CLASSES;

export interface Behaviour {
  readonly class: FidelityClass;
  /** What the twin does, in a sentence. */
  readonly behaviour: string;
  /** Where it comes from: a Learn page, or a file (and line) of a provider's code at its pinned version. */
  readonly source: string;
  /** The test that pins it: `<file under twin/> › <test title>`. */
  readonly test: string;
}

export interface NotModelled {
  readonly class: FidelityClass;
  readonly behaviour: string;
  readonly why: string;
}

const REGISTER: Behaviour[] = [];

/** Registers a behaviour a handler models; called at module load, next to the rule. */
export function models(behaviour: Behaviour): void {
  REGISTER.push(behaviour);
}

/** Every registered behaviour, in class order, then by behaviour. */
export function behaviours(): readonly Behaviour[] {
  const order = Object.keys(CLASSES);
  return [...REGISTER].sort(
    (a, b) =>
      order.indexOf(a.class) - order.indexOf(b.class) ||
      (a.behaviour < b.behaviour ? -1 : a.behaviour > b.behaviour ? 1 : 0),
  );
}

/** Behaviours the twin leaves out on purpose, and why. */
export const NOT_MODELLED: readonly NotModelled[] = [
  {
    class: "replacement",
    behaviour: "azure-native's replacement on a change of a nested forceNew property (e.g. vnetConfiguration.*)",
    why:
      "none of the nested forceNew properties of the types used is set by the program, bootstrap/ or the examples; " +
      "their entries are kept in twin/src/arm/replacement.json for when one is",
  },
  {
    class: "replacement",
    behaviour: "the provider commit of tag v3.28.0 itself",
    why:
      "pulumi-azure-native's snapshot is over the fetch size limit here; replacement.json names the commit of " +
      "provider/pkg/gen/replacement.go that was read and the API specs' x-ms-mutability, which is what the " +
      "metadata is generated from",
  },
  {
    class: "provider-checks",
    behaviour: "azuread's validators of attributes no program sets (logo_image, optional_claims, public_client, ...)",
    why: "the twin's azuread handlers do not model those attributes at all; an input they do not know is ignored",
  },
  {
    class: "provider-calls",
    behaviour: "owners beyond the first 20 added one by one after creation (application_resource.go ownersExtra)",
    why: "the end state is the same owner set; the twin does not count requests",
  },
  {
    class: "provider-calls",
    behaviour: "consistency.WaitForUpdate/WaitForDeletion polling after create and delete",
    why: "the twin's Graph is read-your-writes: what the provider waits for is already true when the call returns",
  },
  {
    class: "arm-authorization",
    behaviour: "ABAC attributes of data actions (blob paths, tags, encryption scopes)",
    why:
      "the twin's data planes (twin/src/dataplane.ts) pass no request attributes to conditions; no role the " +
      "pipeline holds on state or keys has a condition",
  },
  {
    class: "arm-authorization",
    behaviour: "a custom role's assignableScopes limiting where it may be assigned",
    why: "bootstrap/ assigns its custom roles only at the scopes it lists; the twin does not check them",
  },
  {
    class: "tenancy",
    behaviour: "the federated token's own checks when a provider signs in (issuer, subject, audience)",
    why:
      "the plugins trust the configured client id; those checks are the Entra runtime's, which the workflows' " +
      "tokens meet (twin/docs/entra-runtime.md)",
  },
  {
    class: "github",
    behaviour: "a policy switching between branch and tag pattern, which the provider replaces",
    why: "bootstrap/ declares branch patterns only; the twin updates the pattern in place",
  },
  {
    class: "plan-tier",
    behaviour: "deployment slots, custom domains, VNet integration and other features the program does not use",
    why: "no program, bootstrap/ or example sets them",
  },
  {
    class: "entra-policy",
    behaviour: "app management policies other than identifier URIs (password/key credential restrictions)",
    why: "the program creates no secret or certificate (its invariant), so no such policy can refuse it",
  },
  {
    class: "entra-policy",
    behaviour: "excludeActors (custom security attribute exemptions) of the identifier URI restriction",
    why: "the twin has no custom security attributes",
  },
];

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** twin/docs/fidelity.md, from the register. */
export function fidelityPage(list: readonly Behaviour[] = behaviours()): string {
  const lines = [
    "# The twin's fidelity table",
    "",
    "Generated from the twin's own register (`twin/src/fidelity.ts`: every rule calls `models({...})` next to",
    "its code): do not edit by hand; `node twin/src/fidelity-page.ts` rewrites it and",
    "`twin/test/fidelity.test.ts` fails when it is stale, when a test it names is missing or when a class has",
    "fewer than three behaviours.",
    "",
  ];
  for (const [key, title] of Object.entries(CLASSES)) {
    const rows = list.filter((b) => b.class === key);
    lines.push(`## ${title}`, "", "| Behaviour | Source | Test |", "|---|---|---|");
    for (const b of rows) lines.push(`| ${cell(b.behaviour)} | ${cell(b.source)} | ${cell(b.test)} |`);
    const left = NOT_MODELLED.filter((n) => n.class === key);
    if (left.length > 0) {
      lines.push("", "Not modelled:", "");
      for (const n of left) lines.push(`- ${cell(n.behaviour)}: ${cell(n.why)}.`);
    }
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
