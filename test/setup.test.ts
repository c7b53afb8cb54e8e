// test/setup.ts: every test and hook runs under a timeout (jest-light-runner has none), so a hang
// fails the test that hung, with its name, instead of stalling the run until CI gives up.
import { TEST_TIMEOUT_MS, withTimeout } from "./setup.ts";

describe("the test timeout", () => {
  test("a body that never settles fails after the limit, naming what hung", async () => {
    const hung = withTimeout(() => new Promise(() => {}), 20, 'test "waits forever"');
    await expect(hung()).rejects.toThrow('test "waits forever" did not finish within 20 ms');
  });

  test("a body that settles in time keeps its value, its error and its `this`", async () => {
    const context = { answer: 42 };
    await expect(
      withTimeout(
        function (this: unknown) {
          return (this as typeof context).answer;
        },
        1000,
        "x",
      ).call(context),
    ).resolves.toBe(42);
    await expect(withTimeout(() => Promise.reject(new Error("own failure")), 1000, "x")()).rejects.toThrow(
      "own failure",
    );
  });

  test("unit tests get 30 s, and the globals are the wrapped ones with their variants", () => {
    expect(TEST_TIMEOUT_MS).toBe(process.env["S2S_TEST_DEPTH"] === "deep" ? 60_000 : 30_000);
    expect(test.name).toBe("wrapped");
    expect(typeof test.each).toBe("function");
    expect(typeof it.only).toBe("function");
    expect(typeof test.skip).toBe("function");
  });

  // The case table goes through jest-each bound to the wrapped test, so its rows run too.
  test.each([
    [1, 2, 3],
    [2, 3, 5],
  ])("test.each rows run through the wrapper: %i + %i = %i", (a, b, sum) => {
    expect(a + b).toBe(sum);
  });
});
