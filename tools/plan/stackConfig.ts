// Reads a stack's config the way the Pulumi CLI hands it to a program, without the CLI:
// Pulumi.yaml (project name, config defaults) and Pulumi.<stack>.yaml.
import { readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { parse } from "yaml";
import { exampleValue, type Finding, isPlainObject } from "../../model/index.ts";
import { SECRET } from "./placeholders.ts";
import { MAX_STACK_FILE_BYTES } from "./size.ts";

/** A problem with the project or stack files: reported as one line, exit code 1. */
export class PlanInputError extends Error {
  override name = "PlanInputError";
}

export interface StackFiles {
  project: string;
  /** Namespaced keys (`s2s-auth:callees`) to the string values a program reads. */
  config: Record<string, string>;
  /** Keys whose values are `secure:` in the stack file; their value reads `[secret]`. */
  secretKeys: string[];
}

function readYaml(file: string, missing: string): unknown {
  let text: string;
  try {
    if (statSync(file).size > MAX_STACK_FILE_BYTES) {
      throw new PlanInputError(
        `${file}: larger than ${MAX_STACK_FILE_BYTES / 1024 / 1024} MB, more than the offline plan can hold in memory`,
      );
    }
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof PlanInputError) throw err;
    throw new PlanInputError(missing);
  }
  try {
    return parse(text);
  } catch (err) {
    throw new PlanInputError(`${file}: not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a config value is `secure:`, or holds one somewhere inside a structured value. */
function holdsSecret(value: unknown): boolean {
  if (isRecord(value)) return typeof value["secure"] === "string" || Object.values(value).some(holdsSecret);
  return Array.isArray(value) && value.some(holdsSecret);
}

/** `key` → `project:key`; keys that already carry a namespace are kept. */
function namespaced(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** A config value as the CLI passes it: strings as they are, anything else as JSON text. */
export function configValueText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

// Pulumi's rule for stack names: letters, digits, '-', '_' and '.'. The name goes into every
// URN (`urn:pulumi:<stack>::…`), where anything else could forge a separator.
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** The stack name, checked; a name that would break URNs is a one-line input error. */
export function checkStackName(stack: string): string {
  if (!STACK_NAME.test(stack)) {
    // Escaped: the name is shown on a terminal, where a bidi control would reorder the line.
    const shown = JSON.stringify(stack).replace(
      /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    throw new PlanInputError(`stack ${shown}: a stack name is 1-100 letters, digits, '-', '_' or '.'`);
  }
  return stack;
}

/** The stack a config file is for, by its name: `examples/Pulumi.mixed.yaml` → `mixed`. */
export function stackOfFile(file: string): string {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(file));
  if (!match) throw new PlanInputError(`${file}: a stack config file is named Pulumi.<stack>.yaml`);
  return checkStackName(match[1]!);
}

/**
 * The config of `stack` in the project at `dir`, from `Pulumi.<stack>.yaml` there or from
 * `stackFile`. Defaults declared in Pulumi.yaml's `config:`
 * block apply under the stack's own values. Secrets cannot be decrypted offline: they read
 * `[secret]`.
 */
export function readStackFiles(
  dir: string,
  stack: string,
  stackFile: string = join(dir, `Pulumi.${stack}.yaml`),
): StackFiles {
  const projectFile = join(dir, "Pulumi.yaml");
  const projectDoc = readYaml(projectFile, `no Pulumi.yaml in ${dir}`);
  const project = isRecord(projectDoc) ? projectDoc["name"] : undefined;
  if (typeof project !== "string" || project === "") throw new PlanInputError(`${projectFile}: "name" is required`);

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const projectConfig = isRecord(projectDoc) ? projectDoc["config"] : undefined;
  if (isRecord(projectConfig)) {
    for (const [key, decl] of Object.entries(projectConfig)) {
      const value = isRecord(decl) ? (decl["default"] ?? decl["value"]) : decl;
      if (value !== undefined && value !== null) config[namespaced(project, key)] = configValueText(value);
    }
  }

  const stackDoc = readYaml(stackFile, `stack "${stack}": no ${relative(dir, stackFile)} in ${dir}`);
  const stackConfig = isRecord(stackDoc) ? stackDoc["config"] : undefined;
  if (stackConfig !== undefined && stackConfig !== null && !isRecord(stackConfig)) {
    throw new PlanInputError(`stack "${stack}": ${stackFile}: "config" must be a map`);
  }
  for (const [key, value] of Object.entries(stackConfig ?? {})) {
    const full = namespaced(project, key);
    // A structured value with a secret anywhere inside is a secret key, as Pulumi treats it.
    if (holdsSecret(value)) {
      config[full] = SECRET;
      secretKeys.push(full);
    } else if (value !== null && value !== undefined) {
      config[full] = configValueText(value);
    }
  }
  return { project, config, secretKeys };
}

/** The plan's finding for a config value that cannot be deployed as it is (model/examples.ts). */
export const EXAMPLE_VALUE = "config-example-value";

/**
 * A warning, at the stack, for every string in the project's config that is an example value rather
 * than a real tenant's (the shipped developer and group, a user under a reserved domain): a plan of a
 * stack that cannot be deployed as it is never says "Findings: none". Warnings, not errors: the
 * shipped dev stack plans as it is (the quick start, CI).
 */
export function exampleValueFindings(project: string, config: Record<string, string>, stackUrn: string): Finding[] {
  const findings: Finding[] = [];
  const visit = (value: unknown, key: string) => {
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${key}[${i}]`));
    else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) visit(v, `${key}.${k}`);
    else if (typeof value === "string") {
      const why = exampleValue(value);
      if (why !== undefined)
        findings.push({
          severity: "warning",
          policy: EXAMPLE_VALUE,
          urn: stackUrn,
          message: `${key} is ${JSON.stringify(value)}, ${why}: replace it before \`pulumi up\``,
        });
    }
  };
  for (const [key, text] of Object.entries(config)) {
    if (!key.startsWith(`${project}:`) || text === SECRET) continue;
    let value: unknown = text;
    if (/^\s*[[{]/.test(text)) {
      try {
        value = JSON.parse(text);
      } catch {
        // Not JSON after all: the program reports it as it reads the key.
      }
    }
    visit(value, key);
  }
  return findings;
}

/**
 * One line for a key the program reads as plain text that the stack keeps as a secret (`secure:`, or
 * a structured value with a secret inside): the program's region and its own keys. None of them is
 * secret, a secret one only makes every output that carries it secret, and the offline plan cannot
 * decrypt it: without this line it would report the `[secret]` it reads as a bad value.
 */
export function secretWherePlainIsNeeded(files: StackFiles, stack: string, stackFile: string): string | undefined {
  const key = files.secretKeys.find((k) => k === "azure-native:location" || k.startsWith(`${files.project}:`));
  return key === undefined
    ? undefined
    : `stack "${stack}": ${key} is a secret (secure: in ${basename(stackFile)}), but the program needs it in ` +
        `plain text: set it again without --secret (pulumi config set ${key} <value>)`;
}
