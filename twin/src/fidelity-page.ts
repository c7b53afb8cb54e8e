/**
 * Writes twin/docs/fidelity.md from the fidelity register (twin/src/fidelity.ts): loads the plugins'
 * registries, the data planes and the Entra runtime, which load every rule and so every `models({...})`,
 * then renders the page.
 * `node twin/src/fidelity-page.ts` (twin/test/fidelity.test.ts says when it is due).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import "./arm.ts";
import "./dataplane.ts";
import "./entra-runtime/server.ts";
import "./github.ts";
import "./graph.ts";
import { fidelityPage } from "./fidelity.ts";

export const PAGE = join(import.meta.dirname, "..", "docs", "fidelity.md");

if (import.meta.main) {
  writeFileSync(PAGE, fidelityPage());
  process.stdout.write(`wrote ${PAGE}\n`);
}
