import { buildFlowModel, frameId, groupId } from '../../web/src/graph/flowModel';
import { dataPatches, edgesForStructure, highlightPatches, nodesForStructure } from '../../web/src/graph/flowPatches';
import { executionReducer, initialExecutionState, type ExecutionState } from '../../web/src/state/executionEvents';
import type { NodeSummary } from '../../domain/events';
import { node, SESSION } from './graphFixtures';

const load = (nodes: NodeSummary[]): ExecutionState =>
  executionReducer(initialExecutionState(SESSION), { type: 'loaded', sessionId: SESSION, nodes, edges: [], lastSeq: 0 });
const applied = (state: ExecutionState, highlighted: ReadonlySet<string> = new Set()) => ({
  nodes: state.nodes,
  turns: state.turns,
  highlighted,
});

describe('flow patches', () => {
  const state = load([node('1', 'A'), node('2', 'A'), node('3', 'B', { status: 'executing' })]);

  it('reuses every unchanged node object when the structure is replaced, and marks highlight and selection', () => {
    const model = buildFlowModel(state, new Set());
    const first = nodesForStructure([], model, new Set(), null);
    const again = nodesForStructure(first, model, new Set(['2']), '1');
    expect(again.find((n) => n.id === frameId('A'))).toBe(first.find((n) => n.id === frameId('A')));
    expect(again.find((n) => n.id === '3')).toBe(first.find((n) => n.id === '3'));
    expect(again.find((n) => n.id === '2')?.data).toMatchObject({ highlighted: true });
    expect(again.find((n) => n.id === '1')?.selected).toBe(true);
    expect(edgesForStructure([], model)).toEqual(model.edges);
  });

  it('patches only the changed node and the frame of its turn, or the group of a collapsed turn', () => {
    const done = executionReducer(state, {
      type: 'events',
      sessionId: SESSION,
      events: [{ seq: 1, data: { type: 'node_completed', node: node('3', 'B') } }],
    });
    const expanded = dataPatches(applied(state), done, buildFlowModel(state, new Set()));
    expect([...expanded.keys()].sort()).toEqual(['3', frameId('B')].sort());
    expect(expanded.get(frameId('B'))).toMatchObject({ phase: 'completed' });

    const changedA = executionReducer(state, {
      type: 'events',
      sessionId: SESSION,
      events: [{ seq: 1, data: { type: 'node_failed', node: node('1', 'A', { status: 'error' }) } }],
    });
    const collapsed = dataPatches(applied(state), changedA, buildFlowModel(state, new Set(['A'])));
    expect([...collapsed.keys()]).toEqual([groupId('A')]);
  });

  it('moves a highlight between visible nodes, through a collapsed turn to its group', () => {
    const model = buildFlowModel(state, new Set(['A']));
    const patches = highlightPatches(model, new Set(['3']), new Set(['1', '2']));
    expect(Object.fromEntries(patches)).toEqual({ '3': { highlighted: false }, [groupId('A')]: { highlighted: true } });
    expect(highlightPatches(model, new Set(['1']), new Set(['2'])).size).toBe(0);
  });
});
