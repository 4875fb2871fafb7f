/** Current system metrics and a short history of each figure for the sparklines. */
import { useEffect, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import {
  SYSTEM_METRICS_QUERY, SYSTEM_METRICS_SUBSCRIPTION,
  type SystemMetrics, type SystemMetricsResult, type SystemMetricsUpdate,
} from '../api/documents';

export const HISTORY_LENGTH = 60;

export function useSystemMetrics(): { current: SystemMetrics | null; history: SystemMetrics[]; error: string | null } {
  const [initial] = useQuery<SystemMetricsResult>({ query: SYSTEM_METRICS_QUERY });
  const [live] = useSubscription<SystemMetricsUpdate>({ query: SYSTEM_METRICS_SUBSCRIPTION });
  const [history, setHistory] = useState<SystemMetrics[]>([]);

  const push = (m: SystemMetrics | undefined) => {
    if (!m) return;
    setHistory((h) => (h.length > 0 && h[h.length - 1]!.at === m.at ? h : [...h, m].slice(-HISTORY_LENGTH)));
  };
  useEffect(() => push(initial.data?.system_metrics), [initial.data]);
  useEffect(() => push(live.data?.system_metrics_updates), [live.data]);

  const current = history[history.length - 1] ?? null;
  return { current, history, error: initial.error?.message ?? live.error?.message ?? null };
}
