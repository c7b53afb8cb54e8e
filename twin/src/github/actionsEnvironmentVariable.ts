/**
 * @pulumi/github `ActionsEnvironmentVariable`: an environment's Actions variable (REST "Create an environment
 * variable", POST /repos/{owner}/{repo}/environments/{env}/variables; terraform-provider-github v6.13.0
 * github/resource_github_actions_environment_variable.go: id `repo:env:NAME`, environment and variable_name
 * ForceNew).
 */
import type { GitHubEnvironment, GitHubRepository, JsonObject } from "../state.ts";
import { GITHUB_ERRORS } from "./errors.ts";
import {
  type GitHubHandler,
  type GitHubSession,
  buildId,
  environmentOf,
  environmentPath,
  escapeIdPart,
  repositoryIfAny,
  repositoryOf,
  request,
  str,
} from "./shared.ts";
import { validateVariableName, createVariable, setValue, variableOutputs } from "./variables.ts";

/** "100 variables per environment". */
const LIMIT = 100;

const path = (session: GitHubSession, inputs: JsonObject, name = "") =>
  `${environmentPath(session, inputs)}/variables${name === "" ? "" : `/${name}`}`;

function outputs(repository: GitHubRepository, env: GitHubEnvironment, inputs: JsonObject, name: string): JsonObject {
  return {
    repository: repository.name,
    repositoryId: repository.id,
    environment: env.name,
    ...variableOutputs(inputs, env.variables[name]!),
  };
}

/** The environment the variable lives in; GitHub's 404 when there is none. */
function environmentFor(session: GitHubSession, inputs: JsonObject, method: string, at: string) {
  const repository = repositoryOf(session, str(inputs.repository), method, at);
  const env = environmentOf(repository, str(inputs.environment));
  if (env === undefined) throw GITHUB_ERRORS.notFound(request(method, at));
  return { repository, env };
}

export const actionsEnvironmentVariable: GitHubHandler = {
  replaceOn: ["variableName", "environment", "repository"],
  validate: validateVariableName,
  create(session, inputs) {
    const at = path(session, inputs);
    const { repository, env } = environmentFor(session, inputs, "POST", at);
    const variable = createVariable(env.variables, inputs, LIMIT, request("POST", at));
    return {
      id: buildId(repository.name, escapeIdPart(env.name), str(inputs.variableName)),
      outs: outputs(repository, env, inputs, variable.name),
    };
  },
  read(session, _id, outs) {
    const name = str(outs.variableName).toUpperCase();
    const repository = repositoryIfAny(session, str(outs.repository), "GET", path(session, outs, name));
    const env = repository && environmentOf(repository, str(outs.environment));
    return repository === undefined || env?.variables[name] === undefined
      ? undefined
      : outputs(repository, env, outs, name);
  },
  update(session, _id, news) {
    const name = str(news.variableName).toUpperCase();
    const at = path(session, news, name);
    const { repository, env } = environmentFor(session, news, "PATCH", at);
    const variable = env.variables[name];
    if (variable === undefined) throw GITHUB_ERRORS.notFound(request("PATCH", at));
    setValue(variable, news, request("PATCH", at));
    return outputs(repository, env, news, name);
  },
  delete(session, _id, outs) {
    const name = str(outs.variableName).toUpperCase();
    const at = path(session, outs, name);
    const { env } = environmentFor(session, outs, "DELETE", at);
    if (env.variables[name] === undefined) throw GITHUB_ERRORS.notFound(request("DELETE", at));
    delete env.variables[name];
  },
};
