// Preloaded by every npm script that runs this project's TypeScript (`node --import
// ./tools/scripts/need-node.mjs …`), before anything else loads: those files run on Node's own
// type stripping, on by default from Node 22.18. An older Node first on PATH (the `node` dev
// dependency missing, e.g. after `npm ci --ignore-scripts`, whose install script is what fetches
// its binary) would otherwise fail on the first import with `Unknown file extension ".ts"`.
// Plain JavaScript, so any Node that knows --import (18.19, 20.6 and later) runs it.

/** The first Node version whose type stripping is on by default (Node 22.18.0's release notes). */
export const NEEDED = [22, 18];

/** One line saying how to get a Node that runs the project, or undefined when `version` does. */
export function nodeProblem(version, execPath) {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  if (major > NEEDED[0] || (major === NEEDED[0] && minor >= NEEDED[1])) return undefined;
  return (
    `s2s-auth: this needs Node.js ${NEEDED.join(".")} or later, but ${execPath} is ${version}: ` +
    "npm ci installs it as the `node` dev dependency (its install script fetches the binary, so not " +
    "with --ignore-scripts), or install the version in .nvmrc yourself (nvm install, actions/setup-node)"
  );
}

const problem = nodeProblem(process.version, process.execPath);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
