// The example values the shipped stack files carry where a real tenant's belong (Pulumi.dev.yaml's
// developer and group): the offline plan reports a stack that still holds one (tools/plan), and the
// twin's tenant has them, so the shipped stacks deploy there as they are (e2e/env.ts).

/** The developer and the group the shipped Pulumi.dev.yaml names in `devAccess`. */
export const SHIPPED_EXAMPLES = {
  users: ["developer@contoso.example"],
  groups: [{ id: "11111111-2222-3333-4444-555555555555", displayName: "s2s-auth developers" }],
} as const;

/**
 * Domain names reserved for examples and tests, which no tenant can verify as its own (RFC 2606 and
 * RFC 6761: the `.test`, `.example`, `.invalid` and `.localhost` top-level domains and
 * example.com, example.net, example.org), so no Entra ID user has a user principal name under one.
 */
const RESERVED_DOMAIN = /(?:\.(?:test|example|invalid|localhost)|(?:^|\.)example\.(?:com|net|org))$/i;

/** What makes a config value one that cannot be deployed as it is; undefined for a real-looking value. */
export function exampleValue(value: string): string | undefined {
  const lower = value.toLowerCase();
  const shipped = [...SHIPPED_EXAMPLES.users, ...SHIPPED_EXAMPLES.groups.map((g) => g.id)];
  if (shipped.some((example) => example.toLowerCase() === lower)) return "the example the shipped stack files carry";
  const domain = /^[^@\s]+@([^@\s]+)$/.exec(value)?.[1];
  if (domain !== undefined && RESERVED_DOMAIN.test(domain))
    return `a user under ${domain}, a domain reserved for examples (RFC 2606) that no tenant has`;
  return undefined;
}
