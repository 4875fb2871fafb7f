import { ACTIVITY_MINUTES, type TurnMinute } from '../domain/systemActivity';

/**
 * The turns a worker process finished in the last hour, minute by minute: how many, how many
 * failed, and their durations; and how many it started. Published with the process's metrics snapshot
 * (snapshotPublisher.ts) and summed over processes by the API's last-hour activity
 * (api/services/systemActivity.ts) and its live figures of the last five minutes
 * (api/services/systemMetrics.ts), which so read a few small documents instead of the turns
 * collection: FerretDB v1 serves no range from an index, so "turns that ended in the last hour"
 * decoded every turn ever stored (~0.7 s at 10,000). A minute keeps at most MAX_DURATIONS of its
 * durations (a uniform sample of them beyond that; its counts stay exact), so a document stays
 * small whatever the traffic.
 */
export const MINUTE_MS = 60_000;
export const MAX_DURATIONS = 1000;

/** The start of the oldest minute the last hour still shows at `now`. */
export const firstMinute = (now: number) => Math.floor(now / MINUTE_MS) * MINUTE_MS - (ACTIVITY_MINUTES - 1) * MINUTE_MS;

/** Keeps `duration` as the `seen`-th of the minute's durations: all of the first MAX_DURATIONS, a uniform sample after (reservoir). */
function keepDuration(durations: number[], seen: number, duration: number, random: () => number) {
  if (durations.length < MAX_DURATIONS) durations.push(duration);
  else {
    const slot = Math.floor(random() * seen);
    if (slot < MAX_DURATIONS) durations[slot] = duration;
  }
}

/** Adds several processes' minutes up, minute by minute, leaving out minutes before the last hour; oldest first. */
export function sumMinutes(lists: TurnMinute[][], now: number, random: () => number = Math.random): TurnMinute[] {
  const first = firstMinute(now);
  const byMinute = new Map<number, TurnMinute>();
  for (const minute of lists.flat()) {
    if (minute.at < first) continue;
    const into = byMinute.get(minute.at) ?? { at: minute.at, turns: 0, failed: 0, durations: [] };
    byMinute.set(minute.at, into);
    into.failed += minute.failed;
    if (minute.started) into.started = (into.started ?? 0) + minute.started;
    // Each duration stands for turns / durations.length of the minute's turns (one, until it was sampled).
    const weight = minute.turns / Math.max(1, minute.durations.length);
    let seen = into.turns;
    for (const duration of minute.durations) keepDuration(into.durations, (seen += weight), duration, random);
    into.turns += minute.turns;
  }
  return [...byMinute.values()].sort((a, b) => a.at - b.at);
}

/** One process's minutes, as it records its finished turns. */
export function createTurnMinutes(random: () => number = Math.random) {
  let minutes = new Map<number, TurnMinute>();
  const minuteOf = (atMs: number): TurnMinute => {
    const at = Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
    const minute = minutes.get(at) ?? { at, turns: 0, failed: 0, durations: [] };
    minutes.set(at, minute);
    return minute;
  };
  return {
    record(failed: boolean, durationMs: number, endedAtMs: number): void {
      const minute = minuteOf(endedAtMs);
      minute.turns += 1;
      if (failed) minute.failed += 1;
      keepDuration(minute.durations, minute.turns, durationMs, random);
    },
    recordStart(startedAtMs: number): void {
      const minute = minuteOf(startedAtMs);
      minute.started = (minute.started ?? 0) + 1;
    },
    /** The minutes of the last hour at `now`, oldest first; older ones are forgotten. */
    recent(now: number): TurnMinute[] {
      const first = firstMinute(now);
      for (const at of minutes.keys()) if (at < first) minutes.delete(at);
      return [...minutes.values()].sort((a, b) => a.at - b.at);
    },
    reset(): void {
      minutes = new Map();
    },
  };
}
