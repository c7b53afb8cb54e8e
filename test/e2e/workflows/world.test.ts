// The world's reading of what bootstrap declared on the twin's GitHub: the stand-ins for the Blob
// backend and the Key Vault provider in its variables, and each environment's protection rules.
import type { GitHubEnvironment } from "@s2s-auth/twin/state.ts";
import { rulesOf, standInValue } from "../../../e2e/workflows/world.ts";

test("an azblob backend becomes a file backend per account and container; a Key Vault provider, the passphrase", () => {
  expect(standInValue("PULUMI_BACKEND_URL", "azblob://review?storage_account=devstate", "/s")).toBe(
    "file:///s/devstate/review",
  );
  expect(standInValue("PULUMI_PREVIEW_BACKEND_URL", "azblob://dev?storage_account=devstate", "/s")).toBe(
    "file:///s/devstate/dev",
  );
  expect(standInValue("PULUMI_SECRETS_PROVIDER", "azurekeyvault://v.vault.azure.net/keys/k", "/s")).toBe("passphrase");
  expect(standInValue("AZURE_CLIENT_ID", "azurekeyvault://looks-like-one", "/s")).toBe(
    "azurekeyvault://looks-like-one",
  );
  expect(standInValue("AZURE_TENANT_ID", "t", "/s")).toBe("t");
});

const environment = (over: Partial<GitHubEnvironment>): GitHubEnvironment => ({
  id: 1,
  name: "e",
  created_at: "",
  updated_at: "",
  can_admins_bypass: false,
  protection_rules: [],
  deployment_branch_policy: null,
  branch_policies: {},
  variables: {},
  ...over,
});

test("protection rules: custom branch policies and required reviewers, as GitHub keeps them", () => {
  expect(rulesOf(environment({}))).toEqual({});
  expect(
    rulesOf(
      environment({
        deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
        branch_policies: { "2": { id: 2, name: "main", type: "branch" }, "3": { id: 3, name: "v*", type: "tag" } },
        protection_rules: [
          {
            id: 4,
            type: "required_reviewers",
            prevent_self_review: true,
            reviewers: [
              { type: "Team", reviewer: { id: 5, login: "reviewers" } },
              { type: "User", reviewer: { id: 6, login: "alice" } },
            ],
          },
        ],
      }),
    ),
  ).toEqual({ deploymentBranches: ["main"], reviewers: ["team reviewers", "alice"] });
  // Branch policies that are not switched on restrict nothing.
  const off = environment({ branch_policies: { "2": { id: 2, name: "main", type: "branch" } } });
  expect(rulesOf(off)).toEqual({});
});
