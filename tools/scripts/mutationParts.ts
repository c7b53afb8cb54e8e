// The parts of npm run test:mutation: the files each mutates and the tests that judge them
// (tools/stryker.config.mjs explains why the runs are split and how the tests run).
export const parts: Record<string, { mutate: string[]; tests: string[] }> = {
  config: {
    mutate: ["config.ts"],
    // azureNames.test.ts: the container app names that config.ts refuses when two would collide.
    tests: ["test/config/*.test.ts", "test/model/azureNames.test.ts"],
  },
  components: {
    mutate: ["components/**/*.ts", "model/azureNames.ts"],
    tests: [
      "test/components/**/*.test.ts",
      "test/program/{determinism,lifecycle,planNames,seedStack,program.fuzz}.test.ts",
      "test/model/azureNames.test.ts",
    ],
  },
  policy: {
    mutate: ["policy/**/*.ts", "!policy/index.ts"],
    tests: [
      "test/policy/rules/*.test.ts",
      "test/policy/{stack,pack}.test.ts",
      // The identity rules on bootstrap's pipeline identities, the stacks they are written for.
      "test/bootstrap/index.test.ts",
    ],
  },
};

/** The part STRYKER_PART names (components when unset), with its name; an unknown name is refused. */
export function selectedPart(env: NodeJS.ProcessEnv = process.env): {
  name: string;
  mutate: string[];
  tests: string[];
} {
  const name = env["STRYKER_PART"] ?? "components";
  const part = parts[name];
  if (part === undefined) throw new Error(`STRYKER_PART must be one of: ${Object.keys(parts).join(", ")}`);
  return { name, ...part };
}
