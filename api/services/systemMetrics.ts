import type { Db } from 'mongodb';
import { countRunningTurns, countTurns, turnsSince } from '../../store/turnStore';

const WINDOW_MS = 5 * 60_000;

export interface SystemMetrics {
  runs_in_progress: number;
  turns_per_minute: number;
  avg_turn_ms: number;
  p95_turn_ms: number;
  error_rate: number;
  events_per_second: number;
  total_turns: number;
  at: string;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

/** Live figures over the last five minutes; events per second comes from the event feed. */
export async function computeSystemMetrics(db: Db, eventsPerSecond: number): Promise<SystemMetrics> {
  const now = Date.now();
  const [running, recent, total] = await Promise.all([
    countRunningTurns(db),
    turnsSince(db, new Date(now - WINDOW_MS).toISOString()),
    countTurns(db),
  ]);
  const finished = recent.filter((t) => t.status !== 'running' && t.duration_ms != null);
  const durations = finished.map((t) => t.duration_ms!).sort((a, b) => a - b);
  const failed = finished.filter((t) => t.status === 'failed').length;
  return {
    runs_in_progress: running,
    turns_per_minute: recent.length / (WINDOW_MS / 60_000),
    avg_turn_ms: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : 0,
    p95_turn_ms: percentile(durations, 95),
    error_rate: finished.length ? failed / finished.length : 0,
    events_per_second: eventsPerSecond,
    total_turns: total,
    at: new Date(now).toISOString(),
  };
}
