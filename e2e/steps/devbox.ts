// A developer's devbox against dev, by docs/how-it-works.md's own lines ("From a devbox"), run as they
// are written: the twin's Entra runtime runs where the twin's environment points the twin's `az`
// (S2S_TWIN_ENTRA, as developer@contoso.example) and curl (CURL_HOME), as `npm run demo` leaves it.
import assert from "node:assert/strict";
import { join } from "node:path";
import { startInBackground, stopInBackground } from "@s2s-auth/twin/entra-runtime/client.ts";
import { documentedScript } from "../docs.ts";
import { entraFiles } from "../env.ts";
import { step } from "./context.ts";

export const devbox = step({
  name: "devbox: docs/how-it-works.md's lines, as written, get a developer's token and call dev's callee",
  run: async ({ ws }) => {
    const files = entraFiles(join(ws.dir, ".twin"));
    const runtime = { out: files.addresses, curlrc: join(files.curlHome, ".curlrc"), pid: files.pid, log: files.log };
    await startInBackground(ws.env.S2S_TWIN_STATE!, runtime);
    try {
      const lines = documentedScript(join(ws.dir, "docs", "how-it-works.md"), "### From a devbox (dev stacks only)");
      const { stdout } = await ws.run("bash", ["-euo", "pipefail", "-c", lines]);
      const answer = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
        authenticated?: boolean;
        claims?: Record<string, unknown>;
      };
      assert.equal(answer.authenticated, true, `the callee did not let the developer in: ${stdout.trim()}`);
      assert.equal(answer.claims?.["scp"], "user_impersonation");
      const who = String(answer.claims?.["name"]);
      return `${lines.trim().split("\n").length} lines as written; the callee let ${who} in through the Azure CLI`;
    } finally {
      await stopInBackground(runtime);
    }
  },
});
