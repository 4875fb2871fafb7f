/** The open session's execution graph: the stored graph first, then its events live. */
import { useEffect, useReducer, useState } from 'react';
import { useTransport } from '../api/TransportContext';
import { EXECUTION_EVENTS_SUBSCRIPTION, EXECUTION_GRAPH_QUERY, type ExecutionGraphResult } from '../api/documents';
import { openResumableStream } from '../api/resumableStream';
import { executionReducer, initialExecutionState, type ExecutionState, type GraphNode } from './executionEvents';

const LOAD_RETRY_MS = 2000;

export interface ExecutionStream {
  state: ExecutionState;
  error: string | null;
}

export function useExecutionStream(sessionId: string | null): ExecutionStream {
  const { urql, ws } = useTransport();
  const [state, dispatch] = useReducer(executionReducer, sessionId, initialExecutionState);
  const [error, setError] = useState<string | null>(null);
  // Bumped to load again after a failed first load (the API may be restarting).
  const [loadAttempt, setLoadAttempt] = useState(0);

  useEffect(() => {
    dispatch({ type: 'reset', sessionId });
    setError(null);
    if (!sessionId) return;
    let cancelled = false;
    let close: (() => void) | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    (async () => {
      const result = await urql.query<ExecutionGraphResult>(EXECUTION_GRAPH_QUERY, { session_id: sessionId }).toPromise();
      if (cancelled) return;
      if (result.error || !result.data) throw new Error(result.error?.message ?? 'no execution graph');
      const graph = result.data.execution_graph;
      const nodes: GraphNode[] = graph.nodes.map((n) => ({ ...n }));
      dispatch({ type: 'loaded', sessionId, nodes, edges: graph.edges, lastSeq: graph.last_seq });
      close = openResumableStream(ws, {
        query: EXECUTION_EVENTS_SUBSCRIPTION,
        field: 'execution_events',
        variables: { session_id: sessionId },
        afterSeq: graph.last_seq,
        onEvents: (events) => {
          setError(null);
          dispatch({ type: 'events', sessionId, events });
        },
        onError: (message) => setError(message),
      });
    })().catch((err: unknown) => {
      if (cancelled) return;
      setError(`${err instanceof Error ? err.message : String(err)} — retrying`);
      retry = setTimeout(() => setLoadAttempt((n) => n + 1), LOAD_RETRY_MS);
    });
    return () => {
      cancelled = true;
      clearTimeout(retry);
      close?.();
    };
  }, [sessionId, urql, ws, loadAttempt]);

  return { state, error };
}
