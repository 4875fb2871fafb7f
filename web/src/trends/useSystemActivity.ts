/**
 * The last hour minute by minute, fetched again whenever the live system metrics (pushed every
 * two seconds) show that a turn started or finished, or a new minute began.
 */
import { useEffect } from 'react';
import { useQuery } from 'urql';
import { SYSTEM_ACTIVITY_QUERY, type SystemActivityResult } from '../api/documents';
import { useSystemMetrics } from '../meta/useSystemMetrics';
import type { SystemActivity } from '../../../domain/systemActivity';

export function useSystemActivity(): { activity: SystemActivity | null; error: string | null } {
  const [result, refetch] = useQuery<SystemActivityResult>({ query: SYSTEM_ACTIVITY_QUERY });
  const { current } = useSystemMetrics();
  const runs = current?.runs;
  const revision = runs ? `${runs.total_turns}:${runs.runs_in_progress}:${runs.at.slice(0, 16)}` : null;
  useEffect(() => {
    if (revision) refetch({ requestPolicy: 'network-only' });
  }, [revision, refetch]);
  return { activity: result.data?.system_activity ?? null, error: result.error?.message ?? null };
}
