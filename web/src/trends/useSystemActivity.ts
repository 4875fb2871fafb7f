/**
 * The last hour minute by minute, fetched again after the live system metrics (pushed every two
 * seconds) show that a turn started or finished, or a new minute began. Changes fold into one
 * fetch REFETCH_AFTER_MS after the first of them: while turns run, one fetch every few seconds
 * rather than one per push, and late enough that the worker which finished a turn has published
 * it (every two seconds; the activity is read from what workers publish).
 */
import { useEffect, useRef } from 'react';
import { useQuery } from 'urql';
import { SYSTEM_ACTIVITY_QUERY, type SystemActivityResult } from '../api/documents';
import { useSystemMetrics } from '../meta/useSystemMetrics';
import type { SystemActivity } from '../../../domain/systemActivity';

const REFETCH_AFTER_MS = 5000;

export function useSystemActivity(): { activity: SystemActivity | null; error: string | null } {
  const [result, refetch] = useQuery<SystemActivityResult>({ query: SYSTEM_ACTIVITY_QUERY });
  const { current } = useSystemMetrics();
  const runs = current?.runs;
  const revision = runs ? `${runs.total_turns}:${runs.runs_in_progress}:${runs.at.slice(0, 16)}` : null;
  const due = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    // A fetch already due will see this change too.
    if (!revision || due.current) return;
    due.current = setTimeout(() => {
      due.current = null;
      refetch({ requestPolicy: 'network-only' });
    }, REFETCH_AFTER_MS);
  }, [revision, refetch]);
  useEffect(
    () => () => {
      if (due.current) clearTimeout(due.current);
      due.current = null;
    },
    [],
  );
  return { activity: result.data?.system_activity ?? null, error: result.error?.message ?? null };
}
