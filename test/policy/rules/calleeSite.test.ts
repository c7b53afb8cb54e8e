// policy/rules/calleeSite.ts: the callee site's built-in authentication (required, with 401; the
// callee's own Entra ID provider; no client secret). Each rule fires, alone and worded as the
// snapshot keeps it, on a copy of the repository's stacks with one property broken; the settings
// it must accept leave no finding.
import { calleeSiteRules } from "../../../policy/rules/calleeSite.ts";
import { setIn } from "../stacks.ts";
import {
  type Acceptable,
  type Breakage,
  describeAcceptable,
  describeBreakages,
  loadStacks,
  setInput,
} from "./cases.ts";

const stacks = loadStacks("dev", "prod", "mixed");

const breakages: Breakage[] = [
  {
    rule: "callee-site-auth-required",
    what: "EasyAuth off",
    stack: "prod",
    mutate: setInput("the-callee-auth", ["platform", "enabled"], false),
  },
  {
    rule: "callee-site-auth-required",
    what: "authentication optional",
    stack: "dev",
    mutate: setInput("the-callee-auth", ["globalValidation", "requireAuthentication"], false),
  },
  {
    rule: "callee-site-auth-required",
    what: "unauthenticated allowed through",
    stack: "prod",
    mutate: setInput("the-callee-auth", ["globalValidation", "unauthenticatedClientAction"], "AllowAnonymous"),
  },
  {
    rule: "callee-site-auth-required",
    what: "redirect to login instead of 401",
    stack: "dev",
    mutate: setInput("the-callee-auth", ["globalValidation", "unauthenticatedClientAction"], "RedirectToLoginPage"),
  },
  {
    rule: "callee-site-auth-required",
    what: "no auth settings at all",
    stack: "prod",
    mutate: (m) => (m.remove("the-callee-auth"), "the-callee-site"),
  },
  {
    rule: "callee-site-entra-provider",
    what: "Entra provider disabled",
    stack: "prod",
    mutate: setInput("the-callee-auth", ["identityProviders", "azureActiveDirectory", "enabled"], false),
  },
  {
    rule: "callee-site-entra-provider",
    what: "another app's client id",
    stack: "dev",
    mutate: setInput(
      "the-callee-auth",
      ["identityProviders", "azureActiveDirectory", "registration", "clientId"],
      "someone-elses-client-id",
    ),
  },
  {
    rule: "callee-site-entra-provider",
    what: "no client id while the app's is known",
    stack: "prod",
    mutate: setInput(
      "the-callee-auth",
      ["identityProviders", "azureActiveDirectory", "registration", "clientId"],
      undefined,
    ),
  },
  {
    rule: "callee-site-entra-provider",
    what: "audiences without the identifier URI",
    stack: "prod",
    mutate: setInput(
      "the-callee-auth",
      ["identityProviders", "azureActiveDirectory", "validation", "allowedAudiences"],
      ["the-callee-app-client-id"],
    ),
  },
  {
    rule: "callee-site-no-client-secret",
    what: "a client secret setting",
    stack: "prod",
    mutate: setInput(
      "the-callee-auth",
      ["identityProviders", "azureActiveDirectory", "registration", "clientSecretSettingName"],
      "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET",
    ),
  },
  {
    rule: "callee-site-auth-required",
    what: "Container Apps auth off",
    stack: "mixed",
    mutate: setInput("orders-auth", ["platform", "enabled"], false),
  },
  {
    rule: "callee-site-auth-required",
    what: "Container Apps auth lets anonymous calls through",
    stack: "mixed",
    mutate: setInput("orders-auth", ["globalValidation", "unauthenticatedClientAction"], "AllowAnonymous"),
  },
  {
    rule: "callee-site-auth-required",
    what: "a container app callee without auth",
    stack: "mixed",
    mutate: (m) => (m.remove("orders-auth"), "orders-container"),
  },
  {
    rule: "callee-site-entra-provider",
    what: "Container Apps auth with another client id",
    stack: "mixed",
    mutate: setInput(
      "orders-auth",
      ["identityProviders", "azureActiveDirectory", "registration", "clientId"],
      "ledger-app-client-id",
    ),
  },
  {
    rule: "callee-site-no-client-secret",
    what: "a client secret on Container Apps auth",
    stack: "mixed",
    mutate: setInput(
      "orders-auth",
      ["identityProviders", "azureActiveDirectory", "registration", "clientSecretSettingName"],
      "microsoft-provider-authentication-secret",
    ),
  },
  // Shapes the program does not declare today but a hand edit or another program could.
  {
    rule: "callee-site-entra-provider",
    what: "no Entra provider at all",
    stack: "prod",
    mutate: setInput("the-callee-auth", ["identityProviders", "azureActiveDirectory"], undefined),
  },
  {
    rule: "callee-site-entra-provider",
    what: "no audiences while the identifier URI is known",
    stack: "dev",
    mutate: setInput(
      "the-callee-auth",
      ["identityProviders", "azureActiveDirectory", "validation", "allowedAudiences"],
      undefined,
    ),
  },
];

describeBreakages(stacks, calleeSiteRules, breakages);

const acceptable: Acceptable[] = [
  {
    what: "a client secret setting stated as null",
    stack: "prod",
    mutate: (m) =>
      setIn(
        m.named("the-callee-auth").inputs,
        ["identityProviders", "azureActiveDirectory", "registration", "clientSecretSettingName"],
        null,
      ),
  },
  {
    what: "a callee without a site (its host declared elsewhere)",
    stack: "prod",
    mutate: (m) =>
      ["the-callee-site", "the-callee-site-ftp", "the-callee-site-scm", "the-callee-auth"].forEach((n) => m.remove(n)),
  },
];

describeAcceptable(stacks, acceptable);
