// "Read-only" is derived, never a label (issue 22): the preview identities, which pull requests (dev) and
// the prod preview before approval reach, hold a state key role that decrypts and does nothing else.
// Key Vault refuses them what Key Vault Crypto User would allow: updating (and so disabling) the key,
// backing it up, deleting it (403 ForbiddenByRbac), and lets them decrypt the stack's data key. Asked as
// each identity in its own tenant with `twin request` (twin/src/dataplane.ts).
import assert from "node:assert/strict";
import { step } from "./context.ts";

/** What managing a key takes: `keys/update/action` sets its attributes (`enabled: false` disables it). */
const MANAGING = ["Update Key", "Backup Key", "Delete Key", "Encrypt"] as const;

export const stateKey = step({
  name: "keys: the preview identities cannot update, disable, back up or delete a state key; they only decrypt",
  needs: ["bootstrap"],
  run: async ({ ws, bootstrap }) => {
    const { clients, state, prodTenant } = bootstrap;
    const previews = [
      { name: "preview-dev", client: clients.previewDev, key: state.keys.dev, tenant: [] as string[] },
      { name: "preview-prod", client: clients.previewProd, key: state.keys.prod, tenant: ["--tenant", prodTenant] },
    ];
    for (const p of previews) {
      const request = (operation: string) =>
        ws.twin([...p.tenant, "request", "--as", p.client, operation, p.key], { allowFailure: true });
      for (const operation of MANAGING) {
        const answer = await request(operation);
        assert(
          answer.code === 3 && /^403 Forbidden: Caller is not authorized/.test(answer.stdout),
          `${p.name}'s ${operation} on its state key was not refused: ${answer.stdout}${answer.stderr}`,
        );
      }
      const decrypt = await request("Decrypt");
      assert(decrypt.code === 0, `${p.name} cannot decrypt with its state key: ${decrypt.stdout}`);
    }
    return `preview-dev and preview-prod: ${MANAGING.join(", ")} 403 ForbiddenByRbac; Decrypt allowed`;
  },
});
