/** The open session's execution graph: the stored graph first, then its events live. */
import { useEffect, useReducer } from 'react';
import { useTransport } from '../api/TransportContext';
import { EXECUTION_EVENTS_SUBSCRIPTION, EXECUTION_GRAPH_QUERY, type ExecutionGraphResult } from '../api/documents';
import { executionReducer, initialExecutionState, type ExecutionState, type GraphNode } from './executionEvents';
import { useLoadThenStream } from './useLoadThenStream';

export interface ExecutionStream {
  state: ExecutionState;
  error: string | null;
}

export function useExecutionStream(sessionId: string | null): ExecutionStream {
  const { urql } = useTransport();
  const [state, dispatch] = useReducer(executionReducer, sessionId, initialExecutionState);
  useEffect(() => dispatch({ type: 'reset', sessionId }), [sessionId]);
  const [error] = useLoadThenStream(sessionId, async (cancelled) => {
    const result = await urql.query<ExecutionGraphResult>(EXECUTION_GRAPH_QUERY, { session_id: sessionId }).toPromise();
    if (cancelled()) return null;
    if (result.error || !result.data) throw new Error(result.error?.message ?? 'no execution graph');
    const graph = result.data.execution_graph;
    const nodes: GraphNode[] = graph.nodes.map((n) => ({ ...n }));
    dispatch({ type: 'loaded', sessionId: sessionId!, nodes, edges: graph.edges, lastSeq: graph.last_seq });
    return {
      query: EXECUTION_EVENTS_SUBSCRIPTION,
      field: 'execution_events',
      variables: { session_id: sessionId },
      afterSeq: graph.last_seq,
      onEvents: (events) => dispatch({ type: 'events', sessionId: sessionId!, events }),
    };
  });
  return { state, error };
}
