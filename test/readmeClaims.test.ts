// What the README tells operators about grants must match the program and the documentation it
// cites: the wait line `pulumi up` prints, which errors are waited for, and what group
// assignment needs; its layout and newcomer's map must match the repository.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { REPLICATION_BACKOFF_MS, retryLookup } from "../components/principal.ts";

const README = readFileSync(resolve(import.meta.dirname, "..", "README.md"), "utf8");
/** Folders that are installed, built or written by tools, not kept in git. */
const IGNORED = new Set(["node_modules", "reports", "coverage"]);

test("the wait line the README quotes is the one the lookup logs with the default policy", async () => {
  const quoted = /`(managed identity <id> not yet visible in Entra ID \(lookup n of \d+\); next lookup in [^`]+)`/.exec(
    README,
  )?.[1];
  expect(quoted).toBeDefined();
  const logged: string[] = [];
  let calls = 0;
  const lookup = async (id: string) => {
    if (++calls <= REPLICATION_BACKOFF_MS.length)
      throw new Error(`Service principal with object ID "${id}" was not found`);
    return { objectId: id, clientId: "c" };
  };
  await retryLookup(
    "mi",
    lookup,
    async () => undefined,
    REPLICATION_BACKOFF_MS,
    (m) => void logged.push(m),
  );
  const asQuoted = logged.map((line) =>
    line.replace("managed identity mi ", "managed identity <id> ").replace(/\(lookup \d+ of/, "(lookup n of"),
  );
  expect(asQuoted).toContain(quoted);
});

test("the README does not blame a too-early app role assignment on PrincipalNotFound (an Azure RBAC error)", () => {
  expect(README).not.toMatch(/app role assignment[^.]*fails with `PrincipalNotFound`/);
  expect(README).toMatch(/azuread's own create already retries/);
});

test("the README says group assignment needs Entra ID P1/P2 and that nested groups do not count", () => {
  expect(README).toMatch(/Microsoft Entra ID P1 or P2/);
  expect(README).toMatch(/nested groups do not count/);
});

test("the README's layout names every folder of the repository, and the newcomer's map only files that exist", () => {
  const root = resolve(import.meta.dirname, "..");
  const layout = README.slice(README.indexOf("## Layout"), README.indexOf("## Configuration"));
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith(".") && !IGNORED.has(e.name))
    .map((e) => e.name);
  expect(folders.length).toBeGreaterThanOrEqual(8);
  for (const folder of folders) expect(layout).toContain(`\`${folder}/`);
  const map = README.slice(README.indexOf("## A newcomer's map"), README.indexOf("## How it works"));
  const paths = [...map.matchAll(/`([\w./-]+\.(?:ts|md|yaml))`/g)].map((m) => m[1]!);
  expect(paths.length).toBeGreaterThan(10);
  for (const path of paths) expect(existsSync(resolve(root, path))).toBe(true);
});
