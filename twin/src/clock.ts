/**
 * The twin's clock: how the cloud's waits the twin models (an identity replicating, a retry's back-off)
 * map to real time. `S2S_TWIN_TIME_SCALE` is real seconds per modelled second (default 1, real time):
 * at 0.05 a modelled 120 s replication delay passes in 6 real seconds, so CI keeps the modelled
 * durations (and every retry they cause) without waiting them out. The program under test keeps its
 * own real-time back-off; the twin only decides when its modelled time has passed.
 */

/** Real seconds per modelled second, from `S2S_TWIN_TIME_SCALE`; anything but a positive number is 1. */
export function timeScale(env: NodeJS.ProcessEnv = process.env): number {
  const raw = Number(env.S2S_TWIN_TIME_SCALE ?? "1");
  return Number.isFinite(raw) && raw > 0 ? raw : 1;
}

/** Modelled milliseconds since the ISO time `since` (a resource's `systemData.createdAt`). */
export function modelledMsSince(since: string, now: number = Date.now(), env: NodeJS.ProcessEnv = process.env): number {
  return (now - Date.parse(since)) / timeScale(env);
}
