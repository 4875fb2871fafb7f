import type { Db } from 'mongodb';
import { ACTIVITY_MINUTES, type ActivityMinute, type SystemActivity } from '../../domain/systemActivity';
import type { TurnDoc } from '../../store/collections';
import { turnsSince } from '../../store/turnStore';
import { percentile } from './systemMetrics';

const MINUTE_MS = 60_000;

/** The finished turns of the last hour, minute by minute (by when each finished). Pure. */
export function activityByMinute(turns: Pick<TurnDoc, 'status' | 'ended_at' | 'duration_ms'>[], now: Date): SystemActivity {
  const first = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - (ACTIVITY_MINUTES - 1) * MINUTE_MS;
  const durations = Array.from({ length: ACTIVITY_MINUTES }, () => [] as number[]);
  const failed = new Array<number>(ACTIVITY_MINUTES).fill(0);
  for (const turn of turns) {
    if (turn.status === 'running' || !turn.ended_at || turn.duration_ms == null) continue;
    const index = Math.floor((Date.parse(turn.ended_at) - first) / MINUTE_MS);
    if (index < 0 || index >= ACTIVITY_MINUTES) continue;
    durations[index].push(turn.duration_ms);
    if (turn.status === 'failed') failed[index]++;
  }
  const minutes = durations.map((ms, i): ActivityMinute => {
    const sorted = ms.sort((a, b) => a - b);
    return {
      at: new Date(first + i * MINUTE_MS).toISOString(),
      turns: sorted.length,
      failed: failed[i],
      error_rate: sorted.length ? failed[i] / sorted.length : 0,
      p50_turn_ms: sorted.length ? percentile(sorted, 50) : null,
      p99_turn_ms: sorted.length ? percentile(sorted, 99) : null,
    };
  });
  return { minutes, at: now.toISOString() };
}

/** Reads the turns of the last hour (one bounded query, as the run figures do) and buckets them. */
export async function readSystemActivity(db: Db, now = new Date()): Promise<SystemActivity> {
  const turns = await turnsSince(db, new Date(now.getTime() - ACTIVITY_MINUTES * MINUTE_MS).toISOString());
  return activityByMinute(turns, now);
}
