// Lint (npm run lint, in .ci/run): typescript-eslint's strict set without type information
// (fast: no TypeScript program is built; `npm run typecheck` does the typing), plus a few rules
// that keep this codebase's own promises. Formatting is prettier's (npm run format:check).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "reports/",
      "coverage/",
      ".stryker-tmp/",
      ".tools/",
      ".twin/",
      ".bench-js/",
      "tools/pulumi/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.strict,
  {
    rules: {
      eqeqeq: ["error", "always"],
      // noUncheckedIndexedAccess makes every lookup possibly undefined; a `!` marks the lookups
      // whose key the code has just put there, which is most of them.
      "@typescript-eslint/no-non-null-assertion": "off",
      // Config validation and the fuzz tests match control characters on purpose: to refuse them.
      "no-control-regex": "off",
      // The twin's state and the plan's records are JSON objects keyed by id; deleting a key is
      // how an entry goes, and a Map would not survive JSON.stringify.
      "@typescript-eslint/no-dynamic-delete": "off",
      // No line over prettier's printWidth: prettier wraps code but leaves long strings and comments.
      "max-len": ["error", { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The few plain-JavaScript files (Stryker's config, the mutation runner, the CommonJS pack entry).
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", module: "writable", require: "readonly" },
    },
  },
  {
    files: ["{components,model,policy,bootstrap,tools,e2e,twin/src}/**/*.ts", "*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^(\\.\\./)+test/|^\\./test/", message: "Product code does not import tests." }] },
      ],
    },
  },
);
