// The @pulumi/policy wrapping of the rules in rules/: one stack policy per rule, fed with the
// same PlannedResource shape the plan and the tests use. Kept apart from index.ts, whose
// `new PolicyPack` starts the analyzer's gRPC server, so that tests can drive these policies.
import { Secret } from "@pulumi/policy";
import type {
  EnforcementLevel,
  PolicyResource,
  ReportViolation,
  ResourceValidationPolicy,
  Severity as PolicySeverity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import {
  BOOTSTRAP_ENVIRONMENT,
  BOOTSTRAP_PROJECT,
  ENVIRONMENTS,
  EnvironmentError,
  environmentOrStrictest,
  NOT_YET_KNOWN,
  type PlannedResource,
  resolveEnvironment as environmentOf,
  type RuleContext,
  type Severity,
  UNKNOWN_ENVIRONMENT_JUDGED_AS,
  urnStackAndProject,
} from "../model/index.ts";
import { rules as allRules, runRule, type Rule } from "./rules/index.ts";
import { indexStack } from "./stack.ts";

export const PACK_NAME = "s2s-auth";

/**
 * The engine's markers for values not known during preview (`@pulumi/policy` proxy.js, where
 * they are internal). They arrive inside resource properties in place of the value.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

// @pulumi/policy hands properties wrapped in proxies: one throws on reading an unknown value
// (which would turn the whole policy into an advisory "can't run during preview"), one unwraps
// secrets. Both answer these keys with "yes" and with the wrapped object.
const IS_PROXY = "__isSpecialProxy";
const PROXY_TARGET = "__getSpecialProxyTarget";

/**
 * Plain JSON-like data from policy properties: proxies and secrets unwrapped, unknown values as
 * `NOT_YET_KNOWN`, so a rule can tell "not known yet" from "not set".
 */
export function plain(value: unknown): unknown {
  let v = value;
  for (
    let depth = 0;
    depth < 4 && typeof v === "object" && v !== null && (v as Record<string, unknown>)[IS_PROXY] === true;
    depth++
  ) {
    v = (v as Record<string, unknown>)[PROXY_TARGET];
  }
  if (typeof v === "string") return UNKNOWN_SENTINELS.has(v) ? NOT_YET_KNOWN : v;
  if (typeof v !== "object" || v === null) return v;
  if (v instanceof Secret) return plain(v.value);
  if (Array.isArray(v)) return v.map(plain);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const x = plain((v as Record<string, unknown>)[key]);
    if (x !== undefined) out[key] = x;
  }
  return out;
}

/**
 * The rules' environment: the policy's config (`pulumi preview --policy-pack-config <file>`)
 * or else the stack name read from the resources' URNs (`urn:pulumi:<stack>::…`), by the one
 * resolver the program and the plan use too (model/environment.ts). Throws {@link EnvironmentError}
 * when neither tells.
 */
export function resolveEnvironment(configured: unknown, urns: readonly string[]): RuleContext["environment"] {
  const { stack, project } = urns.map(urnStackAndProject).find((parts) => parts !== undefined) ?? {};
  // The pipeline's identities have no environment of their own: they guard prod (bootstrap/project.ts).
  if (configured === undefined && project === BOOTSTRAP_PROJECT) return BOOTSTRAP_ENVIRONMENT;
  return environmentOf(configured, stack);
}

/** Inputs of each resource by URN, as the engine sent them to the resource analyzer. */
export type InputsByUrn = Map<string, Record<string, unknown>>;

/**
 * A resource as the rules see it. The stack analyzer only receives outputs; the rules are about
 * inputs, which `recordInputs` saw earlier in the same run. Outputs stand in when no inputs were
 * recorded (a component, or an engine that did not analyze the resource).
 */
export function toPlanned(r: PolicyResource, inputs: InputsByUrn): PlannedResource {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    custom: r.provider !== undefined,
    parent: r.parent?.urn ?? r.opts.parent,
    protect: r.opts.protect === true,
    inputs: inputs.get(r.urn) ?? (plain(r.props) as Record<string, unknown>),
  };
}

const enforcement: Record<Severity, EnforcementLevel> = { error: "mandatory", warning: "advisory" };
const policySeverity: Record<Severity, PolicySeverity> = { error: "high", warning: "medium" };

const environmentSchema = {
  properties: { environment: { type: "string" as const, enum: [...ENVIRONMENTS] } },
};

/** The policy that fails a run whose environment cannot be told (model/environment.ts never defaults). */
export const ENVIRONMENT_POLICY = "s2s-auth-environment-known";

/**
 * The pack's policies: one that records inputs, one that checks the environment is known, then
 * one stack policy per rule.
 */
export function policies(
  rules: readonly Rule[] = allRules,
  inputs: InputsByUrn = new Map(),
): (ResourceValidationPolicy | StackValidationPolicy)[] {
  const recordInputs: ResourceValidationPolicy = {
    name: "s2s-auth-record-inputs",
    description: "Records each resource's inputs for the s2s-auth stack rules. Never reports.",
    enforcementLevel: "advisory",
    validateResource: (args) => {
      inputs.set(args.urn, plain(args.props) as Record<string, unknown>);
    },
  };
  const stackPolicy = (rule: Rule): StackValidationPolicy => ({
    name: rule.id,
    description: rule.description,
    enforcementLevel: enforcement[rule.severity],
    severity: policySeverity[rule.severity],
    configSchema: environmentSchema,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const resources = args.resources.map((r) => toPlanned(r, inputs));
      const configured = args.getConfig<{ environment?: string }>().environment;
      // An unknown environment fails the run through ENVIRONMENT_POLICY; the rules meanwhile
      // judge by the strictest one, so their findings are not lost.
      const environment = environmentOrStrictest(() =>
        resolveEnvironment(
          configured,
          resources.map((r) => r.urn),
        ),
      );
      for (const f of runRule(rule, indexStack(resources), { environment })) reportViolation(f.message, f.urn);
    },
  });
  const environmentKnown: StackValidationPolicy = {
    name: ENVIRONMENT_POLICY,
    description:
      "The stack's environment (dev, test, prod) is known: from this policy's config or the stack's name. " +
      `Unknown environments are judged as ${UNKNOWN_ENVIRONMENT_JUDGED_AS}.`,
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: environmentSchema,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      try {
        resolveEnvironment(
          args.getConfig<{ environment?: string }>().environment,
          args.resources.map((r) => r.urn),
        );
      } catch (err) {
        if (!(err instanceof EnvironmentError)) throw err;
        reportViolation(`${err.message}; the rules judged it as ${UNKNOWN_ENVIRONMENT_JUDGED_AS}`);
      }
    },
  };
  return [recordInputs, environmentKnown, ...rules.map(stackPolicy)];
}
