/**
 * The meta stream for the whole console: the stored timeline, then every
 * live meta event, resumed by seq after a reconnect. One per page; views read
 * it through MetaEventsContext.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer } from 'react';
import { useQuery, type UseQueryState } from 'urql';
import { useTransport } from '../api/TransportContext';
import { EVOLUTION_TIMELINE_QUERY, META_EVENTS_SUBSCRIPTION, type EvolutionTimelineResult } from '../api/evolutionDocuments';
import { initialMetaState, lastSeqOfTypes, metaReducer, readMetaEvents, type MetaState } from './metaEvents';
import { useLoadThenStream } from './useLoadThenStream';

export interface MetaStream {
  state: MetaState;
  error: string | null;
}

export function useMetaStream(): MetaStream {
  const { urql } = useTransport();
  const [state, dispatch] = useReducer(metaReducer, initialMetaState);
  const [error] = useLoadThenStream('meta', async (cancelled) => {
    const result = await urql.query<EvolutionTimelineResult>(EVOLUTION_TIMELINE_QUERY, {}).toPromise();
    if (cancelled()) return null;
    if (result.error || !result.data) throw new Error(result.error?.message ?? 'no evolution timeline');
    const timeline = readMetaEvents(result.data.evolution_timeline);
    dispatch({ type: 'loaded', ...timeline });
    return {
      query: META_EVENTS_SUBSCRIPTION,
      field: 'meta_events',
      variables: {},
      afterSeq: timeline.events.reduce((max, e) => Math.max(max, e.seq), 0),
      onEvents: (batch) => dispatch({ type: 'events', ...readMetaEvents(batch) }),
    };
  });
  const unreadable = state.unreadable ? `${state.unreadable} meta event(s) failed their schema and are not shown` : null;
  return { state, error: error ?? unreadable };
}

export const MetaEventsContext = createContext<MetaStream>({ state: initialMetaState, error: null });
export const useMetaEvents = () => useContext(MetaEventsContext);

/** The seq of the newest meta event of these types: changes exactly when a view should refetch. */
function useMetaRevision(...types: string[]): number {
  const { state } = useMetaEvents();
  const key = types.join('|');
  const set = useMemo(() => new Set(key.split('|')), [key]);
  return lastSeqOfTypes(state.events, set);
}

/**
 * A query that is fetched again from the server whenever a meta event of these types arrives
 * (a view's data is stale exactly then); also returns that refresh for the view's own use.
 */
export function useMetaRefreshedQuery<T>(query: string, ...types: string[]): [UseQueryState<T>, () => void] {
  const revision = useMetaRevision(...types);
  const [result, refetch] = useQuery<T>({ query });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useEffect(() => {
    if (revision > 0) refresh();
  }, [revision, refresh]);
  return [result, refresh];
}
