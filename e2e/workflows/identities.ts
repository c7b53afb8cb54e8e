// Who an identity is in the twin, read as its plugins read it: what a service principal holds
// (its Azure roles and Microsoft Graph permissions), and whether that lets it write anything.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { twinCommand } from "@s2s-auth/twin/commands.ts";

export interface Holdings {
  servicePrincipalId: string;
  azureRoles: { role: string; scope: string }[];
  graphAppRoles: string[];
}

/**
 * What a service principal holds, from the twin's own `deployer --as`, run on a copy of the state
 * because that command also makes it the deployer. Throws when the tenant has no such principal.
 */
export function holdingsOf(stateFile: string, principal: string): Holdings {
  const scratch = mkdtempSync(join(tmpdir(), "s2s-holdings-"));
  try {
    const copy = join(scratch, "tenant.json");
    copyFileSync(stateFile, copy);
    const held = twinCommand(["deployer", "--as", principal], copy);
    if (held.code !== 0) throw new Error(`the twin knows no service principal ${principal}: ${held.stderr.trim()}`);
    return JSON.parse(held.stdout) as Holdings;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Built-in roles that change nothing (Learn "Azure built-in roles"): Reader and Storage Blob Data
 * Reader read; Key Vault Crypto User performs cryptographic operations with a key (the state's
 * secrets) and cannot change the vault or the key.
 */
const READING_ROLES: ReadonlySet<string> = new Set(["Reader", "Storage Blob Data Reader", "Key Vault Crypto User"]);

/** Whether the holdings let it change anything: an Azure role beyond reading, or a Graph permission beyond reading. */
export function canWrite(holdings: Holdings): boolean {
  return (
    holdings.azureRoles.some((r) => !READING_ROLES.has(r.role)) ||
    holdings.graphAppRoles.some((p) => !/\.Read(Basic)?\.All$/.test(p))
  );
}
