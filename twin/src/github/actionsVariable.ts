/**
 * @pulumi/github `ActionsVariable`: a repository's Actions variable (REST "Create a repository variable",
 * POST /repos/{owner}/{repo}/actions/variables; terraform-provider-github v6.13.0
 * github/resource_github_actions_variable.go: id `repo:NAME`, variable_name ForceNew).
 */
import type { JsonObject } from "../state.ts";
import { GITHUB_ERRORS } from "./errors.ts";
import {
  type GitHubHandler,
  type GitHubSession,
  buildId,
  repositoryIfAny,
  repositoryOf,
  request,
  str,
} from "./shared.ts";
import { validateVariableName, createVariable, setValue, variableOutputs } from "./variables.ts";

/** "500 variables per repository". */
const LIMIT = 500;

const path = (session: GitHubSession, inputs: JsonObject, name = "") =>
  `/repos/${session.owner ?? ""}/${str(inputs.repository)}/actions/variables${name === "" ? "" : `/${name}`}`;

export const actionsVariable: GitHubHandler = {
  replaceOn: ["variableName", "repository"],
  validate: validateVariableName,
  create(session, inputs) {
    const repository = repositoryOf(session, str(inputs.repository), "POST", path(session, inputs));
    const variable = createVariable(repository.variables, inputs, LIMIT, request("POST", path(session, inputs)));
    return {
      id: buildId(repository.name, str(inputs.variableName)),
      outs: { repository: repository.name, repositoryId: repository.id, ...variableOutputs(inputs, variable) },
    };
  },
  read(session, _id, outs) {
    const name = str(outs.variableName).toUpperCase();
    const repository = repositoryIfAny(session, str(outs.repository), "GET", path(session, outs, name));
    const variable = repository?.variables[name];
    return repository === undefined || variable === undefined
      ? undefined
      : { repository: repository.name, repositoryId: repository.id, ...variableOutputs(outs, variable) };
  },
  update(session, _id, news) {
    const name = str(news.variableName).toUpperCase();
    const at = path(session, news, name);
    const repository = repositoryOf(session, str(news.repository), "PATCH", at);
    const variable = repository.variables[name];
    if (variable === undefined) throw GITHUB_ERRORS.notFound(request("PATCH", at));
    setValue(variable, news, request("PATCH", at));
    return { repository: repository.name, repositoryId: repository.id, ...variableOutputs(news, variable) };
  },
  delete(session, _id, outs) {
    const name = str(outs.variableName).toUpperCase();
    const at = path(session, outs, name);
    const repository = repositoryOf(session, str(outs.repository), "DELETE", at);
    if (repository.variables[name] === undefined) throw GITHUB_ERRORS.notFound(request("DELETE", at));
    delete repository.variables[name];
  },
};
