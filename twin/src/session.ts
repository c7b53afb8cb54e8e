/**
 * Who an Azure provider plugin signs in as, and to which tenant and subscription: read from the provider's
 * configuration as the real providers read it, and resolved against the twin's tenants as Entra ID's token
 * endpoint would. A token is bound to the tenant it was issued in: ARM refuses it for another tenant's
 * subscription (twin/src/arm/tenancy.ts), and Graph answers only for its own directory, so a provider
 * signed in to tenant A never sees tenant B's objects.
 *
 * Sources:
 * - azure-native 3.x: `tenantId`, `clientId`, `subscriptionId` from its config, else ARM_TENANT_ID,
 *   ARM_CLIENT_ID, ARM_SUBSCRIPTION_ID (pulumi-azure-native provider/pkg/provider/auth_azidentity.go,
 *   readAuthConfig; Configure in provider.go strips `azure-native:config:` from the engine's variables).
 *   Its azidentity credential asks for a token on the first request, not in Configure.
 * - azuread 6.x (terraform-provider-azuread): `tenantId`, `clientId` else ARM_TENANT_ID, ARM_CLIENT_ID
 *   (internal/provider/provider.go, EnvDefaultFunc); it asks for a token while it configures ("Acquire an
 *   access token upfront", internal/clients/client.go), so a refused sign-in fails Configure.
 * - Entra ID's token endpoint: a tenant that does not exist is AADSTS90002; a client id with no service
 *   principal in the tenant is AADSTS700016, "You might have sent your authentication request to the
 *   wrong tenant" (Learn "Microsoft Entra authentication and authorization error codes").
 *
 * Without a client id the provider signs in as the tenant's `deployer` (the Azure CLI's signed-in account);
 * with one, as that application's service principal, holding what the tenant has granted it. The twin
 * checks no credential (secret, certificate, federated token): it models who may act where, not the proof.
 */
import { holdingsOf } from "./deployer.ts";
import { models } from "./fidelity.ts";
import { type AadstsError, AADSTS, aadstsText } from "./entra-runtime/errors.ts";
import { type TwinState, type TwinWorld, belongsTo, tenantOf, tenantOfSubscription } from "./state.ts";

/** A provider's configuration as the engine sends it in Configure, keys without the `<package>:config:` prefix. */
export type ProviderConfig = Readonly<Record<string, string>>;

/** The configured value of `key`, else the first of the environment variables the real provider falls back to. */
export function configured(config: ProviderConfig, key: string, ...env: string[]): string | undefined {
  const own = config[key];
  if (own !== undefined && own !== "") return own;
  for (const name of env) {
    const value = process.env[name];
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

/** The engine's variables (`azure-native:config:tenantId` → value) as one provider's configuration. */
export function providerConfig(pkg: string, variables: Readonly<Record<string, string>>): ProviderConfig {
  const prefix = `${pkg}:config:`;
  return Object.fromEntries(
    Object.entries(variables)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
}

/** What an Azure provider asks Entra ID for. */
export interface AzureCredential {
  tenantId?: string;
  clientId?: string;
  subscriptionId?: string;
}

/** A refused sign-in: Entra ID's answer, which each provider reports in its own words. */
export class SignInRefused extends Error {
  readonly aadsts: AadstsError;
  constructor(aadsts: AadstsError) {
    super(aadstsText(aadsts));
    this.aadsts = aadsts;
  }
}

/**
 * The tenant as the signed-in identity sees it: its `subscriptionId` the session's subscription, its
 * `deployer` who signed in. Objects are shared with the world, so a handler's changes are the world's.
 *
 * Without a tenant id the provider signs in where the Azure CLI would: to the tenant of the configured
 * subscription, else to the default tenant.
 */
export function signIn(world: TwinWorld, credential: AzureCredential): TwinState {
  const tenants = Object.values(world.tenants);
  const tenant =
    credential.tenantId !== undefined
      ? tenantOf(world, credential.tenantId)
      : ((credential.subscriptionId === undefined
          ? undefined
          : tenantOfSubscription(tenants, credential.subscriptionId)) ?? tenantOf(world, world.defaultTenantId));
  if (tenant === undefined) throw new SignInRefused(AADSTS.tenantNotFound(credential.tenantId ?? ""));
  let deployer = tenant.deployer;
  if (credential.clientId !== undefined) {
    const wanted = credential.clientId.toLowerCase();
    const sp = Object.values(tenant.graph.servicePrincipals).find((s) => s.appId.toLowerCase() === wanted);
    if (sp === undefined) throw new SignInRefused(AADSTS.applicationNotFound(credential.clientId, tenant.tenantId));
    if (sp.id !== tenant.deployer.servicePrincipalId) deployer = holdingsOf(tenant, sp.id);
  }
  const subscriptionId = credential.subscriptionId ?? tenant.subscriptionId;
  return belongsTo({ ...tenant, subscriptionId, deployer }, world);
}

/** `signIn`, with Entra ID's refusal reported as the provider reports it. */
export function signInReporting(
  world: TwinWorld,
  credential: AzureCredential,
  report: (refusal: SignInRefused) => Error,
): TwinState {
  try {
    return signIn(world, credential);
  } catch (err) {
    throw err instanceof SignInRefused ? report(err) : err;
  }
}

const TEST = "test/session.test.ts";
models({
  class: "tenancy",
  behaviour:
    "a provider with a client id signs in as that application's service principal in the configured tenant, " +
    "holding the roles and Graph permissions that tenant granted it",
  source: "pulumi-azure-native auth_azidentity.go readAuthConfig; terraform-provider-azuread provider.go",
  test: `${TEST} › signs in as the client its configuration names, in that tenant, holding what the tenant granted it`,
});
models({
  class: "tenancy",
  behaviour: "without a tenantId, clientId or subscriptionId in its configuration a provider reads ARM_TENANT_ID, ...",
  source:
    "pulumi-azure-native auth_azidentity.go readAuthConfig (getConfig, env); terraform-provider-azuread EnvDefaultFunc",
  test: `${TEST} › reads the ARM_ variables when the configuration names nothing, as both real providers do`,
});
models({
  class: "tenancy",
  behaviour:
    "a client the tenant does not hold is AADSTS700016 (an unknown tenant AADSTS90002): azuread fails Configure, " +
    "azure-native its first request",
  source:
    'Learn "Microsoft Entra authentication and authorization error codes"; terraform-provider-azuread ' +
    "internal/clients/client.go (token acquired while configuring)",
  test: `${TEST} › refuses a client of one tenant in another: azure-native at its first request, azuread configuring`,
});
models({
  class: "tenancy",
  behaviour: "Graph answers for the token's tenant only: objects of another tenant are not found",
  source: 'Learn "Microsoft identity platform access tokens" (tid); Graph acts in the signed-in tenant',
  test: `${TEST} › reaches Graph of its own tenant only: what it creates is there, the other tenant's objects are not`,
});
