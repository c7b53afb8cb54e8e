// Entra ID names that config, the components and the plan all use: the developer tools a dev
// callee may pre-authorize, and the delegated scope they ask for.

/**
 * Microsoft developer tools that may be pre-authorized on a dev callee, by the name used in
 * config. Client ids as listed by Microsoft Learn, "Verify first-party Microsoft applications
 * in sign-in reports".
 */
export const WELL_KNOWN_CLIENTS: Readonly<Record<string, string>> = {
  "azure-cli": "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
  "azure-powershell": "1950a258-227b-4e31-a9cf-717495945fc2",
  "visual-studio": "872cd9fa-d31f-45e0-9eab-6e460a02d1f1",
};

/** The delegated scope developer tools ask for on a dev callee; config.ts refuses it as a role value. */
export const DEV_SCOPE = "user_impersonation";
