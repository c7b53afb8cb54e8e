// Stand-in for the GitHub CLI a hosted runner has, on the runner's PATH in npm run e2e:workflows
// only: the two commands the workflows run, answered by the GitHub stand-in
// (e2e/workflows/github/server.ts): `gh pr view <n> --repo <r> --json state --jq .state` and
// `gh api repos/<r>/pulls/<n>/files --paginate --jq '.[].filename'`. Anything else fails loudly.
import { runnerEnv } from "./standin.ts";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const refuse = (): never => {
  process.stderr.write(`gh stand-in: not stood in: gh ${args.join(" ")}\n`);
  process.exit(1);
};
async function get(path: string): Promise<unknown> {
  const res = await fetch(`${runnerEnv("S2S_E2E_GITHUB")}/${path}`);
  if (!res.ok) {
    process.stderr.write(`gh: HTTP ${res.status} (${path})\n`);
    process.exit(1);
  }
  return res.json();
}

if (args[0] === "pr" && args[1] === "view" && option("--json") === "state" && option("--jq") === ".state") {
  const pull = (await get(`repos/${option("--repo") ?? refuse()}/pulls/${args[2] ?? refuse()}`)) as { state: string };
  // The GraphQL state gh prints: OPEN, CLOSED (MERGED is a closed pull request that was merged).
  process.stdout.write(`${pull.state.toUpperCase()}\n`);
} else if (args[0] === "api" && /^repos\/[^/]+\/[^/]+\/pulls\/\d+\/files$/.test(args[1] ?? "")) {
  if (option("--jq") !== ".[].filename") refuse();
  const files = (await get(args[1]!)) as { filename: string }[];
  for (const f of files) process.stdout.write(`${f.filename}\n`);
} else refuse();
