/** Current system metrics and a short history of each figure for the sparklines. */
import { useQuery, useSubscription } from 'urql';
import {
  SYSTEM_METRICS_QUERY,
  SYSTEM_METRICS_SUBSCRIPTION,
  type SystemMetricsResult,
  type SystemMetricsUpdate,
} from '../api/documents';
import type { SystemMetrics } from '../../../domain/meta';

const HISTORY_LENGTH = 60;

/** Appends `m` unless it is the sample already last (the same `at`). */
function appendSample(history: SystemMetrics[], m: SystemMetrics): SystemMetrics[] {
  return history.length > 0 && history[history.length - 1]!.runs.at === m.runs.at
    ? history
    : [...history, m].slice(-HISTORY_LENGTH);
}

export function useSystemMetrics(): { current: SystemMetrics | null; history: SystemMetrics[]; error: string | null } {
  const [initial] = useQuery<SystemMetricsResult>({ query: SYSTEM_METRICS_QUERY });
  // urql folds each pushed sample into the live history.
  const [live] = useSubscription<SystemMetricsUpdate, SystemMetrics[]>(
    { query: SYSTEM_METRICS_SUBSCRIPTION },
    (history = [], update) => appendSample(history, update.system_metrics_updates),
  );
  const first = initial.data?.system_metrics;
  const samples = live.data ?? [];
  const history =
    first && !samples.some((m) => m.runs.at === first.runs.at) ? [first, ...samples].slice(-HISTORY_LENGTH) : samples;
  const current = history[history.length - 1] ?? null;
  return { current, history, error: initial.error?.message ?? live.error?.message ?? null };
}
