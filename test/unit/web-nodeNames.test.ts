import { nodeSummary, type NodeSummary } from '../../domain/events';
import { executionNode, type NodeRecord } from '../../domain/execution';
import { buildFlowModel, groupId, nodeNameId } from '../../web/src/graph/flowModel';
import { execNodeName, turnGroupName } from '../../web/src/graph/nodeNames';
import { executionReducer, initialExecutionState } from '../../web/src/state/executionEvents';

function node(patch: Partial<NodeRecord> = {}): NodeSummary {
  return nodeSummary(
    executionNode({
      session_id: 's1',
      input: null,
      output: null,
      id: 'n1',
      turn_id: 'T',
      type: 'tool',
      label: 'Run calculator',
      status: 'success',
      started_at: null,
      ended_at: null,
      duration_ms: 12,
      error: null,
      parent_node_id: null,
      chat_message_ids: [],
      component: 'calculator',
      version: 'abc12345',
      workflow_id: 'wf',
      created_at: '2025-01-01T00:00:00.000Z',
      ...patch,
    }),
  );
}

describe('node names', () => {
  it('names a node by its label, type, component, status and, once finished, its duration', () => {
    expect(execNodeName(node())).toBe('Run calculator: tool calculator@abc12345, succeeded, 12 ms');
    expect(execNodeName(node({ status: 'executing', duration_ms: null }))).toBe(
      'Run calculator: tool calculator@abc12345, running',
    );
    expect(
      execNodeName(
        node({ type: 'user_input', label: 'User message', component: null, version: null, status: 'error', duration_ms: 3 }),
      ),
    ).toBe('User message: user input, failed, 3 ms');
  });

  it('names a collapsed turn by its title, phase and size', () => {
    const stats = { total: 1, pending: 0, executing: 0, success: 1, error: 0, durationMs: 5, startedAt: null };
    expect(turnGroupName({ turnId: 'T', index: 2, kind: 'turn', phase: 'completed', stats, highlighted: false })).toBe(
      'Turn 2, collapsed, completed, 1 node',
    );
    expect(
      turnGroupName({
        turnId: 'R',
        index: 2,
        kind: 'replay',
        phase: 'running',
        stats: { ...stats, total: 3 },
        highlighted: false,
      }),
    ).toBe('Replay, collapsed, running, 3 nodes');
  });

  it('labels every focusable flow node by the name its component renders', () => {
    const state = executionReducer(initialExecutionState('s'), {
      type: 'loaded',
      sessionId: 's',
      nodes: [node()],
      edges: [],
      lastSeq: 0,
    });
    const expanded = buildFlowModel(state, new Set());
    expect(expanded.nodes.filter((n) => n.focusable !== false).map((n) => [n.id, n.domAttributes])).toEqual([
      ['n1', { 'aria-labelledby': nodeNameId('n1') }],
    ]);
    const collapsed = buildFlowModel(state, new Set(['T']));
    expect(collapsed.nodes.find((n) => n.id === groupId('T'))?.domAttributes).toEqual({
      'aria-labelledby': nodeNameId(groupId('T')),
    });
  });
});
