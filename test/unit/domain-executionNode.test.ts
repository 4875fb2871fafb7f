import { nodeSummary } from '../../domain/events';
import { DEFAULT_NODE_VERSION, ExecutionNode, executionNode, type NodeRecord } from '../../domain/execution';

/** The one read mapping every transport serves nodes through (REST, GraphQL, /ws/execution). */
const stored: NodeRecord = {
  id: 't1:user_input',
  session_id: 's1',
  turn_id: 't1',
  type: 'user_input',
  label: 'User message',
  status: 'success',
  started_at: '2026-12-07T00:00:00.000Z',
  ended_at: '2026-12-07T00:00:00.250Z',
  duration_ms: 250,
  input: { content: 'hi' },
  output: null,
  error: null,
  parent_node_id: null,
  chat_message_ids: [],
  component: null,
  version: null,
  workflow_id: 'wf',
  created_at: '2026-12-07T00:00:00.000Z',
};

describe('ExecutionNode.version', () => {
  it('is the spec\'s default "latest" for a node no component ran in (stored as null)', () => {
    const node = executionNode(stored);
    expect(DEFAULT_NODE_VERSION).toBe('latest');
    expect(node.version).toBe('latest');
    expect(node.data.version).toBe('latest');
    expect(nodeSummary(node).version).toBe('latest');
    expect(ExecutionNode.parse(node).version).toBe('latest');
  });

  it("keeps the component's version where a component ran", () => {
    const node = executionNode({ ...stored, type: 'tool', component: 'calculator', version: 'abc12345' });
    expect(node.version).toBe('abc12345');
    expect(node.data).toMatchObject({ component: 'calculator', version: 'abc12345' });
  });

  it('is filled in by the schema when a node arrives without one, and a null is refused', () => {
    const { version: _, ...withoutVersion } = executionNode(stored);
    expect(ExecutionNode.parse(withoutVersion).version).toBe('latest');
    expect(ExecutionNode.safeParse({ ...withoutVersion, version: null }).success).toBe(false);
  });
});
