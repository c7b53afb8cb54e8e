// The twin's Entra runtime as a process on a fixture state (./fixture.ts) for one test file: started
// before its tests, the fixture written afresh before each test, stopped after the last.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start, type RuntimeProcess } from "../../src/entra-runtime/client.ts";
import { writeFixture, type FixtureOptions } from "./fixture.ts";

export interface RunningRuntime {
  /** A scratch folder of the test file, holding the state file. */
  readonly dir: string;
  /** The runtime, once the file's first `beforeAll` has run. */
  readonly runtime: RuntimeProcess;
  /** Rewrites the state with these options (the runtime re-reads it per request). */
  use(options?: FixtureOptions): void;
}

export function runtimeOnFixture(): RunningRuntime {
  const dir = mkdtempSync(join(tmpdir(), "twin-entra-test-"));
  const stateFile = join(dir, "state.json");
  let runtime: RuntimeProcess | undefined;
  const use = (options: FixtureOptions = {}): void => writeFixture(stateFile, options);
  beforeAll(async () => {
    use();
    runtime = await start(stateFile);
    // Generous: the runtime makes its keys and certificate at start, slow on a busy machine.
  }, 30_000);
  afterAll(async () => {
    await runtime?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => use());
  return {
    dir,
    use,
    get runtime(): RuntimeProcess {
      if (runtime === undefined) throw new Error("the runtime starts in beforeAll");
      return runtime;
    },
  };
}
