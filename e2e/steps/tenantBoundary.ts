// Tenants are the trust zones (issue 22): deploy-dev, an identity of the dev tenant, reaches nothing of
// the prod tenant. Signed in to the prod tenant it gets no token there (Entra ID: AADSTS700016, which
// azuread reports while it configures); signed in to its own tenant and pointed at prod's subscription,
// ARM refuses its token (401 InvalidAuthenticationTokenTenant). A stack with prod's config of its own,
// so that prod's stack and objects are not touched; nothing is created.
import assert from "node:assert/strict";
import { step } from "./context.ts";

/** A preview's step as `pulumi preview --json` prints it. */
interface PreviewStep {
  urn: string;
  newState?: { parent?: string };
}

/** `urn` and the components above it: what `--target` needs to create it (the engine refuses a missing parent). */
function withAncestors(steps: readonly PreviewStep[], urn: string): string[] {
  const parent = steps.find((s) => s.urn === urn)?.newState?.parent;
  return parent === undefined || parent.includes("pulumi:pulumi:Stack")
    ? [urn]
    : [urn, ...withAncestors(steps, parent)];
}

export const tenantBoundary = step({
  name:
    "tenants: deploy-dev of the dev tenant is refused by the prod tenant's Graph (AADSTS700016) and its " +
    "subscription (InvalidAuthenticationTokenTenant)",
  needs: ["bootstrap"],
  run: async ({ ws, bootstrap }) => {
    const { clients, devTenant, prodTenant, prodSubscription } = bootstrap;
    const stack = "prod-as-deploy-dev";
    await ws.run("pulumi", ["stack", "init", stack, "--non-interactive"]);
    await ws.run("pulumi", ["config", "cp", "--stack", "prod", "--dest", stack]);
    const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

    // 1. deploy-dev asks the prod tenant for a token: the prod tenant has no such application.
    const inProd = {
      ARM_TENANT_ID: prodTenant,
      ARM_CLIENT_ID: clients.deployDev,
      ARM_SUBSCRIPTION_ID: prodSubscription,
    };
    const graph = await ws.pulumi(stack, ["preview"], { env: inProd, allowFailure: true });
    const refusal =
      `unable to obtain access token: AADSTS700016: Application with identifier '${clients.deployDev}' was not ` +
      `found in the directory '${prodTenant}'`;
    assert(graph.code !== 0, "a preview signed in to the prod tenant as deploy-dev succeeded");
    assert(
      output(graph).includes(refusal),
      `not refused by the prod tenant's Entra ID:\n${output(graph).slice(-3000)}`,
    );

    // 2. deploy-dev signed in to its own tenant, pointed at prod's subscription: the preview asks ARM
    // nothing, the resource group's create does, and ARM refuses a token of another tenant.
    const atProd = {
      ARM_TENANT_ID: devTenant,
      ARM_CLIENT_ID: clients.deployDev,
      ARM_SUBSCRIPTION_ID: prodSubscription,
    };
    const preview = JSON.parse((await ws.pulumi(stack, ["preview", "--json"], { env: atProd })).stdout) as {
      steps: PreviewStep[];
    };
    const group = preview.steps.find((s) => s.urn.includes("azure-native:resources:ResourceGroup"));
    assert(group !== undefined, "the preview plans no resource group");
    const targets = withAncestors(preview.steps, group.urn).flatMap((urn) => ["--target", urn]);
    const up = await ws.pulumi(stack, ["up", "--yes", "--skip-preview", ...targets], {
      env: atProd,
      allowFailure: true,
    });
    const wrongIssuer =
      `Code="InvalidAuthenticationTokenTenant" Message="The access token is from the wrong issuer ` +
      `'https://sts.windows.net/${devTenant}/'. It must match the tenant 'https://sts.windows.net/${prodTenant}/'`;
    assert(up.code !== 0, "deploy-dev created a resource group in prod's subscription");
    assert(output(up).includes(wrongIssuer), `not refused by ARM for the token's tenant:\n${output(up).slice(-3000)}`);

    // Nothing in any tenant: the state records components and providers only, no cloud resource.
    const exported = await ws.exportStack(stack);
    const made = (exported.deployment?.resources ?? []).filter(
      (r) => r.custom === true && !r.type.startsWith("pulumi:providers:"),
    );
    assert(made.length === 0, `the refused up recorded ${made.map((r) => r.urn).join(", ")}`);
    await ws.run("pulumi", ["stack", "rm", stack, "--yes", "--force", "--non-interactive"]);
    return (
      `Graph: AADSTS700016 (deploy-dev not found in tenant ${prodTenant}); ARM: 401 ` +
      `InvalidAuthenticationTokenTenant on ${group.urn.split("::").at(-1)}; nothing created`
    );
  },
});
