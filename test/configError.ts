import { ConfigError } from "../config.ts";

/** The ConfigError `action` throws; fails the test if it throws something else or nothing. */
export function configErrorFrom(action: () => unknown): ConfigError {
  try {
    action();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError, but the config was accepted");
}
