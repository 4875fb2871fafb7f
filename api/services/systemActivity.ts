import type { Db } from 'mongodb';
import { ACTIVITY_MINUTES, type ActivityMinute, type SystemActivity, type TurnMinute } from '../../domain/systemActivity';
import { firstMinute, MINUTE_MS, sumMinutes } from '../../metrics/turnMinutes';
import { readTurnMinutes } from '../../store/metricsSnapshotStore';
import { percentile } from './systemMetrics';

/** The last hour, minute by minute, from the turns each worker process finished in it (by when each finished). Pure. */
export function activityByMinute(processes: TurnMinute[][], now: Date): SystemActivity {
  const first = firstMinute(now.getTime());
  const byMinute = new Map(sumMinutes(processes, now.getTime()).map((m) => [m.at, m]));
  const minutes = Array.from({ length: ACTIVITY_MINUTES }, (_, i): ActivityMinute => {
    const at = first + i * MINUTE_MS;
    const minute = byMinute.get(at);
    const sorted = [...(minute?.durations ?? [])].sort((a, b) => a - b);
    const turns = minute?.turns ?? 0;
    const failed = minute?.failed ?? 0;
    return {
      at: new Date(at).toISOString(),
      turns,
      failed,
      error_rate: turns ? failed / turns : 0,
      p50_turn_ms: sorted.length ? percentile(sorted, 50) : null,
      p99_turn_ms: sorted.length ? percentile(sorted, 99) : null,
    };
  });
  return { minutes, at: now.toISOString() };
}

/**
 * Reads the workers' published minutes (metrics/turnMinutes.ts: one small document per worker
 * process), not the turns collection, whose range read decoded every stored turn; so the cost does
 * not grow with the turns stored, and a turn shows within the two seconds a worker takes to publish.
 */
export async function readSystemActivity(db: Db, now = new Date()): Promise<SystemActivity> {
  return activityByMinute(await readTurnMinutes(db), now);
}
