/**
 * What GitHub Actions variables share, at a repository or an environment: GitHub's naming rules and
 * limits, and the provider's create (POST, refused when the name exists), update (PATCH) and read.
 *
 * Sources: GitHub docs "Store information in variables" (naming conventions: alphanumeric or underscores,
 * not starting with a number or GITHUB_, case-insensitive, unique at their level; limits: 48 KB a
 * variable, 500 a repository, 100 an environment); REST docs "GitHub Actions variables" (variable names come
 * back upper-cased); terraform-provider-github v6.13.0 github/util.go validateSecretNameFunc.
 */
import type { CheckFailure } from "@pulumi/pulumi/provider/index.js";
import type { GitHubVariable, JsonObject } from "../state.ts";
import { models } from "../fidelity.ts";
import { GITHUB_ERRORS, GITHUB_PROVIDER_ERRORS } from "./errors.ts";
import { now, str } from "./shared.ts";

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_BYTES = 48 * 1024;

/** The provider's check of `variableName` (validateSecretNameFunc). */
export function validateVariableName(inputs: JsonObject): CheckFailure[] {
  const name = str(inputs.variableName);
  const failures: CheckFailure[] = [];
  if (!NAME.test(name))
    failures.push({ property: "variableName", reason: GITHUB_PROVIDER_ERRORS.variableNameInvalid.message(name) });
  if (name.toUpperCase().startsWith("GITHUB_"))
    failures.push({ property: "variableName", reason: GITHUB_PROVIDER_ERRORS.variableNameReserved.message(name) });
  return failures;
}

/** Creates `variableName` among `variables` (keyed upper-case), within `limit` variables; GitHub's refusals. */
export function createVariable(
  variables: Record<string, GitHubVariable>,
  inputs: JsonObject,
  limit: number,
  where: string,
): GitHubVariable {
  const name = str(inputs.variableName).toUpperCase();
  if (variables[name] !== undefined) throw GITHUB_ERRORS.variableExists(where, name);
  if (Object.keys(variables).length >= limit) throw GITHUB_ERRORS.variableLimit(where, `at most ${limit} variables`);
  const stamp = now();
  const variable = { name, value: "", created_at: stamp, updated_at: stamp };
  setValue(variable, inputs, where);
  variables[name] = variable;
  return variable;
}

/** A new value (PATCH), within the size limit. */
export function setValue(variable: GitHubVariable, inputs: JsonObject, where: string): void {
  const value = str(inputs.value);
  if (Buffer.byteLength(value, "utf8") > MAX_BYTES)
    throw GITHUB_ERRORS.variableLimit(where, `a variable holds at most ${MAX_BYTES} bytes`);
  variable.value = value;
  variable.updated_at = now();
}

/** The provider's attributes of a variable: the name as declared, GitHub's value and times. */
export function variableOutputs(inputs: JsonObject, variable: GitHubVariable): JsonObject {
  return {
    variableName: str(inputs.variableName),
    value: variable.value,
    createdAt: variable.created_at,
    updatedAt: variable.updated_at,
  };
}

const TEST = "test/github/actionsVariable.test.ts";
models({
  class: "github",
  behaviour: "variable names are case-insensitive and kept upper-cased; a second of the same name is 409",
  source: 'GitHub docs "Store information in variables" (naming conventions)',
  test: `${TEST} › keeps the variable under GitHub's upper-cased name, and refuses a second of the same name`,
});
models({
  class: "github",
  behaviour:
    "variable names: letters, digits and underscores, not starting with a digit or GITHUB_ (the provider); at " +
    "most 48 KB a value (GitHub)",
  source: "terraform-provider-github v6.13.0 github/util.go validateSecretNameFunc; GitHub docs (limits)",
  test: `${TEST} › checks the name as the provider does and the size as GitHub does`,
});
