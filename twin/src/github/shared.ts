/**
 * What the GitHub twin's handlers (twin/src/github/<type>.ts) and the CLI share: the session (owner and
 * token from the provider's configuration), repositories and accounts, the provider's ids, and GitHub's
 * case-insensitive names.
 *
 * The owner is read as terraform-provider-github v6.13.0 reads it (github/provider.go): `organization`
 * (or GITHUB_ORGANIZATION), else the GITHUB_OWNER variable, else `owner`; the token is `token` or
 * GITHUB_TOKEN. The twin checks no token's value: it models what GitHub keeps, not who may sign in.
 */
import type { InvokeHandler, ResourceHandler } from "../provider.ts";
import { type ProviderConfig, configured } from "../session.ts";
import {
  type GitHubAccount,
  type GitHubEnvironment,
  type GitHubRepository,
  type GitHubState,
  type Json,
  type JsonObject,
  type TwinWorld,
} from "../state.ts";
import { GITHUB_ERRORS, GITHUB_PROVIDER_ERRORS } from "./errors.ts";

/** GitHub as the configured owner sees it. */
export interface GitHubSession {
  github: GitHubState;
  owner: string | undefined;
  token: string | undefined;
}

export type GitHubHandler = ResourceHandler<GitHubSession>;
export type GitHubInvoke = InvokeHandler<GitHubSession>;

export function githubSession(world: TwinWorld, config: ProviderConfig): GitHubSession {
  const organization = configured(config, "organization", "GITHUB_ORGANIZATION");
  const owner = organization ?? configured({}, "owner", "GITHUB_OWNER") ?? configured(config, "owner");
  return { github: world.github, owner, token: configured(config, "token", "GITHUB_TOKEN") };
}

/** The REST request a handler makes, as go-github names it in its errors. */
export function request(method: string, path: string): string {
  return `${method} https://api.github.com${path}`;
}

/**
 * The owner's repository of that name, or undefined (a read or delete takes GitHub's 404 as "gone");
 * GitHub's 401 for an anonymous client.
 */
export function repositoryIfAny(
  session: GitHubSession,
  name: string,
  method: string,
  path: string,
): GitHubRepository | undefined {
  if (session.token === undefined) throw GITHUB_ERRORS.requiresAuthentication(request(method, path));
  if (session.owner === undefined) throw GITHUB_PROVIDER_ERRORS.noOwner();
  return session.github.repositories[`${session.owner}/${name}`.toLowerCase()];
}

/** The owner's repository of that name; GitHub's 404 when there is none. */
export function repositoryOf(session: GitHubSession, name: string, method: string, path: string): GitHubRepository {
  const repository = repositoryIfAny(session, name, method, path);
  if (repository === undefined) throw GITHUB_ERRORS.notFound(request(method, path));
  return repository;
}

/**
 * The environment by name, case-insensitively ("Environment names are not case sensitive", GitHub docs
 * "Managing environments for deployment").
 */
export function environmentOf(repository: GitHubRepository, name: string): GitHubEnvironment | undefined {
  const wanted = name.toLowerCase();
  return Object.values(repository.environments).find((e) => e.name.toLowerCase() === wanted);
}

/** The REST path of an environment the inputs name (`/repos/{owner}/{repo}/environments/{name}`). */
export function environmentPath(session: GitHubSession, inputs: JsonObject): string {
  const environment = encodeURIComponent(str(inputs.environment));
  return `/repos/${session.owner ?? ""}/${str(inputs.repository)}/environments/${environment}`;
}

/** The next of the numeric ids GitHub hands out. */
export function nextId(github: GitHubState): number {
  github.lastId += 1;
  return github.lastId;
}

export function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

/** A repository of the twin's GitHub (the CLI's `add-repository`); its id. */
export function addRepository(github: GitHubState, fullName: string): number {
  const [owner, name] = fullName.split("/") as [string, string];
  const key = fullName.toLowerCase();
  const existing = github.repositories[key];
  if (existing !== undefined) return existing.id;
  const id = nextId(github);
  github.repositories[key] = { id, owner, name, variables: {}, environments: {} };
  return id;
}

/** A user or team of the twin's GitHub (the CLI's `add-github-user`, `add-github-team`); its id. */
export function addAccount(github: GitHubState, login: string, type: "User" | "Team", members: number[] = []): number {
  const existing = accountByLogin(github, login, type);
  if (existing !== undefined) return existing.id;
  const id = nextId(github);
  github.accounts[String(id)] = { id, login, type, ...(type === "Team" ? { members } : {}) };
  return id;
}

export function accountByLogin(github: GitHubState, login: string, type: "User" | "Team"): GitHubAccount | undefined {
  const wanted = login.toLowerCase();
  return Object.values(github.accounts).find((a) => a.type === type && a.login.toLowerCase() === wanted);
}

/**
 * The provider's ids: parts joined by `:`, a `:` inside the environment name written `??` (github/util.go
 * buildID, escapeIDPart).
 */
export function buildId(...parts: string[]): string {
  return parts.join(":");
}
export function escapeIdPart(part: string): string {
  return part.replaceAll(":", "??");
}

// ---------------------------------------------------------------------------------------------
// The bridged provider's inputs, as the engine sends them (plain JSON)

export function str(value: Json | undefined): string {
  return typeof value === "string" ? value : "";
}
export function numbers(value: Json | undefined): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : [];
}
