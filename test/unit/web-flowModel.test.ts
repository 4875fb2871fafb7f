import { buildFlowModel, collapsedTurns, groupId, AUTO_COLLAPSE_NODE_COUNT } from '../../web/src/graph/flowModel';
import { executionReducer, initialExecutionState, type ExecutionState } from '../../web/src/state/executionEvents';
import type { ExecutionEdge } from '../../domain/execution';
import type { NodeSummary } from '../../domain/events';
import { node, SESSION } from './graphFixtures';

const edge = (
  source: string,
  target: string,
  kind: ExecutionEdge['kind'] = 'flow',
  label: string | null = null,
): ExecutionEdge => ({
  id: `${source}->${target}`,
  session_id: SESSION,
  source_node_id: source,
  target_node_id: target,
  kind,
  data: { kind },
  label,
});
const load = (nodes: NodeSummary[], edges: ExecutionEdge[]): ExecutionState =>
  executionReducer(initialExecutionState(SESSION), { type: 'loaded', sessionId: SESSION, nodes, edges, lastSeq: 0 });

describe('flow model', () => {
  const state = load(
    [node('1', 'A'), node('2', 'A', { parent_node_id: '1' }), node('3', 'B'), node('4', 'B'), node('5', 'R')],
    [edge('1', '2'), edge('3', '4'), edge('2', '5', 'replay'), edge('2', '3')],
  );

  it('draws each expanded turn as a frame with its nodes, and labels a replay-only group as a replay', () => {
    const model = buildFlowModel(state, new Set());
    expect(
      model.nodes
        .filter((n) => n.type === 'turnFrame')
        .map((n) => [n.data.turnId, (n.data as { kind: string }).kind, (n.data as { index: number }).index]),
    ).toEqual([
      ['A', 'turn', 1],
      ['B', 'turn', 2],
      ['R', 'replay', 2],
    ]);
    expect(model.nodes.filter((n) => n.type === 'agent')).toHaveLength(5);
    expect(model.edges.find((e) => e.source === '2' && e.target === '5')).toMatchObject({
      className: 'edge-replay',
      animated: true,
    });
    // a parent link with an edge already present is not drawn twice
    expect(model.edges.filter((e) => e.source === '1' && e.target === '2')).toHaveLength(1);
  });

  it('draws a re-plan edge labelled and styled as one, once, beside its parent link', () => {
    const replanned = load(
      [
        node('1', 'A', { type: 'decision' }),
        node('2', 'A', { type: 'plan', parent_node_id: '1' }),
        node('3', 'A', { type: 'tool', parent_node_id: '2' }),
      ],
      [edge('1', '2', 'replan', 'replan'), edge('2', '3')],
    );
    const model = buildFlowModel(replanned, new Set());
    expect(model.edges.filter((e) => e.source === '1' && e.target === '2')).toEqual([
      expect.objectContaining({ className: 'edge-replan', label: 'replan', data: { kind: 'replan' }, animated: false }),
    ]);
    expect(model.edges.find((e) => e.target === '3')).toMatchObject({ className: 'edge-flow', label: undefined });
  });

  it('puts a node a person moved where they put it, grows its turn frame to hold it, and leaves the layout of the rest', () => {
    const laidOut = buildFlowModel(state, new Set());
    const placed = {
      ...node('2', 'A', { parent_node_id: '1' }),
      position: { x: 2000, y: -500 },
      position_saved_at: '2025-01-02T00:00:00.000Z',
    };
    const moved = buildFlowModel(
      load(
        [...state.nodes.values()].map((n) => (n.id === '2' ? placed : n)),
        [...state.edges.values()],
      ),
      new Set(),
    );
    const at = (model: typeof moved, id: string) => model.nodes.find((n) => n.id === id)!;
    expect(at(moved, '2').position).toEqual({ x: 2000, y: -500 });
    expect(at(moved, '2').draggable).toBe(true);
    for (const id of ['1', '3', '4', '5']) expect(at(moved, id).position).toEqual(at(laidOut, id).position);
    const frame = moved.turnRects.get('A')!;
    expect(frame.x + frame.width).toBeGreaterThanOrEqual(2000 + 224);
    expect(frame.y).toBeLessThan(-500);
    expect(frame.x).toBe(laidOut.turnRects.get('A')!.x); // grown towards the node only
    expect(moved.turnRects.get('B')).toEqual(laidOut.turnRects.get('B'));
    expect(at(moved, 'frame:A')).toMatchObject({ position: { x: frame.x, y: frame.y }, width: frame.width, draggable: false });
  });

  it('collapses a turn into one group node and re-attaches its edges to the group', () => {
    const model = buildFlowModel(state, new Set(['A']));
    expect(model.nodes.find((n) => n.id === groupId('A'))?.type).toBe('turnGroup');
    expect(model.nodes.some((n) => n.id === '1' || n.id === '2')).toBe(false);
    expect(model.visibleIdOf.get('2')).toBe(groupId('A'));
    expect(model.edges.map((e) => [e.source, e.target])).toEqual(
      expect.arrayContaining([
        [groupId('A'), '5'],
        [groupId('A'), '3'],
      ]),
    );
    expect(model.edges.some((e) => e.source === e.target)).toBe(false);
  });

  it('collapses finished turns automatically only in large graphs, never the newest or a running one, and obeys overrides', () => {
    expect(collapsedTurns(state, { collapseCompleted: null, overrides: {} }).size).toBe(0);
    expect([...collapsedTurns(state, { collapseCompleted: true, overrides: {} })]).toEqual(['A', 'B']);
    expect([...collapsedTurns(state, { collapseCompleted: true, overrides: { A: false } })]).toEqual(['B']);
    const running = executionReducer(state, {
      type: 'events',
      sessionId: SESSION,
      events: [{ seq: 1, data: { type: 'node_started', node: node('4', 'B', { status: 'executing' }) } }],
    });
    expect([...collapsedTurns(running, { collapseCompleted: true, overrides: {} })]).toEqual(['A']);

    const many: NodeSummary[] = [];
    for (let i = 0; i <= AUTO_COLLAPSE_NODE_COUNT; i++) many.push(node(String(i), `T${Math.floor(i / 10)}`));
    const big = load(many, []);
    const auto = collapsedTurns(big, { collapseCompleted: null, overrides: {} });
    expect(auto.size).toBe(big.turns.size - 1);
    expect(auto.has([...big.turns.keys()].pop()!)).toBe(false);
  });
});
