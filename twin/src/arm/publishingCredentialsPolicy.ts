/**
 * azure-native `web:WebAppFtpAllowed` and `web:WebAppScmAllowed`: a site's FTP or SCM basic-auth
 * publishing policy, Microsoft.Web/sites/basicPublishingCredentialsPolicies, one ARM type under two names.
 */
import { type ArmSpec, RG } from "./resource.ts";

function publishingCredentialsPolicy(name: "ftp" | "scm"): ArmSpec {
  return {
    armType: "Microsoft.Web/sites/basicPublishingCredentialsPolicies",
    apiVersion: "2025-05-01",
    path: `${RG}/providers/Microsoft.Web/sites/{name}/basicPublishingCredentialsPolicies/${name}`,
    envelope: ["kind"],
    // The policy exists as long as its site; azure-native resets it to allowed on destroy
    // (pulumi-azure-native #4330 / #4373, "default resource state on delete").
    resetOnDelete: { allow: true },
  };
}

export const ftpAllowed = publishingCredentialsPolicy("ftp");
export const scmAllowed = publishingCredentialsPolicy("scm");
