// The deploy's chain: the longest run of operations in a stack's resource graph that must happen
// one after another. Whatever each create takes in Azure, a deploy takes at least the sum of the
// creates on this chain, so its length is the floor of a real deploy's time and its links say
// which dependencies make it. Pure: it reads the recorded graph (tools/plan/recorder.ts) and
// nothing else; `npm run bench:engine` reports it per stack (docs/performance.md).
import { isPlainObject, parseReferences, referencedUrns } from "../../model/index.ts";

/** A resource as the chain reads it: what the recorder records of every registration. */
export interface GraphResource {
  urn: string;
  /** Component resources are not operations (the engine creates nothing for them); their resources are. */
  custom: boolean;
  parent?: string | undefined;
  /** Every URN it waits for, as the SDK tells the engine: `dependsOn` and its inputs' sources. */
  dependencies: readonly string[];
  /** The same, for each input property whose value comes from other resources. */
  propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** Its inputs, for the lookups (data sources) a link goes through; placeholders as in a plan. */
  inputs?: Record<string, unknown>;
}

/** One operation of the chain and why it waits for the one before it. */
export interface ChainLink {
  urn: string;
  /**
   * What makes it wait for the previous link: the input properties that use that resource's
   * outputs, `dependsOn`, or `parent` (a resource's parent must exist first). Empty on the first.
   */
  because: string[];
  /** Data sources the value goes through on its way (their tokens), e.g. an identity lookup. */
  through: string[];
}

export interface DeployChain {
  /** How many operations (custom resources) the stack has. */
  operations: number;
  /** The longest chain, first operation first; the earliest registered one when several tie. */
  links: ChainLink[];
  /**
   * Operations by the earliest step they can run at (index 0: those that wait for nothing): how
   * wide the deploy is at each step of the chain.
   */
  perStep: number[];
}

interface Edge {
  to: string;
  because: string[];
}

/**
 * The longest chain of dependent operations. A dependency on a component stands for every
 * operation under it (as the SDK expands it for the engine); a component parent is no wait (the
 * engine registers a component at once), a custom parent is. URNs not in `resources` (provider
 * resources, for one) are no operations and are left out. Throws on a dependency cycle.
 */
export function deployChain(resources: readonly GraphResource[]): DeployChain {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const order = new Map(resources.map((r, i) => [r.urn, i]));
  const children = new Map<string, string[]>();
  for (const r of resources) {
    if (r.parent !== undefined) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
  }
  // The operations a dependency on `urn` waits for: itself, or everything under a component.
  const operationsOf = (urn: string, into: Set<string> = new Set()): Set<string> => {
    const r = byUrn.get(urn);
    if (r === undefined) return into;
    if (r.custom) into.add(urn);
    else for (const child of children.get(urn) ?? []) operationsOf(child, into);
    return into;
  };
  const edgesOf = (r: GraphResource): Edge[] => {
    const edges = new Map<string, Set<string>>();
    const add = (urn: string, because: string) => {
      for (const op of operationsOf(urn)) {
        if (op === r.urn) continue;
        edges.set(op, (edges.get(op) ?? new Set()).add(because));
      }
    };
    const viaProperty = new Set<string>();
    for (const [property, urns] of Object.entries(r.propertyDependencies)) {
      for (const urn of urns) {
        add(urn, property);
        viaProperty.add(urn);
      }
    }
    for (const urn of r.dependencies) if (!viaProperty.has(urn)) add(urn, "dependsOn");
    if (r.parent !== undefined && byUrn.get(r.parent)?.custom) add(r.parent, "parent");
    return [...edges].map(([to, because]) => ({ to, because: [...because] }));
  };

  // Longest path ending at each operation, by depth-first search with memory.
  const best = new Map<string, { length: number; previous?: Edge }>();
  const visiting = new Set<string>();
  const longestTo = (urn: string): number => {
    const known = best.get(urn);
    if (known) return known.length;
    if (visiting.has(urn)) throw new Error(`deployChain: a dependency cycle runs through ${urn}`);
    visiting.add(urn);
    let result: { length: number; previous?: Edge } = { length: 1 };
    const edges = edgesOf(byUrn.get(urn)!).sort((a, b) => order.get(a.to)! - order.get(b.to)!);
    for (const edge of edges) {
      const length = longestTo(edge.to) + 1;
      if (length > result.length) result = { length, previous: edge };
    }
    visiting.delete(urn);
    best.set(urn, result);
    return result.length;
  };

  const operations = resources.filter((r) => r.custom);
  let end: GraphResource | undefined;
  const perStep: number[] = [];
  for (const op of operations) {
    const length = longestTo(op.urn);
    perStep[length - 1] = (perStep[length - 1] ?? 0) + 1;
    if (end === undefined || length > best.get(end.urn)!.length) end = op;
  }
  const links: ChainLink[] = [];
  for (let urn = end?.urn; urn !== undefined;) {
    const previous = best.get(urn)!.previous;
    links.unshift({
      urn,
      because: previous?.because ?? [],
      through: previous ? lookupsBetween(byUrn.get(urn)!, previous) : [],
    });
    urn = previous?.to;
  }
  return { operations: operations.length, links, perStep: Array.from(perStep, (n) => n ?? 0) };
}

/**
 * The data sources whose arguments name `edge.to` in the inputs that make the link: a
 * placeholder `${invoke:<token>(<args naming the resource>)#<output>}` (model/placeholder.ts).
 */
function lookupsBetween(r: GraphResource, edge: Edge): string[] {
  const tokens = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      for (const ref of parseReferences(value)) {
        if (ref.kind === "invoke" && referencedUrns(ref.args).has(edge.to)) tokens.add(ref.token);
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (isPlainObject(value)) Object.values(value).forEach(visit);
  };
  for (const property of edge.because) visit(r.inputs?.[property]);
  return [...tokens];
}
