// GitHub Actions OIDC federation facts, shared by the CI principal and the smoke test (which
// must not load the Pulumi SDK just for two strings).

/** Who signs GitHub Actions OIDC tokens. */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";
/** The audience Entra ID expects in a federated token exchanged for one of its own. */
export const FEDERATION_AUDIENCE = "api://AzureADTokenExchange";

/** The `sub` claim GitHub puts in a workflow's OIDC token: `repo:org/repo:environment:dev`. */
export function federatedSubject(repository: string, subject: string): string {
  return `repo:${repository}:${subject}`;
}
