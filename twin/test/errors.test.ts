// twin/src/errors.ts and the catalogs written with it: every error the twin answers with is an entry that
// names its status, code and source, and no handler builds one of its own.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { ARM_ERRORS, AZURE_NATIVE_ERRORS } from "../src/arm/errors.ts";
import { AADSTS } from "../src/entra-runtime/errors.ts";
import { errorFactory, providerError } from "../src/errors.ts";
import { GITHUB_ERRORS, GITHUB_PROVIDER_ERRORS } from "../src/github/errors.ts";
import { AZUREAD_ERRORS, GRAPH_ERRORS } from "../src/graph/errors.ts";

const SRC = join(import.meta.dirname, "..", "src");
const CATALOGS = ["arm/errors.ts", "graph/errors.ts", "github/errors.ts", "entra-runtime/errors.ts", "errors.ts"];

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [{ path: relative(SRC, join(dir, entry.name)), text: readFileSync(join(dir, entry.name), "utf8") }]
        : [],
  );
}

describe("the error catalogs", () => {
  test("an entry makes its error from the message for its arguments and carries its spec", () => {
    const entry = errorFactory(
      { status: 409, code: "Taken", source: "a page", message: (name: string) => `${name} is taken.` },
      (spec, message) => ({ status: spec.status, code: spec.code, message }),
    );
    expect(entry("x")).toEqual({ status: 409, code: "Taken", message: "x is taken." });
    expect(entry.source).toBe("a page");
    const refusal = providerError({ source: "provider.go", message: (id: string) => `${id} exists` });
    expect(refusal("r")).toEqual(new Error("r exists"));
    expect(refusal.source).toBe("provider.go");
  });

  test.each([
    ["ARM", ARM_ERRORS],
    ["Graph", GRAPH_ERRORS],
    ["Entra ID's token endpoint", AADSTS],
    ["GitHub's REST API", GITHUB_ERRORS],
  ] as const)("every %s error names its status, code and source", (_api, catalog) => {
    for (const [name, entry] of Object.entries(catalog)) {
      expect({ name, status: entry.status >= 400 && entry.status < 600 }).toEqual({ name, status: true });
      expect({ name, code: String(entry.code) }).toEqual({ name, code: expect.stringMatching(/^\w+$/) });
      expect({ name, source: entry.source }).toEqual({ name, source: expect.stringMatching(/\S/) });
    }
  });

  test.each([
    ["azure-native", AZURE_NATIVE_ERRORS],
    ["azuread", AZUREAD_ERRORS],
    ["github", GITHUB_PROVIDER_ERRORS],
  ] as const)("every refusal %s makes itself names its source", (_provider, catalog) => {
    for (const [name, entry] of Object.entries(catalog)) {
      expect({ name, source: entry.source }).toEqual({ name, source: expect.stringMatching(/\S/) });
    }
  });

  test("no file but a catalog builds a cloud error, an AADSTS error or a provider refusal", () => {
    const inline = sources(SRC)
      .filter(({ path }) => !CATALOGS.includes(path))
      .flatMap(({ path, text }) => {
        const handler = /^(arm|graph|github)[/.]|^(deployer|session)\.ts$/.test(path);
        const patterns = [
          /new (CloudError|GraphError|GitHubError)\(/g,
          /\bcode:\s*\d{4,}/g,
          /["'`]AADSTS\d/g,
          ...(handler ? [/new Error\(/g] : []),
        ];
        return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => `${path}: ${m[0]}`));
      });
    expect(inline).toEqual([]);
  });
});
