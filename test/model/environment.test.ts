// model/environment.ts: the one rule for an environment that cannot be told (judged as prod).
import {
  EnvironmentError,
  environmentOrStrictest,
  resolveEnvironment,
  UNKNOWN_ENVIRONMENT_JUDGED_AS,
} from "../../model/environment.ts";

describe("environmentOrStrictest", () => {
  test("an environment that cannot be told is judged as prod, the strictest", () => {
    expect(UNKNOWN_ENVIRONMENT_JUDGED_AS).toBe("prod");
    expect(environmentOrStrictest(() => resolveEnvironment(undefined, "alice-sandbox"))).toBe("prod");
    expect(environmentOrStrictest(() => resolveEnvironment("staging", "dev"))).toBe("prod");
  });

  test("a known environment is kept", () => {
    expect(environmentOrStrictest(() => resolveEnvironment(undefined, "dev-pr-7"))).toBe("dev");
    expect(environmentOrStrictest(() => resolveEnvironment("test", "anything"))).toBe("test");
  });

  test("any other failure is not hidden", () => {
    expect(() =>
      environmentOrStrictest(() => {
        throw new TypeError("boom");
      }),
    ).toThrow(TypeError);
    expect(() => resolveEnvironment(undefined, "alice-sandbox")).toThrow(EnvironmentError);
  });
});
