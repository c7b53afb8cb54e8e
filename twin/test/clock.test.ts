// The twin's clock (twin/src/clock.ts): modelled time runs 1/S2S_TWIN_TIME_SCALE times as fast as real time.
import { modelledMsSince, timeScale } from "../src/clock.ts";

test("real time unless S2S_TWIN_TIME_SCALE names a positive number", () => {
  expect(timeScale({})).toBe(1);
  expect(timeScale({ S2S_TWIN_TIME_SCALE: "0.05" })).toBe(0.05);
  for (const bad of ["0", "-1", "fast", ""]) expect(timeScale({ S2S_TWIN_TIME_SCALE: bad })).toBe(1);
});

test("modelled milliseconds since a time grow 1/scale times as fast as real ones", () => {
  const since = "2026-01-01T00:00:00.000Z";
  const now = Date.parse(since) + 3_000;
  expect(modelledMsSince(since, now, {})).toBe(3_000);
  expect(modelledMsSince(since, now, { S2S_TWIN_TIME_SCALE: "0.05" })).toBe(60_000);
});
