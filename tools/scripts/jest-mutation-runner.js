// The jest runner Stryker uses (tools/stryker.config.mjs): jest-light-runner, always in worker
// threads. Stryker's jest runner runs jest in band (maxWorkers 1), and in band jest-light-runner
// runs the tests in the calling process: modules loaded for one mutant would stay loaded for the
// next, and the instrumented code reads which mutant is active only as it loads. Worker threads
// are new for every run, so every mutant's run loads the code afresh and sees its own mutant.
import { createRunner } from "jest-light-runner";

const WorkerThreadsRunner = createRunner({ runtime: "worker_threads" });

export default class MutationRunner extends WorkerThreadsRunner {
  constructor(globalConfig, context, runnerConfiguration) {
    // Two threads: with maxWorkers 1 the light runner would fall back to the calling process.
    super({ ...globalConfig, maxWorkers: Math.max(globalConfig.maxWorkers, 2) }, context, runnerConfiguration);
  }
}
