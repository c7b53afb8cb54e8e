// Preload (`node --import ./bench/pulumi-ts-node.ts …`) that sets up ts-node exactly as Pulumi's
// run.js does for a `"type": "module"` project with `runtime.options.typescript: true` (the
// default): its "automatic ESM mode" registers @pulumi/pulumi/cmd/run/hooks.js with these
// options. Type-checking stays on unless PULUMI_NODEJS_TRANSPILE_ONLY=true, as in Pulumi.
import { register } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import ts from "typescript";

const tsConfigPath = "tsconfig.json";
const parsed = ts.parseConfigFileTextToJson(tsConfigPath, readFileSync(tsConfigPath, "utf8"));
const compilerOptions =
  (parsed.config as { compilerOptions?: Record<string, unknown> } | undefined)?.compilerOptions ?? {};
const env = process.env["PULUMI_NODEJS_TRANSPILE_ONLY"];

register("@pulumi/pulumi/cmd/run/hooks.js", pathToFileURL(`${process.cwd()}/`), {
  data: {
    compiler: "typescript",
    transpileOnly: env ? env === "true" : compilerOptions["noCheck"],
    project: tsConfigPath,
    skipProject: false,
    compilerOptions: {
      target: "ES2022",
      module: "nodenext",
      moduleResolution: "nodenext",
      sourceMap: "true",
      ...compilerOptions,
    },
  },
});
