/** Node summaries for the console's graph tests: one session, every node a succeeded agent step unless patched. */
import { nodeSummary, type NodeSummary } from '../../domain/events';
import { executionNode, type NodeRecord } from '../../domain/execution';

export const SESSION = 's1';

export function node(id: string, turn: string, patch: Partial<NodeRecord> = {}): NodeSummary {
  return nodeSummary(
    executionNode({
      id,
      session_id: SESSION,
      input: null,
      output: null,
      turn_id: turn,
      type: 'agent',
      label: id,
      status: 'success',
      started_at: null,
      ended_at: null,
      duration_ms: 5,
      error: null,
      parent_node_id: null,
      chat_message_ids: [],
      component: null,
      version: null,
      workflow_id: 'wf',
      created_at: `2025-01-01T00:00:${id.padStart(2, '0')}.000Z`,
      ...patch,
    }),
  );
}
