/**
 * The meta stream for the whole console: the stored timeline, then every
 * live meta event, resumed by seq after a reconnect. One per page; views read
 * it through MetaEventsContext.
 */
import { createContext, useContext, useEffect, useMemo, useReducer, useState } from 'react';
import { useTransport } from '../api/TransportContext';
import { EVOLUTION_TIMELINE_QUERY, META_EVENTS_SUBSCRIPTION, type EvolutionTimelineResult, type MetaEventView } from '../api/evolutionDocuments';
import { openResumableStream } from '../api/resumableStream';
import { initialMetaState, lastSeqOfTypes, metaReducer, type MetaState } from './metaEvents';

const LOAD_RETRY_MS = 2000;

export interface MetaStream { state: MetaState; error: string | null }

export function useMetaStream(): MetaStream {
  const { urql, ws } = useTransport();
  const [state, dispatch] = useReducer(metaReducer, initialMetaState);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    let close: (() => void) | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    (async () => {
      const result = await urql.query<EvolutionTimelineResult>(EVOLUTION_TIMELINE_QUERY, {}).toPromise();
      if (cancelled) return;
      if (result.error || !result.data) throw new Error(result.error?.message ?? 'no evolution timeline');
      const events = result.data.evolution_timeline;
      dispatch({ type: 'loaded', events });
      close = openResumableStream(ws, {
        query: META_EVENTS_SUBSCRIPTION,
        field: 'meta_events',
        variables: {},
        afterSeq: events.reduce((max, e) => Math.max(max, e.seq), 0),
        onEvents: (batch) => {
          setError(null);
          dispatch({ type: 'events', events: batch as unknown as MetaEventView[] });
        },
        onError: (message) => setError(message),
      });
    })().catch((err: unknown) => {
      if (cancelled) return;
      setError(`${err instanceof Error ? err.message : String(err)} — retrying`);
      retry = setTimeout(() => setAttempt((n) => n + 1), LOAD_RETRY_MS);
    });
    return () => {
      cancelled = true;
      clearTimeout(retry);
      close?.();
    };
  }, [urql, ws, attempt]);

  return { state, error };
}

export const MetaEventsContext = createContext<MetaStream>({ state: initialMetaState, error: null });
export const useMetaEvents = () => useContext(MetaEventsContext);

/** The seq of the newest meta event of these types: changes exactly when a view should refetch. */
export function useMetaRevision(...types: string[]): number {
  const { state } = useMetaEvents();
  const key = types.join('|');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const set = useMemo(() => new Set(types), [key]);
  return lastSeqOfTypes(state.events, set);
}
